package io.github.bedrockgateway.openai.chat;

import static io.github.bedrockgateway.error.GatewayException.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.converse.Fields;
import io.github.bedrockgateway.converse.StructuredOutput;
import io.github.bedrockgateway.converse.TranslationOptions;

/** OpenAI chat's {@code response_format} read into a {@link StructuredOutput}. */
final class ResponseFormat {

  private ResponseFormat() {}

  static StructuredOutput of(
      JsonNode body, String modelId, TranslationOptions.StructuredOutput options) {
    JsonNode format = body.get("response_format");
    if (format == null || format.isNull()) {
      return StructuredOutput.NONE;
    }
    if (!format.isObject() || !format.path("type").isTextual()) {
      throw invalid("response_format", "response_format must be an object with a 'type'.");
    }
    String type = format.get("type").asText();
    return switch (type) {
      case "text" -> StructuredOutput.NONE;
      case "json_object" -> StructuredOutput.jsonObject();
      case "json_schema" -> jsonSchema(format, modelId, options);
      default ->
          throw invalid(
              "response_format.type",
              "Invalid value: '"
                  + type
                  + "'. Supported values are: 'text', 'json_object' and 'json_schema'.");
    };
  }

  private static StructuredOutput jsonSchema(
      JsonNode format, String modelId, TranslationOptions.StructuredOutput options) {
    String p = "response_format.json_schema";
    JsonNode spec = format.get("json_schema");
    if (spec == null || !spec.isObject()) {
      throw invalid(p, "Missing required parameter: '" + p + "'.");
    }
    String name = Fields.requiredString(spec, "name", p + ".name");
    String description = Fields.optionalString(spec, "description", p + ".description");
    Fields.optionalBoolean(spec, "strict", p + ".strict", false);
    JsonNode schema = Fields.optionalObject(spec, "schema", p + ".schema");
    return StructuredOutput.jsonSchema(name, description, schema, p, modelId, options);
  }
}
