package io.github.bedrockgateway.openai.responses;

import static io.github.bedrockgateway.converse.Fields.optionalBoolean;
import static io.github.bedrockgateway.converse.Fields.optionalObject;
import static io.github.bedrockgateway.converse.Fields.optionalString;
import static io.github.bedrockgateway.converse.Fields.requiredString;
import static io.github.bedrockgateway.error.GatewayException.invalid;
import static io.github.bedrockgateway.error.GatewayException.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.converse.CacheMarkers;
import io.github.bedrockgateway.converse.Conversation;
import io.github.bedrockgateway.converse.Documents;
import io.github.bedrockgateway.converse.ToolPlan;
import io.github.bedrockgateway.converse.TranslationOptions;
import io.github.bedrockgateway.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;

/**
 * The client's tools as Converse sees them ({@code tools}), and its choice ({@code tool_choice}).
 * Read by {@link #tools}, a pure function, part of {@link ResponsesToConverse}.
 */
final class ResponsesTools {

  /** The one string parameter a free-form ({@code custom}) tool gets as a Converse function. */
  static final String CUSTOM_TOOL_INPUT = "input";

  private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  /** The Converse tools, each followed by the cache point its marker asks for. */
  final List<Tool> specs = new ArrayList<>();

  /** The names of the tools Bedrock gets. */
  final Set<String> names = new HashSet<>();

  /** The names of the free-form ({@code custom}) tools among them. */
  final Set<String> customTools = new LinkedHashSet<>();

  ToolPlan.Choice choice = ToolPlan.Choice.AUTO;

  /** The tool {@code tool_choice} names, else null. */
  String forced;

  private ResponsesTools() {}

  /**
   * {@code function} tools become Converse tools; {@code custom} (free-form) tools become a
   * function with one string parameter {@code input}; every other type (hosted tools such as {@code
   * web_search}, and {@code namespace} groups) is dropped: Bedrock cannot run them, and clients
   * such as Codex send them on every request.
   */
  static ResponsesTools tools(
      JsonNode body, Conversation c, String modelId, List<String> strictModels) {
    ResponsesTools out = new ResponsesTools();
    JsonNode tools = body.get("tools");
    boolean anyTool = false;
    if (tools != null && !tools.isNull()) {
      if (!tools.isArray()) {
        throw invalid("tools", "tools must be an array.");
      }
      boolean strictSupported = TranslationOptions.matches(modelId, strictModels);
      for (int i = 0; i < tools.size(); i++) {
        JsonNode tool = tools.get(i);
        String p = "tools[" + i + "]";
        if (!tool.isObject()) {
          throw invalid(p, "Each tool must be an object.");
        }
        String type = requiredString(tool, "type", p + ".type");
        anyTool = true;
        Tool spec =
            switch (type) {
              case "function" -> functionTool(tool, p, out.names, strictSupported);
              case "custom" -> {
                Tool t = customTool(tool, p, out.names);
                out.customTools.add(t.toolSpec().name());
                yield t;
              }
              default -> null; // hosted and grouped tools: dropped (docs/compatibility.md)
            };
        if (spec == null) {
          continue;
        }
        out.specs.add(spec);
        CachePointBlock marker = CacheMarkers.of(tool, p);
        if (marker != null) {
          c.countCachePoint(p + ".cache_control");
          out.specs.add(Tool.fromCachePoint(marker));
        }
      }
    }
    toolChoice(body.get("tool_choice"), anyTool, out);
    return out;
  }

