package io.github.bedrockgateway.openai.chat;

import static io.github.bedrockgateway.converse.Fields.optionalBoolean;
import static io.github.bedrockgateway.converse.Fields.optionalString;
import static io.github.bedrockgateway.converse.Fields.requiredString;
import static io.github.bedrockgateway.error.GatewayException.invalid;
import static io.github.bedrockgateway.error.GatewayException.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.converse.CacheMarkers;
import io.github.bedrockgateway.converse.Conversation;
import io.github.bedrockgateway.converse.StructuredOutput;
import io.github.bedrockgateway.converse.Thinking;
import io.github.bedrockgateway.converse.ToolPlan;
import io.github.bedrockgateway.converse.TranslationOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;

/**
 * The {@code tools} and {@code tool_choice} of a Chat Completions request as a {@link ToolPlan}.
 * Pure functions, part of {@link OpenAiToConverse}.
 */
final class ChatTools {

  private static final ToolPlan.Params CHAT_PARAMS =
      new ToolPlan.Params("tool_choice", "reasoning_effort", "response_format");
  private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  /**
   * The modes of {@code tool_choice}: the strings {@code none}, {@code auto} and {@code required},
   * or an object naming a function.
   */
  private enum ToolChoiceMode {
    NONE("none", ToolPlan.Choice.NONE),
    AUTO("auto", ToolPlan.Choice.AUTO),
    REQUIRED("required", ToolPlan.Choice.REQUIRED),
    /** {@code {"type": "function", "function": {"name": ...}}}: that function must be called. */
    FUNCTION(null, ToolPlan.Choice.NAMED);

    /** The string that selects the mode; null for the one an object selects. */
    private final String value;

    final ToolPlan.Choice planned;

    ToolChoiceMode(String value, ToolPlan.Choice planned) {
      this.value = value;
      this.planned = planned;
    }

    /** The mode a string {@code tool_choice} selects, or null when it names none. */
    static ToolChoiceMode of(String value) {
      for (ToolChoiceMode mode : values()) {
        if (value.equals(mode.value)) {
          return mode;
        }
      }
      return null;
    }
  }

  private ChatTools() {}

  /**
   * The client's tools as Converse tool specifications (with the cache points their markers ask
   * for) and its {@code tool_choice}, decided together with thinking and structured output by
   * {@link ToolPlan}.
   */
  static ToolPlan toolConfig(
      JsonNode body,
      Conversation c,
      Thinking thinking,
      StructuredOutput structured,
      String modelId,
      List<String> strictModels) {
    JsonNode tools = body.get("tools");
    JsonNode choice = body.get("tool_choice");
    List<Tool> specs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    if (tools != null && !tools.isNull()) {
      if (!tools.isArray()) {
        throw invalid("tools", "tools must be an array.");
      }
      // OpenAI's strict tools map to Converse strict tool use where the model has it.
      boolean strictSupported = TranslationOptions.matches(modelId, strictModels);
      for (int i = 0; i < tools.size(); i++) {
        String p = "tools[" + i + "]";
        specs.add(tool(tools.get(i), p, names, strictSupported));
        CachePointBlock marker = CacheMarkers.of(tools.get(i), p);
        if (marker == null && tools.get(i).path("function").isObject()) {
          marker = CacheMarkers.of(tools.get(i).get("function"), p + ".function");
        }
        if (marker != null) {
          c.countCachePoint(p + ".cache_control");
          specs.add(Tool.fromCachePoint(marker));
        }
      }
    }
    ToolChoiceMode mode = ToolChoiceMode.AUTO;
    String forced = null;
    if (choice != null && !choice.isNull()) {
      if (choice.isTextual()) {
        mode = ToolChoiceMode.of(choice.asText());
        if (mode == null) {
          throw invalid(
              "tool_choice",
              "Invalid value: '"
                  + choice.asText()
                  + "'. Supported values are: 'none', 'auto', 'required' or a named function.");
        }
      } else if (choice.isObject()) {
        String type = choice.path("type").asText("function");
        if (!type.equals("function")) {
          throw unsupported(
              "tool_choice.type",
              "tool_choice of type '"
                  + type
                  + "' is not supported; use 'none', 'auto', 'required' or {\"type\": \"function\", ...}.");
        }
        forced = requiredString(choice.path("function"), "name", "tool_choice.function.name");
        if (!names.contains(forced)) {
          throw invalid(
              "tool_choice",
              "tool_choice names function '" + forced + "', which is not in 'tools'.");
        }
        mode = ToolChoiceMode.FUNCTION;
      } else {
        throw invalid("tool_choice", "tool_choice must be a string or an object.");
      }
      if (specs.isEmpty() && mode != ToolChoiceMode.NONE) {
        throw invalid("tool_choice", "tool_choice is only allowed when 'tools' are specified.");
      }
    }
    return ToolPlan.decide(
        specs, names, mode.planned, forced, c, thinking, structured, CHAT_PARAMS);
  }

  private static Tool tool(JsonNode tool, String p, Set<String> names, boolean strictSupported) {
    if (!tool.isObject()) {
      throw invalid(p, "Each tool must be an object.");
    }
    String type = requiredString(tool, "type", p + ".type");
    if (!"function".equals(type)) {
      throw unsupported(p + ".type", "Only tools of type 'function' are supported.");
    }
    JsonNode function = tool.get("function");
    if (function == null || !function.isObject()) {
      throw invalid(p + ".function", "Missing required parameter: '" + p + ".function'.");
    }
    String name = requiredString(function, "name", p + ".function.name");
    if (!TOOL_NAME.matcher(name).matches()) {
      throw invalid(
          p + ".function.name",
          "Invalid tool name '" + name + "': names must match [a-zA-Z0-9_-]{1,64}.");
    }
    if (!names.add(name)) {
      throw invalid(p + ".function.name", "Duplicate tool name '" + name + "'.");
    }
    String description = optionalString(function, "description", p + ".function.description");
    boolean strict = optionalBoolean(function, "strict", p + ".function.strict", false);
    return ToolPlan.functionTool(
        name,
        description,
        function.get("parameters"),
        "function.parameters",
        p + ".function.parameters",
        strict,
        strictSupported);
  }
}
