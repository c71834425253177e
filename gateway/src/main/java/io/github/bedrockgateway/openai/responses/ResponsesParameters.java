package io.github.bedrockgateway.openai.responses;

import static io.github.bedrockgateway.converse.Fields.optionalBoolean;
import static io.github.bedrockgateway.converse.Fields.optionalObject;
import static io.github.bedrockgateway.converse.Fields.optionalPositiveInt;
import static io.github.bedrockgateway.converse.Fields.optionalString;
import static io.github.bedrockgateway.error.GatewayException.invalid;
import static io.github.bedrockgateway.error.GatewayException.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Set;

/**
 * The top-level parameters of a Responses API request besides the conversation, its tools and its
 * output format: what the gateway cannot do (refused when asked for), {@code include}, the
 * reasoning summary, the settings the response repeats, and {@code input} as items. Pure functions,
 * part of {@link ResponsesToConverse}.
 */
final class ResponsesParameters {

  /** The {@code include} value that asks for the sealed reasoning of reasoning items. */
  static final String ENCRYPTED_REASONING = "reasoning.encrypted_content";

  private static final Set<String> TRUNCATION = Set.of("auto", "disabled");

  private ResponsesParameters() {}

  /**
   * Parameters asking for something the gateway cannot do are refused when they ask for it and
   * accepted at their neutral value; bookkeeping fields are type-checked and ignored.
   */
  static void refuseUnsupported(JsonNode body) {
    if (optionalBoolean(body, "background", false)) {
      throw unsupported(
          "background",
          "Background responses are not supported: send the request without"
              + " 'background' (streaming keeps long answers flowing).");
    }
    for (String param : List.of("conversation", "prompt")) {
      if (body.hasNonNull(param)) {
        throw unsupported(
            param,
            "'"
                + param
                + "' is not supported by this gateway: send the conversation in"
                + " 'input' (or continue a stored response with 'previous_response_id').");
      }
    }
    optionalObject(body, "stream_options", "stream_options");
    optionalObject(body, "client_metadata", "client_metadata");
    optionalString(body, "prompt_cache_key");
    optionalString(body, "prompt_cache_retention");
    optionalString(body, "user");
    optionalString(body, "safety_identifier");
  }

  /**
   * {@code include}: {@code reasoning.encrypted_content} is honoured; values about hosted tools are
   * ignored.
   */
  static boolean include(JsonNode body) {
    JsonNode include = body.get("include");
    if (include == null || include.isNull()) {
      return false;
    }
    if (!include.isArray()) {
      throw invalid("include", "include must be an array of strings.");
    }
    boolean encrypted = false;
    for (int i = 0; i < include.size(); i++) {
      JsonNode value = include.get(i);
      if (!value.isTextual()) {
        throw invalid("include[" + i + "]", "include must be an array of strings.");
      }
      switch (value.asText()) {
        case ENCRYPTED_REASONING -> encrypted = true;
        case "message.output_text.logprobs" ->
            throw unsupported(
                "include[" + i + "]",
                "Log probabilities are not supported: Bedrock does not return them.");
        default -> {
          // outputs of hosted tools (web search sources, file search results...): they never run
          // here
        }
      }
    }
    return encrypted;
  }

  static String summary(JsonNode reasoning) {
    String summary = optionalString(reasoning, "summary", "reasoning.summary");
    if (summary == null) {
      summary = optionalString(reasoning, "generate_summary", "reasoning.generate_summary");
    }
    if (summary != null && !Set.of("auto", "concise", "detailed").contains(summary)) {
      throw invalid(
          "reasoning.summary",
          "Invalid value: '"
              + summary
              + "'. Supported values are: 'auto', 'concise' and 'detailed'.");
    }
    return summary;
  }

  static String truncation(JsonNode body) {
    String truncation = optionalString(body, "truncation");
    if (truncation == null) {
      return "disabled";
    }
    if (!TRUNCATION.contains(truncation)) {
      throw invalid(
          "truncation",
          "Invalid value: '" + truncation + "'. Supported values are: 'auto' and 'disabled'.");
    }
    return truncation;
  }

  static Integer maxToolCalls(JsonNode body) {
    JsonNode v = body.get("max_tool_calls");
    if (v == null || v.isNull()) {
      return null;
    }
    return optionalPositiveInt(body, "max_tool_calls");
  }

  static int topLogprobs(JsonNode body) {
    JsonNode v = body.get("top_logprobs");
    if (v == null || v.isNull()) {
      return 0;
    }
    if (!v.isIntegralNumber() || v.intValue() < 0 || v.intValue() > 20) {
      throw invalid("top_logprobs", "top_logprobs must be an integer between 0 and 20.");
    }
    if (v.intValue() > 0) {
      throw unsupported(
          "top_logprobs",
          "top_logprobs is not supported: Bedrock does not return token log probabilities.");
    }
    return 0;
  }

  /** {@code input} as an array of items: a string is one user message. Null when absent. */
  static ArrayNode input(JsonNode body) {
    JsonNode input = body.get("input");
    if (input == null || input.isNull()) {
      return null;
    }
    if (input.isTextual()) {
      ArrayNode items = JsonNodeFactory.instance.arrayNode();
      items.addObject().put("type", "message").put("role", "user").put("content", input.asText());
      return items;
    }
    if (!input.isArray()) {
      throw invalid("input", "input must be a string or an array of input items.");
    }
    return (ArrayNode) input;
  }
}
