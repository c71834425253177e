package io.github.bedrockgateway.converse;

import static io.github.bedrockgateway.error.GatewayException.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.json.Json;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.bedrockruntime.model.JsonSchemaDefinition;
import software.amazon.awssdk.services.bedrockruntime.model.OutputConfig;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormat;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatStructure;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatType;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;

/**
 * A structured-output request (OpenAI chat's {@code response_format}, the Responses API's {@code
 * text.format}) -> Converse. Two ways, decided by the model:
 *
 * <ul>
 *   <li><b>native</b>: a JSON schema for a model listed in {@code gateway.structured-output.models}
 *       becomes {@code outputConfig.textFormat} (constrained decoding; the answer is the text);
 *   <li><b>tool fallback</b>: any other model, and {@code json_object} everywhere (Converse
 *       structured output needs a schema), gets a synthetic tool whose input schema is the response
 *       schema; the gateway makes the model call it and returns the call's input as the answer's
 *       text, streamed as text deltas.
 * </ul>
 *
 * How the model is made to call the tool depends on the rest of the request (tool choice,
 * thinking): see {@link ToolPlan} and docs/compatibility.md. Each protocol reads its own field and
 * calls the factories here with the parameter name its errors should carry.
 *
 * @param outputConfig the native structured-output setting, or null
 * @param tool the synthetic tool of the fallback, or null
 */
public record StructuredOutput(OutputConfig outputConfig, Tool tool) {

  public static final StructuredOutput NONE = new StructuredOutput(null, null);

  /** The synthetic tool of {@code json_object}. */
  public static final String JSON_OBJECT_TOOL = "json_object";

  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  /** The synthetic tool's name, or null when there is none. */
  public String toolName() {
    return tool == null ? null : tool.toolSpec().name();
  }

  public boolean isFallback() {
    return tool != null;
  }

  /** {@code json_object}: any JSON object, always through the tool fallback. */
  public static StructuredOutput jsonObject() {
    JsonNode schema = Json.MAPPER.createObjectNode().put("type", "object");
    return new StructuredOutput(
        null,
        tool(
            JSON_OBJECT_TOOL,
            "Respond with your answer as a JSON object: call this tool with the object as its input.",
            schema));
  }

  /**
   * A JSON schema answer.
   *
   * @param name the schema's name (checked: {@code [a-zA-Z0-9_-]{1,64}}), also the fallback tool's
   *     name
   * @param description its description, or null
   * @param schema the schema object, or null for any object
   * @param param the parameter errors name, e.g. {@code response_format.json_schema}; its {@code
   *     .name} and {@code .schema} name the fields
   * @param modelId the Bedrock model id (decides native or fallback)
   */
  public static StructuredOutput jsonSchema(
      String name,
      String description,
      JsonNode schema,
      String param,
      String modelId,
      TranslationOptions.StructuredOutput options) {
    if (!SCHEMA_NAME.matcher(name).matches()) {
      throw invalid(
          param + ".name", "Invalid name '" + name + "': names must match [a-zA-Z0-9_-]{1,64}.");
    }
    if (schema != null && schema.has("type") && !"object".equals(schema.path("type").asText())) {
      throw invalid(
          param + ".schema",
          "The response schema must describe a JSON object"
              + " (\"type\": \"object\"): Bedrock returns structured output as an object.");
    }
    if (schema != null && TranslationOptions.matches(modelId, options.models())) {
      JsonSchemaDefinition.Builder definition =
          JsonSchemaDefinition.builder().name(name).schema(schema.toString());
      if (description != null && !description.isEmpty()) {
        definition.description(description);
      }
      return new StructuredOutput(
          OutputConfig.builder()
              .textFormat(
                  OutputFormat.builder()
                      .type(OutputFormatType.JSON_SCHEMA)
                      .structure(OutputFormatStructure.fromJsonSchema(definition.build()))
                      .build())
              .build(),
          null);
    }
    JsonNode inputSchema =
        schema != null ? schema : Json.MAPPER.createObjectNode().put("type", "object");
    String toolDescription =
        description != null && !description.isEmpty()
            ? description
            : "Respond with your answer: call this tool with the answer as its input.";
    return new StructuredOutput(null, tool(name, toolDescription, inputSchema));
  }

  private static Tool tool(String name, String description, JsonNode schema) {
    return Tool.fromToolSpec(
        ToolSpecification.builder()
            .name(name)
            .description(description)
            .inputSchema(ToolInputSchema.fromJson(Documents.fromJson(schema)))
            .build());
  }

  /** The instruction added when the model cannot be forced to call the tool. */
  public String instruction() {
    return "Give your final answer by calling the tool '"
        + toolName()
        + "' with the answer as its input; do not write the answer as text.";
  }
}
