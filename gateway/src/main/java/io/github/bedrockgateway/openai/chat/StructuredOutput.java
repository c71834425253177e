package io.github.bedrockgateway.openai.chat;

import io.github.bedrockgateway.converse.Documents;
import io.github.bedrockgateway.converse.Fields;
import io.github.bedrockgateway.converse.TranslationOptions;
import io.github.bedrockgateway.json.Json;

import static io.github.bedrockgateway.error.GatewayException.invalid;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import software.amazon.awssdk.services.bedrockruntime.model.JsonSchemaDefinition;
import software.amazon.awssdk.services.bedrockruntime.model.OutputConfig;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormat;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatStructure;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatType;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;

/**
 * OpenAI {@code response_format} -> Converse. Two ways, decided by the model:
 * <ul>
 * <li><b>native</b>: {@code json_schema} for a model listed in {@code gateway.structured-output.models}
 * becomes {@code outputConfig.textFormat} (constrained decoding; the answer is the text);</li>
 * <li><b>tool fallback</b>: any other model, and {@code json_object} everywhere (Converse structured
 * output needs a schema), gets a synthetic tool whose input schema is the response schema; the gateway
 * makes the model call it and returns the call's input as the message {@code content} with
 * {@code finish_reason: stop}, streamed as content deltas.</li>
 * </ul>
 * How the model is made to call the tool depends on the rest of the request (tool_choice, thinking):
 * see {@code OpenAiToConverse} and docs/compatibility.md.
 *
 * @param outputConfig the native structured-output setting, or null
 * @param tool         the synthetic tool of the fallback, or null
 */
record StructuredOutput(OutputConfig outputConfig, Tool tool) {

    static final StructuredOutput NONE = new StructuredOutput(null, null);
    /** The synthetic tool of {@code json_object}. */
    static final String JSON_OBJECT_TOOL = "json_object";

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    /** The synthetic tool's name, or null when there is none. */
    String toolName() {
        return tool == null ? null : tool.toolSpec().name();
    }

    boolean isFallback() {
        return tool != null;
    }

    static StructuredOutput of(JsonNode body, String modelId, TranslationOptions.StructuredOutput options) {
        JsonNode format = body.get("response_format");
        if (format == null || format.isNull()) {
            return NONE;
        }
        if (!format.isObject() || !format.path("type").isTextual()) {
            throw invalid("response_format", "response_format must be an object with a 'type'.");
        }
        String type = format.get("type").asText();
        switch (type) {
            case "text" -> {
                return NONE;
            }
            case "json_object" -> {
                JsonNode schema = Json.MAPPER.createObjectNode().put("type", "object");
                return new StructuredOutput(null, tool(JSON_OBJECT_TOOL,
                        "Respond with your answer as a JSON object: call this tool with the object as its input.", schema));
            }
            case "json_schema" -> {
                return jsonSchema(format, modelId, options);
            }
            default -> throw invalid("response_format.type", "Invalid value: '" + type
                    + "'. Supported values are: 'text', 'json_object' and 'json_schema'.");
        }
    }

    private static StructuredOutput jsonSchema(JsonNode format, String modelId, TranslationOptions.StructuredOutput options) {
        JsonNode spec = format.get("json_schema");
        if (spec == null || !spec.isObject()) {
            throw invalid("response_format.json_schema", "Missing required parameter: 'response_format.json_schema'.");
        }
        String name = Fields.requiredString(spec, "name", "response_format.json_schema.name");
        if (!SCHEMA_NAME.matcher(name).matches()) {
            throw invalid("response_format.json_schema.name", "Invalid name '" + name
                    + "': names must match [a-zA-Z0-9_-]{1,64}.");
        }
        String description = Fields.optionalString(spec, "description", "response_format.json_schema.description");
        Fields.optionalBoolean(spec, "strict", "response_format.json_schema.strict", false);
        JsonNode schema = Fields.optionalObject(spec, "schema", "response_format.json_schema.schema");
        if (schema != null && schema.has("type") && !"object".equals(schema.path("type").asText())) {
            throw invalid("response_format.json_schema.schema", "The response schema must describe a JSON object"
                    + " (\"type\": \"object\"): Bedrock returns structured output as an object.");
        }
        if (schema != null && TranslationOptions.matches(modelId, options.models())) {
            JsonSchemaDefinition.Builder definition = JsonSchemaDefinition.builder().name(name).schema(schema.toString());
            if (description != null && !description.isEmpty()) {
                definition.description(description);
            }
            return new StructuredOutput(OutputConfig.builder().textFormat(OutputFormat.builder()
                    .type(OutputFormatType.JSON_SCHEMA)
                    .structure(OutputFormatStructure.fromJsonSchema(definition.build())).build()).build(), null);
        }
        JsonNode inputSchema = schema != null ? schema : Json.MAPPER.createObjectNode().put("type", "object");
        String toolDescription = description != null && !description.isEmpty() ? description
                : "Respond with your answer: call this tool with the answer as its input.";
        return new StructuredOutput(null, tool(name, toolDescription, inputSchema));
    }

    private static Tool tool(String name, String description, JsonNode schema) {
        return Tool.fromToolSpec(ToolSpecification.builder().name(name).description(description)
                .inputSchema(ToolInputSchema.fromJson(Documents.fromJson(schema))).build());
    }

    /** The instruction added when the model cannot be forced to call the tool. */
    String instruction() {
        return "Give your final answer by calling the tool '" + toolName()
                + "' with the answer as its input; do not write the answer as text.";
    }
}
