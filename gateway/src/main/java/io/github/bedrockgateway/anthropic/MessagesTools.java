package io.github.bedrockgateway.anthropic;

import static io.github.bedrockgateway.error.GatewayException.invalid;
import static io.github.bedrockgateway.error.GatewayException.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.converse.CacheMarkers;
import io.github.bedrockgateway.converse.Documents;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.bedrockruntime.model.AnyToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.AutoToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;

/**
 * {@code tools} and {@code tool_choice} of a Messages request as a Converse {@code toolConfig}.
 * Part of {@link AnthropicToConverse}; pure.
 */
final class MessagesTools {

  private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  /**
   * What the tools add to a Converse request.
   *
   * @param config the tool configuration, or null when no tool is sent
   * @param notes system blocks to append after the conversation's
   */
  record Translated(ToolConfiguration config, List<SystemContentBlock> notes) {

    static final Translated NONE = new Translated(null, List.of());
  }

  /** Anthropic's {@code tool_choice.type}. */
  private enum Mode {
    /** The model decides (also when there is no {@code tool_choice}). */
    AUTO,
    /** Some tool must be called. */
    ANY,
    /** The named tool must be called. */
    TOOL,
    /** No tool may be called. */
    NONE;

    static Mode of(String type) {
      return switch (type) {
        case "auto" -> AUTO;
        case "any" -> ANY;
        case "tool" -> TOOL;
        case "none" -> NONE;
        default ->
            throw invalid(
                "tool_choice.type",
                "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
      };
    }

    boolean forcesACall() {
      return this == ANY || this == TOOL;
    }
  }

  private MessagesTools() {}

  /**
   * Translates the tools of {@code body}; {@code c} counts their cache points and tells whether the
   * history holds tool blocks (Converse then needs a {@code toolConfig} even for {@code none}).
   */
  static Translated translate(JsonNode body, MessagesConversation c) {
    JsonNode tools = body.get("tools");
    List<Tool> specs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    if (tools != null && !tools.isNull()) {
      if (!tools.isArray()) {
        throw invalid("tools", "tools: Input should be a valid list");
      }
      for (int i = 0; i < tools.size(); i++) {
        String p = "tools." + i;
        specs.add(tool(tools.get(i), p, names));
        CachePointBlock marker = CacheMarkers.of(tools.get(i), p);
        if (marker != null) {
          c.countCachePoint(p + ".cache_control");
          specs.add(Tool.fromCachePoint(marker));
        }
      }
    }
    JsonNode choice = body.get("tool_choice");
    boolean chosen = choice != null && !choice.isNull();
    Mode mode = Mode.AUTO;
    String forced = null;
    if (chosen) {
      if (!choice.isObject()) {
        throw invalid("tool_choice", "tool_choice: Input should be an object");
      }
      mode = Mode.of(choice.path("type").asText(""));
      if (mode == Mode.TOOL) {
        JsonNode name = choice.get("name");
        if (name == null || !name.isTextual()) {
          throw invalid("tool_choice.name", "tool_choice.name: Field required");
        }
        forced = name.asText();
        if (!names.contains(forced)) {
          throw invalid(
              "tool_choice.name", "tool_choice.name: no tool named '" + forced + "' in tools");
        }
      }
      JsonNode parallel = choice.get("disable_parallel_tool_use");
      if (parallel != null && !parallel.isNull() && !parallel.isBoolean()) {
        throw invalid(
            "tool_choice.disable_parallel_tool_use",
            "tool_choice.disable_parallel_tool_use: Input should be a valid boolean");
      }
      if (specs.isEmpty() && mode.forcesACall()) {
        throw invalid("tool_choice", "tool_choice: forcing a tool requires 'tools'");
      }
    }
    if (specs.isEmpty()) {
      return Translated.NONE;
    }
    if (mode == Mode.NONE) {
      if (!c.hasToolBlocks()) {
        return Translated.NONE; // without tools the model cannot call one
      }
      // Converse refuses tool blocks in the history without a toolConfig, and has no "none" choice.
      return new Translated(
          ToolConfiguration.builder().tools(specs).build(),
          List.of(SystemContentBlock.fromText(AnthropicToConverse.NO_TOOLS_NOTE)));
    }
    ToolConfiguration.Builder config = ToolConfiguration.builder().tools(specs);
    if (chosen) {
      config.toolChoice(
          switch (mode) {
            case ANY -> ToolChoice.fromAny(AnyToolChoice.builder().build());
            case TOOL -> ToolChoice.fromTool(SpecificToolChoice.builder().name(forced).build());
            case AUTO, NONE -> ToolChoice.fromAuto(AutoToolChoice.builder().build());
          });
    }
    return new Translated(config.build(), List.of());
  }

  private static Tool tool(JsonNode tool, String p, Set<String> names) {
    if (!tool.isObject()) {
      throw invalid(p, p + ": Input should be an object");
    }
    JsonNode type = tool.get("type");
    if (type != null && !type.isNull() && !"custom".equals(type.asText())) {
      throw unsupported(
          p + ".type",
          p
              + ".type: '"
              + type.asText()
              + "' is one of Anthropic's server tools, available with"
              + " Claude models only; define a custom tool (name, description, input_schema)"
              + " instead.");
    }
    JsonNode name = tool.get("name");
    if (name == null || !name.isTextual()) {
      throw invalid(p + ".name", p + ".name: Field required");
    }
    if (!TOOL_NAME.matcher(name.asText()).matches()) {
      throw invalid(p + ".name", p + ".name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'");
    }
    if (!names.add(name.asText())) {
      throw invalid(p + ".name", p + ".name: tool names must be unique ('" + name.asText() + "')");
    }
    JsonNode schema = tool.get("input_schema");
    if (schema == null || schema.isNull()) {
      throw invalid(p + ".input_schema", p + ".input_schema: Field required");
    }
    if (!schema.isObject()) {
      throw invalid(p + ".input_schema", p + ".input_schema: Input should be a JSON Schema object");
    }
    ToolSpecification.Builder spec =
        ToolSpecification.builder()
            .name(name.asText())
            .inputSchema(ToolInputSchema.fromJson(Documents.fromJson(schema)));
    JsonNode description = tool.get("description");
    if (description != null && description.isTextual() && !description.asText().isEmpty()) {
      spec.description(description.asText());
    }
    // defer_loading, strict and input_examples tune how Claude loads and calls tools; the tool is
    // sent as it is (docs/compatibility.md).
    return Tool.fromToolSpec(spec.build());
  }
}
