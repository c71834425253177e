package io.github.bedrockgateway.anthropic;

import static io.github.bedrockgateway.error.GatewayException.invalid;
import static io.github.bedrockgateway.error.GatewayException.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.converse.Documents;
import io.github.bedrockgateway.converse.ModelFamily;
import io.github.bedrockgateway.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.JsonSchemaDefinition;
import software.amazon.awssdk.services.bedrockruntime.model.OutputConfig;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormat;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatStructure;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatType;

/**
 * The top level of a Messages request for Converse, beside its conversation and tools: which fields
 * are accepted at all, the sampling parameters ({@code inferenceConfig}, {@code top_k}) and {@code
 * output_config}. Part of {@link AnthropicToConverse}; pure.
 */
final class MessagesParameters {

  /** Top-level fields this translation reads; any other is refused, as the Anthropic API does. */
  private static final Set<String> KNOWN =
      Set.of(
          "model",
          "max_tokens",
          "messages",
          "system",
          "stop_sequences",
          "temperature",
          "top_p",
          "top_k",
          "metadata",
          "tools",
          "tool_choice",
          "thinking",
          "stream",
          "service_tier",
          "output_config",
          "context_management",
          "container",
          "mcp_servers",
          "anthropic_version",
          "anthropic_beta");

  private MessagesParameters() {}

  /**
   * Refuses unknown fields (400) and Claude-only features this model cannot have; checks {@code
   * metadata}, which is otherwise dropped.
   */
  static void refuseUnsupported(JsonNode body) {
    Iterator<String> names = body.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!KNOWN.contains(name)) {
        throw invalid(name, name + ": Extra inputs are not permitted");
      }
    }
    JsonNode thinking = body.get("thinking");
    if (thinking != null && !thinking.isNull()) {
      String type = thinking.path("type").asText("");
      if (!type.equals("disabled")) {
        throw unsupported(
            "thinking",
            "thinking: extended thinking is available for Claude models only; this model is called"
                + " through Bedrock Converse, which has no equivalent. Omit 'thinking' or send"
                + " {\"type\": \"disabled\"}.");
      }
    }
    for (String field : List.of("context_management", "container", "mcp_servers")) {
      JsonNode value = body.get(field);
      if (value != null && !value.isNull()) {
        throw unsupported(
            field,
            field
                + ": this feature runs on Anthropic's servers for Claude models only; Bedrock"
                + " Converse has no equivalent for this model.");
      }
    }
    JsonNode metadata = body.get("metadata");
    if (metadata != null && !metadata.isNull()) {
      if (!metadata.isObject()) {
        throw invalid("metadata", "metadata: Input should be an object");
      }
      JsonNode user = metadata.get("user_id");
      if (user != null && !user.isNull() && !user.isTextual()) {
        throw invalid("metadata.user_id", "metadata.user_id: Input should be a string");
      }
    }
  }

  /** {@code max_tokens}, {@code temperature}, {@code top_p} and {@code stop_sequences}. */
  static InferenceConfiguration inference(JsonNode body, int maxTokens) {
    InferenceConfiguration.Builder b = InferenceConfiguration.builder().maxTokens(maxTokens);
    Double temperature = number(body, "temperature", 0, 1);
    if (temperature != null) {
      b.temperature(temperature.floatValue());
    }
    Double topP = number(body, "top_p", 0, 1);
    if (topP != null) {
      b.topP(topP.floatValue());
    }
    List<String> stop = stopSequences(body);
    if (!stop.isEmpty()) {
      b.stopSequences(stop);
    }
    return b.build();
  }

  /** The {@code stop_sequences} of a request (empty strings dropped: Converse refuses them). */
  static List<String> stopSequences(JsonNode body) {
    JsonNode stop = body.get("stop_sequences");
    if (stop == null || stop.isNull()) {
      return List.of();
    }
    if (!stop.isArray()) {
      throw invalid("stop_sequences", "stop_sequences: Input should be a valid list of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < stop.size(); i++) {
      if (!stop.get(i).isTextual()) {
        throw invalid(
            "stop_sequences." + i, "stop_sequences." + i + ": Input should be a valid string");
      }
      if (!stop.get(i).asText().isEmpty()) {
        out.add(stop.get(i).asText());
      }
    }
    return out;
  }

  private static Double number(JsonNode body, String field, double min, double max) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber() || v.doubleValue() < min || v.doubleValue() > max) {
      throw invalid(
          field, field + ": Input should be a number from " + (int) min + " to " + (int) max);
    }
    return v.doubleValue();
  }

  /**
   * {@code top_k} as {@code additionalModelRequestFields}, or null when absent: Nova reads it
   * inside its own {@code inferenceConfig}, the other providers at the top level.
   */
  static Document topK(JsonNode body, String modelId) {
    JsonNode topK = body.get("top_k");
    if (topK == null || topK.isNull()) {
      return null;
    }
    if (!topK.isIntegralNumber() || !topK.canConvertToInt() || topK.intValue() < 0) {
      throw invalid("top_k", "top_k: Input should be a non-negative integer");
    }
    ObjectNode fields = Json.MAPPER.createObjectNode();
    if (ModelFamily.isNova(modelId)) {
      fields.putObject("inferenceConfig").put("topK", topK.intValue());
    } else {
      fields.put("top_k", topK.intValue());
    }
    return Documents.fromJson(fields);
  }

  /**
   * {@code output_config.format} ({@code json_schema}) is Converse's structured output; {@code
   * effort} tunes Claude's thinking, which these models do not have.
   */
  static OutputConfig outputConfig(JsonNode body) {
    JsonNode config = body.get("output_config");
    if (config == null || config.isNull()) {
      return null;
    }
    if (!config.isObject()) {
      throw invalid("output_config", "output_config: Input should be an object");
    }
    OutputConfig result = null;
    Iterator<String> names = config.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (name.equals("format")) {
        JsonNode format = config.get("format");
        if (format == null || format.isNull()) {
          continue;
        }
        if (!"json_schema".equals(format.path("type").asText())
            || !format.path("schema").isObject()) {
          throw invalid(
              "output_config.format",
              "output_config.format: Input should be {\"type\": \"json_schema\", \"schema\": {...}}");
        }
        result =
            OutputConfig.builder()
                .textFormat(
                    OutputFormat.builder()
                        .type(OutputFormatType.JSON_SCHEMA)
                        .structure(
                            OutputFormatStructure.fromJsonSchema(
                                JsonSchemaDefinition.builder()
                                    .schema(format.get("schema").toString())
                                    .build()))
                        .build())
                .build();
      } else if (name.equals("effort")) {
        throw unsupported(
            "output_config.effort",
            "output_config.effort: effort tunes Claude's thinking and is available for Claude models"
                + " only.");
      } else {
        throw invalid(
            "output_config." + name, "output_config." + name + ": Extra inputs are not permitted");
      }
    }
    return result;
  }
}
