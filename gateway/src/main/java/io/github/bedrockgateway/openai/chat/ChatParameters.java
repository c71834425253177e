package io.github.bedrockgateway.openai.chat;

import static io.github.bedrockgateway.converse.Fields.optionalBoolean;
import static io.github.bedrockgateway.converse.Fields.optionalNumber;
import static io.github.bedrockgateway.converse.Fields.optionalPositiveInt;
import static io.github.bedrockgateway.converse.Fields.optionalString;
import static io.github.bedrockgateway.error.GatewayException.invalid;
import static io.github.bedrockgateway.error.GatewayException.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.converse.Inference;
import io.github.bedrockgateway.converse.Thinking;
import io.github.bedrockgateway.converse.TranslationOptions;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;

/**
 * The top-level parameters of a Chat Completions request: {@code stream_options}, the parameters
 * Bedrock cannot honour (refused when they ask for something), and the inference settings. Pure
 * functions, part of {@link OpenAiToConverse}.
 */
final class ChatParameters {

  /** OpenAI accepts at most 4 stop sequences, as do several Bedrock models. */
  static final int MAX_STOP_SEQUENCES = 4;

  private ChatParameters() {}

  /** {@code stream_options}, allowed only when streaming: whether usage is included. */
  static boolean streamOptions(JsonNode body, boolean stream) {
    JsonNode options = body.get("stream_options");
    if (options == null || options.isNull()) {
      return false;
    }
    if (!options.isObject()) {
      throw invalid("stream_options", "stream_options must be an object.");
    }
    if (!stream) {
      throw invalid(
          "stream_options",
          "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
    }
    return optionalBoolean(options, "include_usage", "stream_options.include_usage", false);
  }

  /**
   * Parameters Bedrock cannot honour: refused when they ask for something, accepted at their
   * neutral value.
   */
  static void refuseUnsupported(JsonNode body) {
    JsonNode n = body.get("n");
    if (n != null && !n.isNull()) {
      if (!n.isIntegralNumber() || n.intValue() < 1) {
        throw invalid("n", "n must be an integer of at least 1.");
      }
      if (n.intValue() > 1) {
        throw unsupported("n", "Only n=1 is supported: Bedrock returns one choice per request.");
      }
    }
    if (optionalBoolean(body, "logprobs", false)) {
      throw unsupported(
          "logprobs",
          "logprobs is not supported: Bedrock does not return token log probabilities.");
    }
    JsonNode topLogprobs = body.get("top_logprobs");
    if (topLogprobs != null && !topLogprobs.isNull()) {
      throw unsupported(
          "top_logprobs",
          "top_logprobs is not supported: Bedrock does not return token log probabilities.");
    }
    for (String penalty : List.of("presence_penalty", "frequency_penalty")) {
      Double value = optionalNumber(body, penalty, -2.0, 2.0);
      if (value != null && value != 0.0) {
        throw unsupported(
            penalty, penalty + " is not supported by Bedrock Converse; send 0 or omit it.");
      }
    }
    JsonNode logitBias = body.get("logit_bias");
    if (logitBias != null && !logitBias.isNull()) {
      if (!logitBias.isObject()) {
        throw invalid("logit_bias", "logit_bias must be an object.");
      }
      if (logitBias.size() > 0) {
        throw unsupported("logit_bias", "logit_bias is not supported by Bedrock Converse.");
      }
    }
    if (body.hasNonNull("functions") || body.hasNonNull("function_call")) {
      String param = body.hasNonNull("functions") ? "functions" : "function_call";
      throw unsupported(
          param,
          "The deprecated '"
              + param
              + "' parameter is not supported; use 'tools' and 'tool_choice'.");
    }
    JsonNode modalities = body.get("modalities");
    if (modalities != null && !modalities.isNull()) {
      if (!modalities.isArray()) {
        throw invalid("modalities", "modalities must be an array.");
      }
      for (JsonNode m : modalities) {
        if (!"text".equals(m.asText())) {
          throw unsupported("modalities", "Only the 'text' output modality is supported.");
        }
      }
    }
    for (String param : List.of("audio", "prediction", "web_search_options")) {
      if (body.hasNonNull(param)) {
        throw unsupported(param, "'" + param + "' is not supported by this gateway.");
      }
    }
    // Checked for type only; their values have no Bedrock counterpart (docs/compatibility.md).
    optionalString(body, "user");
    optionalBoolean(body, "store", false);
    optionalBoolean(body, "parallel_tool_calls", true);
    JsonNode seed = body.get("seed");
    if (seed != null && !seed.isNull() && !seed.isIntegralNumber()) {
      throw invalid("seed", "seed must be an integer.");
    }
  }

  /**
   * {@code max_completion_tokens} (or the older {@code max_tokens}), {@code temperature}, {@code
   * top_p} and {@code stop} as Converse's inference configuration; null when nothing is set.
   */
  static InferenceConfiguration inferenceConfig(
      JsonNode body, Thinking thinking, TranslationOptions.Reasoning reasoning) {
    Integer maxTokens = optionalPositiveInt(body, "max_completion_tokens");
    if (maxTokens == null) {
      maxTokens = optionalPositiveInt(body, "max_tokens");
    } else {
      optionalPositiveInt(body, "max_tokens"); // still type-checked
    }
    Double temperature = optionalNumber(body, "temperature", 0.0, 2.0);
    Double topP = optionalNumber(body, "top_p", 0.0, 1.0);
    return Inference.config(maxTokens, temperature, topP, stopSequences(body), thinking, reasoning);
  }

  private static List<String> stopSequences(JsonNode body) {
    JsonNode stop = body.get("stop");
    if (stop == null || stop.isNull()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (stop.isTextual()) {
      if (!stop.asText().isEmpty()) {
        out.add(stop.asText());
      }
    } else if (stop.isArray()) {
      for (int i = 0; i < stop.size(); i++) {
        JsonNode s = stop.get(i);
        if (!s.isTextual()) {
          throw invalid("stop", "stop must be a string or an array of strings.");
        }
        if (!s.asText().isEmpty()) {
          out.add(s.asText());
        }
      }
    } else {
      throw invalid("stop", "stop must be a string or an array of strings.");
    }
    if (out.size() > MAX_STOP_SEQUENCES) {
      throw invalid("stop", "At most " + MAX_STOP_SEQUENCES + " stop sequences are allowed.");
    }
    return out;
  }
}
