package io.github.bedrockgateway.converse;

import static io.github.bedrockgateway.error.GatewayException.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.bedrockruntime.model.AnyToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.AutoToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;

/**
 * Which tools a Converse request carries and how the model may use them, decided once from what the
 * client asked (its tools, its tool choice, structured output, thinking) by the same rules for
 * every protocol: see docs/compatibility.md ({@code tool_choice}, structured output). One per
 * request.
 */
public final class ToolPlan {

  /** The client's tool choice, a closed set. */
  public enum Choice {
    /** The model decides ({@code auto}, or no choice at all). */
    AUTO,
    /** No tool may be called. */
    NONE,
    /** Some tool must be called ({@code required}; Converse {@code any}). */
    REQUIRED,
    /** The named tool must be called. */
    NAMED
  }

  /**
   * The parameter names a protocol's errors carry.
   *
   * @param toolChoice its tool choice ({@code tool_choice})
   * @param effort its reasoning effort ({@code reasoning_effort}, {@code reasoning.effort})
   * @param format its structured-output field ({@code response_format}, {@code text.format})
   */
  public record Params(String toolChoice, String effort, String format) {}

  static final String NO_TOOLS_NOTE =
      "No tool may be called in this turn: answer the user directly without calling any tool.";

  private ToolConfiguration config;
  private boolean choiceSent;

  /** The client's tools are sent: where the automatic tools cache point goes after. */
  private int clientToolCount;

  private StructuredOutput structured = StructuredOutput.NONE;
  private final List<SystemContentBlock> notes = new ArrayList<>();
  private final List<Tool> specs = new ArrayList<>();

  private ToolPlan() {}

  /** The tool configuration, or null when no tool is sent. */
  public ToolConfiguration config() {
    return config;
  }

  /**
   * {@code toolConfig.toolChoice} is set (Bedrock then derives Anthropic's tool_choice type from
   * it).
   */
  public boolean choiceSent() {
    return choiceSent;
  }

  /** The structured output in effect (NONE when the client's forced tool call replaces it). */
  public StructuredOutput structured() {
    return structured;
  }

  /** System instructions the plan needs (appended after the client's system prompt). */
  public List<SystemContentBlock> notes() {
    return notes;
  }

  /**
   * Decides the plan.
   *
   * @param clientSpecs the client's tools as Converse tools, cache points included, in order
   * @param names their names
   * @param choice the client's choice
   * @param forced the tool {@link Choice#NAMED} names, else null
   * @param c the conversation (whether its history holds tool blocks)
   */
  public static ToolPlan decide(
      List<Tool> clientSpecs,
      Set<String> names,
      Choice choice,
      String forced,
      Conversation c,
      Thinking thinking,
      StructuredOutput structured,
      Params params) {
    ToolPlan out = new ToolPlan();
    boolean forcing = choice == Choice.REQUIRED || choice == Choice.NAMED;
    if (thinking.enabled() && forcing) {
      String what = forced == null ? "required" : forced;
      throw invalid(
          params.toolChoice(),
          params.toolChoice()
              + " '"
              + what
              + "' forces a tool call,"
              + " which Claude does not allow with extended thinking ("
              + params.effort()
              + " or thinking); use"
              + " 'auto' or drop "
              + params.effort()
              + ".");
    }
    if (structured.isFallback() && forcing) {
      // The client forces one of its own tools: the answer is that call, not structured text.
      structured = StructuredOutput.NONE;
    }
    out.structured = structured;
    if (structured.isFallback() && names.contains(structured.toolName())) {
      throw invalid(
          params.format(),
          params.format()
              + "'s name '"
              + structured.toolName()
              + "' is also the name of a tool; rename one of them.");
    }

    boolean sendClientTools = !clientSpecs.isEmpty() && (choice != Choice.NONE || c.hasToolBlocks);
    if (sendClientTools) {
      out.specs.addAll(clientSpecs);
      out.clientToolCount = clientSpecs.size();
    }
    ToolChoice toolChoice = null;
    if (structured.isFallback()) {
      out.specs.add(structured.tool());
      boolean clientToolsCallable = sendClientTools && choice != Choice.NONE;
      if (thinking.enabled()) {
        // Claude refuses forced tool use with thinking: the model is asked, not forced.
        toolChoice = ToolChoice.fromAuto(AutoToolChoice.builder().build());
        out.notes.add(SystemContentBlock.fromText(structured.instruction()));
        if (sendClientTools && choice == Choice.NONE) {
          out.notes.add(SystemContentBlock.fromText(NO_TOOLS_NOTE));
        }
      } else if (clientToolsCallable) {
        // Either one of the client's tools or the answer: some tool call is required.
        toolChoice = ToolChoice.fromAny(AnyToolChoice.builder().build());
        out.notes.add(SystemContentBlock.fromText(structured.instruction()));
      } else {
        toolChoice =
            ToolChoice.fromTool(SpecificToolChoice.builder().name(structured.toolName()).build());
      }
    } else if (sendClientTools) {
      if (choice == Choice.NONE) {
        // Converse has no "none" choice. Without tool blocks in the history the tools are simply
        // not sent, so the model cannot call one. Converse refuses toolUse/toolResult history
        // without a toolConfig, so then the tools stay and an instruction forbids calling them.
        out.notes.add(SystemContentBlock.fromText(NO_TOOLS_NOTE));
      } else {
        toolChoice =
            switch (choice) {
              case REQUIRED -> ToolChoice.fromAny(AnyToolChoice.builder().build());
              case NAMED -> ToolChoice.fromTool(SpecificToolChoice.builder().name(forced).build());
              case AUTO, NONE -> ToolChoice.fromAuto(AutoToolChoice.builder().build());
            };
      }
    }
    if (!out.specs.isEmpty()) {
      out.choiceSent = toolChoice != null;
      out.config = build(out.specs, toolChoice);
    }
    return out;
  }