  private static void toolChoice(JsonNode choice, boolean anyTool, ResponsesTools out) {
    if (choice == null || choice.isNull()) {
      return;
    }
    String p = "tool_choice";
    if (choice.isTextual()) {
      out.choice =
          switch (choice.asText()) {
            case "auto" -> ToolPlan.Choice.AUTO;
            case "none" -> ToolPlan.Choice.NONE;
            case "required" -> ToolPlan.Choice.REQUIRED;
            default ->
                throw invalid(
                    p,
                    "Invalid value: '"
                        + choice.asText()
                        + "'. Supported values are: 'none', 'auto', 'required' or a named function.");
          };
    } else if (choice.isObject()) {
      String type = requiredString(choice, "type", p + ".type");
      if (!type.equals("function") && !type.equals("custom")) {
        throw unsupported(
            p + ".type",
            "tool_choice of type '"
                + type
                + "' is not supported; use 'none',"
                + " 'auto', 'required', {\"type\": \"function\", \"name\": ...} or {\"type\": \"custom\", \"name\": ...}.");
      }
      String name = requiredString(choice, "name", p + ".name");
      if (!out.names.contains(name)) {
        throw invalid(p, "tool_choice names tool '" + name + "', which is not in 'tools'.");
      }
      out.choice = ToolPlan.Choice.NAMED;
      out.forced = name;
    } else {
      throw invalid(p, "tool_choice must be a string or an object.");
    }
    if (out.choice == ToolPlan.Choice.REQUIRED && out.specs.isEmpty()) {
      throw invalid(
          p,
          anyTool
              ? "tool_choice 'required' cannot be honoured: none of the request's tools can run on Bedrock"
                  + " (hosted tools are dropped)."
              : "tool_choice is only allowed when 'tools' are specified.");
    }
  }

  private static String toolName(JsonNode tool, String p, Set<String> names) {
    String name = requiredString(tool, "name", p + ".name");
    if (!TOOL_NAME.matcher(name).matches()) {
      throw invalid(
          p + ".name", "Invalid tool name '" + name + "': names must match [a-zA-Z0-9_-]{1,64}.");
    }
    if (!names.add(name)) {
      throw invalid(p + ".name", "Duplicate tool name '" + name + "'.");
    }
    return name;
  }

  private static Tool functionTool(
      JsonNode tool, String p, Set<String> names, boolean strictSupported) {
    String name = toolName(tool, p, names);
    String description = optionalString(tool, "description", p + ".description");
    // OpenAI's Responses API defaults strict to true, which Bedrock can only enforce on some
    // models and only for schemas written for it: strict tool use is asked for only when the
    // client says true.
    boolean strict = optionalBoolean(tool, "strict", p + ".strict", false);
    return ToolPlan.functionTool(
        name,
        description,
        tool.get("parameters"),
        "parameters",
        p + ".parameters",
        strict,
        strictSupported);
  }

  /**
   * A free-form tool: a function taking one string, {@code input}. A grammar ({@code format.type:
   * grammar}) cannot be enforced by Bedrock; it is given to the model in the parameter's
   * description.
   */
  private static Tool customTool(JsonNode tool, String p, Set<String> names) {
    String name = toolName(tool, p, names);
    String description = optionalString(tool, "description", p + ".description");
    JsonNode format = optionalObject(tool, "format", p + ".format");
    String inputDescription = "The tool's input, as free-form text.";
    if (format != null) {
      String type = requiredString(format, "type", p + ".format.type");
      if (type.equals("grammar")) {
        String syntax = optionalString(format, "syntax", p + ".format.syntax");
        String definition = requiredString(format, "definition", p + ".format.definition");
        inputDescription =
            "The tool's input, as text that must follow this "
                + (syntax == null ? "" : syntax + " ")
                + "grammar:\n"
                + definition;
      } else if (!type.equals("text")) {
        throw invalid(
            p + ".format.type",
            "Invalid value: '" + type + "'. Supported values are: 'text' and 'grammar'.");
      }
    }
    ObjectNode schema = Json.MAPPER.createObjectNode().put("type", "object");
    schema
        .putObject("properties")
        .putObject(CUSTOM_TOOL_INPUT)
        .put("type", "string")
        .put("description", inputDescription);
    schema.putArray("required").add(CUSTOM_TOOL_INPUT);
    ToolSpecification.Builder spec =
        ToolSpecification.builder()
            .name(name)
            .inputSchema(ToolInputSchema.fromJson(Documents.fromJson(schema)));
    if (description != null && !description.isEmpty()) {
      spec.description(description);
    }
    return Tool.fromToolSpec(spec.build());
  }
}
