package io.github.bedrockgateway.openai.responses;

import static io.github.bedrockgateway.converse.Fields.optionalBoolean;
import static io.github.bedrockgateway.converse.Fields.optionalObject;
import static io.github.bedrockgateway.converse.Fields.optionalString;
import static io.github.bedrockgateway.converse.Fields.requiredString;
import static io.github.bedrockgateway.error.GatewayException.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.converse.StructuredOutput;
import io.github.bedrockgateway.converse.TranslationOptions;

/**
 * Structured output: {@code text.format} ({@code text}, {@code json_object} or {@code json_schema})
 * as a {@link StructuredOutput}. Pure functions, part of {@link ResponsesToConverse}.
 */
final class ResponsesTextFormat {

  private ResponsesTextFormat() {}

  /** {@code text.format}, with {@code text.verbosity} type-checked; {@code NONE} when absent. */
  static StructuredOutput textFormat(
      JsonNode text, String modelId, TranslationOptions.StructuredOutput options) {
    if (text == null) {
      return StructuredOutput.NONE;
    }
    optionalString(text, "verbosity", "text.verbosity");
    JsonNode format = text.get("format");
    if (format == null || format.isNull()) {
      return StructuredOutput.NONE;
    }
    String p = "text.format";
    if (!format.isObject() || !format.path("type").isTextual()) {
      throw invalid(p, "text.format must be an object with a 'type'.");
    }
    String type = format.get("type").asText();
    return switch (type) {
      case "text" -> StructuredOutput.NONE;
      case "json_object" -> StructuredOutput.jsonObject();
      case "json_schema" -> {
        String name = requiredString(format, "name", p + ".name");
        String description = optionalString(format, "description", p + ".description");
        optionalBoolean(format, "strict", p + ".strict", false);
        JsonNode schema = optionalObject(format, "schema", p + ".schema");
        if (schema == null) {
          throw invalid(p + ".schema", "Missing required parameter: '" + p + ".schema'.");
        }
        yield StructuredOutput.jsonSchema(name, description, schema, p, modelId, options);
      }
      default ->
          throw invalid(
              p + ".type",
              "Invalid value: '"
                  + type
                  + "'. Supported values are: 'text', 'json_object' and 'json_schema'.");
    };
  }
}