  /**
   * {@code gateway.prompt-caching.auto}: a cache point after the client's system prompt and one
   * after the client's tools, for models that cache, unless the client placed them already or the
   * four allowed are taken. They go before what the gateway adds itself (notes, the
   * structured-output tool), which varies between requests and would otherwise spoil the cached
   * prefix. Call before the notes are added to the system blocks.
   */
  public void placeAutomaticCachePoints(
      Conversation c, String modelId, TranslationOptions.PromptCaching caching) {
    if (!caching.auto() || !TranslationOptions.matches(modelId, caching.models())) {
      return;
    }
    if (clientToolCount > 0
        && specs.get(clientToolCount - 1).cachePoint() == null
        && c.takeAutomaticCachePoint()) {
      specs.add(clientToolCount, Tool.fromCachePoint(CacheMarkers.automatic()));
      clientToolCount++;
      config = config.toBuilder().tools(specs).build();
    }
    if (!c.system.isEmpty()
        && c.system.get(c.system.size() - 1).cachePoint() == null
        && c.takeAutomaticCachePoint()) {
      c.system.add(SystemContentBlock.fromCachePoint(CacheMarkers.automatic()));
    }
  }

  private static ToolConfiguration build(List<Tool> specs, ToolChoice choice) {
    ToolConfiguration.Builder b = ToolConfiguration.builder().tools(specs);
    if (choice != null) {
      b.toolChoice(choice);
    }
    return b.build();
  }

  /**
   * A function tool as Converse declares it. A missing schema is an empty object schema.
   *
   * @param parameters the client's JSON Schema, or null
   * @param schemaField the schema's field as the protocol names it, and {@code param} its full
   *     path, for the error when it is not an object
   * @param strict whether the client asked for strict tool use; honoured only when {@code
   *     strictSupported} (the model can enforce it)
   */
  public static Tool functionTool(
      String name,
      String description,
      JsonNode parameters,
      String schemaField,
      String param,
      boolean strict,
      boolean strictSupported) {
    JsonNode schema = parameters;
    if (schema == null || schema.isNull()) {
      schema =
          Json.MAPPER
              .createObjectNode()
              .put("type", "object")
              .set("properties", Json.MAPPER.createObjectNode());
    } else if (!schema.isObject()) {
      throw invalid(param, schemaField + " must be a JSON Schema object.");
    }
    ToolSpecification.Builder spec =
        ToolSpecification.builder()
            .name(name)
            .inputSchema(ToolInputSchema.fromJson(Documents.fromJson(schema)));
    if (description != null && !description.isEmpty()) {
      spec.description(description);
    }
    if (strict && strictSupported) {
      spec.strict(true);
    }
    return Tool.fromToolSpec(spec.build());
  }
}
