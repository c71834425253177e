package io.github.bedrockgateway.openai.chat;

import static io.github.bedrockgateway.converse.Fields.optionalBoolean;
import static io.github.bedrockgateway.error.GatewayException.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.converse.ModelFamily;
import io.github.bedrockgateway.converse.RequestFields;
import io.github.bedrockgateway.converse.Thinking;
import io.github.bedrockgateway.converse.ToolPlan;
import io.github.bedrockgateway.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The Bedrock pass-through fields of a Chat Completions request: {@code
 * additionalModelRequestFields} (with what the gateway sets itself) and {@code
 * additionalModelResponseFieldPaths}. Pure functions, part of {@link OpenAiToConverse}.
 */
final class ChatBedrockFields {

  /** Converse: at most 10 additional model response field paths, each 1 to 256 characters. */
  static final int MAX_RESPONSE_FIELD_PATHS = 10;

  private ChatBedrockFields() {}

  /**
   * {@code additionalModelRequestFields}: what the gateway sets itself (Claude {@code thinking},
   * the provider's {@code top_k}, Anthropic's {@code tool_choice.disable_parallel_tool_use}) with
   * the client's raw object merged over it, the client winning key by key (objects merge
   * recursively).
   */
  static ObjectNode modelRequestFields(
      JsonNode body, String modelId, Thinking thinking, ToolPlan tools, JsonNode clientFields) {
    ObjectNode fields = Json.MAPPER.createObjectNode();
    if (thinking.fromEffort()) {
      fields.set("thinking", thinking.field());
    }
    JsonNode topK = body.get("top_k");
    if (topK != null && !topK.isNull()) {
      if (!topK.isIntegralNumber() || !topK.canConvertToInt() || topK.intValue() < 1) {
        throw invalid("top_k", "top_k must be an integer of at least 1.");
      }
      // Claude refuses top_k with thinking on; it is dropped like temperature.
      if (!thinking.enabled()) {
        if (ModelFamily.isNova(modelId)) {
          fields.putObject("inferenceConfig").put("topK", topK.intValue());
        } else {
          fields.put("top_k", topK.intValue());
        }
      }
    }
    if (!optionalBoolean(body, "parallel_tool_calls", true)
        && tools.choiceSent()
        && ModelFamily.isAnthropic(modelId)) {
      // No "type": Bedrock derives it from toolConfig.toolChoice and refuses a second one.
      fields.putObject("tool_choice").put("disable_parallel_tool_use", true);
    }
    if (clientFields != null) {
      RequestFields.merge(fields, clientFields);
    }
    return fields;
  }

  /** {@code additionalModelResponseFieldPaths}: JSON Pointers into the model's own response. */
  static List<String> responseFieldPaths(JsonNode body) {
    String p = "additionalModelResponseFieldPaths";
    JsonNode paths = body.get(p);
    if (paths == null || paths.isNull()) {
      return List.of();
    }
    if (!paths.isArray() || paths.size() > MAX_RESPONSE_FIELD_PATHS) {
      throw invalid(
          p,
          p
              + " must be an array of at most "
              + MAX_RESPONSE_FIELD_PATHS
              + " JSON Pointer strings.");
    }
    List<String> out = new ArrayList<>(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      JsonNode path = paths.get(i);
      if (!path.isTextual() || path.asText().isEmpty() || path.asText().length() > 256) {
        throw invalid(
            p + "[" + i + "]",
            "Each path must be a JSON Pointer string of 1 to 256 characters, e.g. \"/stop_sequence\".");
      }
      out.add(path.asText());
    }
    return out;
  }
}
