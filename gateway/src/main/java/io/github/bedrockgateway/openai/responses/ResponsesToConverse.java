package io.github.bedrockgateway.openai.responses;

import static io.github.bedrockgateway.converse.Fields.optionalBoolean;
import static io.github.bedrockgateway.converse.Fields.optionalNumber;
import static io.github.bedrockgateway.converse.Fields.optionalObject;
import static io.github.bedrockgateway.converse.Fields.optionalPositiveInt;
import static io.github.bedrockgateway.converse.Fields.optionalString;
import static io.github.bedrockgateway.converse.Fields.requiredString;
import static io.github.bedrockgateway.error.GatewayException.invalid;
import static io.github.bedrockgateway.error.GatewayException.unsupported;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.bedrockgateway.converse.Attachments;
import io.github.bedrockgateway.converse.CacheMarkers;
import io.github.bedrockgateway.converse.Conversation;
import io.github.bedrockgateway.converse.Documents;
import io.github.bedrockgateway.converse.Fields;
import io.github.bedrockgateway.converse.Guardrails;
import io.github.bedrockgateway.converse.Inference;
import io.github.bedrockgateway.converse.ModelFamily;
import io.github.bedrockgateway.converse.RequestFields;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.converse.StructuredOutput;
import io.github.bedrockgateway.converse.Thinking;
import io.github.bedrockgateway.converse.ToolPlan;
import io.github.bedrockgateway.converse.TranslationOptions;
import io.github.bedrockgateway.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.PerformanceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceTier;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * OpenAI Responses API request -> Bedrock Converse request. Pure functions: no I/O, no framework.
 * Every field is mapped, ignored by the rule documented in docs/compatibility.md ("Responses API"),
 * or refused with a 400 that names it. Fields Codex CLI and the SDKs send on every request are
 * never refused (hosted tools are dropped, bookkeeping fields ignored).
 */
public final class ResponsesToConverse {

  /** The one string parameter a free-form ({@code custom}) tool gets as a Converse function. */
  static final String CUSTOM_TOOL_INPUT = "input";

  static final String ENCRYPTED_REASONING = "reasoning.encrypted_content";

  private static final ToolPlan.Params PARAMS =
      new ToolPlan.Params("tool_choice", "reasoning.effort", "text.format");
  private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  /**
   * Input items of tools Bedrock cannot run (never produced by this gateway): dropped from history.
   */
  private static final Set<String> HOSTED_TOOL_ITEMS =
      Set.of(
          "web_search_call",
          "file_search_call",
          "computer_call",
          "computer_call_output",
          "code_interpreter_call",
          "image_generation_call",
          "local_shell_call",
          "local_shell_call_output",
          "shell_call",
          "shell_call_output",
          "apply_patch_call",
          "apply_patch_call_output",
          "mcp_call",
          "mcp_list_tools",
          "mcp_approval_request",
          "mcp_approval_response",
          "tool_search_call",
          "tool_search_output",
          "compaction");

  private static final Set<String> TRUNCATION = Set.of("auto", "disabled");

  private ResponsesToConverse() {}

  /** Translates a request with no stored history and the default options. */
  public static ResponsesRequest translate(JsonNode body, UnaryOperator<String> modelResolver) {
    return translate(body, null, modelResolver, TranslationOptions.defaults());
  }

  /**
   * Translates a parsed request body.
   *
   * @param body the request JSON
   * @param history the conversation of the response {@code previous_response_id} names, as input
   *     items, or null
   * @param modelResolver maps the client-facing model name to a Bedrock model id (aliases)
   * @param options the operator's settings
   */
  public static ResponsesRequest translate(
      JsonNode body,
      JsonNode history,
      UnaryOperator<String> modelResolver,
      TranslationOptions options) {
    if (body == null || !body.isObject()) {
      throw invalid(null, "The request body must be a JSON object.");
    }
    String model = requiredString(body, "model");
    if (model.isBlank()) {
      throw invalid("model", "model must not be empty.");
    }
    boolean stream = optionalBoolean(body, "stream", false);
    boolean store = optionalBoolean(body, "store", true);
    refuseUnsupported(body);
    boolean includeEncrypted = include(body);
    String instructions = optionalString(body, "instructions");
    String previousId = optionalString(body, "previous_response_id");

    String modelId = modelResolver.apply(model);
    ConverseRequest.Builder converse = ConverseRequest.builder().modelId(modelId);
    JsonNode clientFields =
        optionalObject(body, "additionalModelRequestFields", "additionalModelRequestFields");
    JsonNode reasoning = optionalObject(body, "reasoning", "reasoning");
    String effort =
        reasoning == null ? null : optionalString(reasoning, "effort", "reasoning.effort");
    String summary = reasoning == null ? null : summary(reasoning);
    Thinking thinking =
        Thinking.of(effort, "reasoning.effort", modelId, options.reasoning(), clientFields);

    ArrayNode conversationItems = JsonNodeFactory.instance.arrayNode();
    Conversation conversation = new Conversation();
    if (instructions != null && !instructions.isEmpty()) {
      conversation.system.add(SystemContentBlock.fromText(instructions));
    }
    if (history != null && history.isArray()) {
      // The stored conversation was valid when it was stored; errors in it name
      // previous_response_id.
      items(history, "previous_response_id", conversation);
      conversationItems.addAll((ArrayNode) history);
    }
    JsonNode input = input(body);
    if (input != null) {
      items(input, "input", conversation);
      conversationItems.addAll((ArrayNode) input);
    }
    if (conversation.isEmpty()) {
      throw invalid(
          "input",
          history == null && input == null
              ? "Missing required parameter: 'input'."
              : "input must contain at least one message with non-empty content.");
    }
    if (thinking.fromEffort() && conversation.toolLoopWithoutSignedReasoning()) {
      // Bedrock requires the signed reasoning in front of the tool call being answered; a client
      // that
      // did not keep it (no include of reasoning.encrypted_content, history from another model)
      // gets
      // the turn without thinking, which Anthropic documents as the way out, instead of a 400.
      thinking = Thinking.OFF;
    }
    JsonNode text = optionalObject(body, "text", "text");
    StructuredOutput structured = textFormat(text, modelId, options.structuredOutput());
    Tools tools = tools(body, conversation, modelId, options.structuredOutput().models());
    ToolPlan plan =
        ToolPlan.decide(
            tools.specs,
            tools.names,
            tools.choice,
            tools.forced,
            conversation,
            thinking,
            structured,
            PARAMS);
    plan.placeAutomaticCachePoints(conversation, modelId, options.promptCaching());
    if (plan.config() != null) {
      converse.toolConfig(plan.config());
    }
    if (plan.structured().outputConfig() != null) {
      converse.outputConfig(plan.structured().outputConfig());
    }
    conversation.system.addAll(plan.notes());
    if (!conversation.system.isEmpty()) {
      converse.system(conversation.system);
    }
    converse.messages(conversation.messages(thinking.enabled()));

    Integer maxOutputTokens = optionalPositiveInt(body, "max_output_tokens");
    Double temperature = optionalNumber(body, "temperature", 0.0, 2.0);
    Double topP = optionalNumber(body, "top_p", 0.0, 1.0);
    InferenceConfiguration inference =
        Inference.config(
            maxOutputTokens, temperature, topP, List.of(), thinking, options.reasoning());
    if (inference != null) {
      converse.inferenceConfig(inference);
    }
    boolean parallelToolCalls = optionalBoolean(body, "parallel_tool_calls", true);
    ObjectNode modelFields = Json.MAPPER.createObjectNode();
    if (thinking.fromEffort()) {
      modelFields.set("thinking", thinking.field());
    }
    if (!parallelToolCalls && plan.choiceSent() && ModelFamily.isAnthropic(modelId)) {
      // No "type": Bedrock derives it from toolConfig.toolChoice and refuses a second one.
      modelFields.putObject("tool_choice").put("disable_parallel_tool_use", true);
    }
    if (clientFields != null) {
      RequestFields.merge(modelFields, clientFields);
    }
    if (modelFields.size() > 0) {
      converse.additionalModelRequestFields(Documents.fromJson(modelFields));
    }
    Map<String, String> metadata = RequestFields.metadata(body);
    if (!metadata.isEmpty()) {
      converse.requestMetadata(metadata);
    }
    PerformanceConfiguration performance = RequestFields.performanceConfig(body);
    if (performance != null) {
      converse.performanceConfig(performance);
    }
    ServiceTier tier = RequestFields.serviceTier(body);
    if (tier != null) {
      converse.serviceTier(tier);
    }
    Guardrails.Choice guardrail = Guardrails.of(body, options.guardrail());
    if (guardrail != null) {
      converse.guardrailConfig(guardrail.config());
    }

    JsonNode metadataNode = body.get("metadata");
    JsonNode toolsNode = body.get("tools");
    JsonNode choiceNode = body.get("tool_choice");
    RequestEcho echo =
        new RequestEcho(
            instructions,
            toolsNode != null && toolsNode.isArray()
                ? toolsNode
                : JsonNodeFactory.instance.arrayNode(),
            choiceNode != null && !choiceNode.isNull() ? choiceNode : TextNode.valueOf("auto"),
            parallelToolCalls,
            temperature,
            topP,
            maxOutputTokens,
            maxToolCalls(body),
            effort,
            summary,
            text != null && text.path("format").isObject()
                ? text.get("format")
                : Json.MAPPER.createObjectNode().put("type", "text"),
            text == null ? null : optionalString(text, "verbosity", "text.verbosity"),
            metadataNode != null && metadataNode.isObject()
                ? metadataNode
                : JsonNodeFactory.instance.objectNode(),
            optionalString(body, "service_tier"),
            truncation(body),
            optionalString(body, "user"),
            optionalString(body, "safety_identifier"),
            optionalString(body, "prompt_cache_key"),
            store,
            previousId,
            topLogprobs(body));
    return new ResponsesRequest(
        model,
        stream,
        converse.build(),
        guardrail == null ? null : guardrail.streamProcessingMode(),
        plan.structured().toolName(),
        tools.customTools,
        includeEncrypted,
        summary != null,
        echo,
        conversationItems);
  }

  // ---------------------------------------------------------------- top-level parameters

  /**
   * Parameters asking for something the gateway cannot do are refused when they ask for it and
   * accepted at their neutral value; bookkeeping fields are type-checked and ignored.
   */
  private static void refuseUnsupported(JsonNode body) {
    if (optionalBoolean(body, "background", false)) {
      throw unsupported(
          "background",
          "Background responses are not supported: send the request without"
              + " 'background' (streaming keeps long answers flowing).");
    }
    for (String param : List.of("conversation", "prompt")) {
      if (body.hasNonNull(param)) {
        throw unsupported(
            param,
            "'"
                + param
                + "' is not supported by this gateway: send the conversation in"
                + " 'input' (or continue a stored response with 'previous_response_id').");
      }
    }
    optionalObject(body, "stream_options", "stream_options");
    optionalObject(body, "client_metadata", "client_metadata");
    optionalString(body, "prompt_cache_key");
    optionalString(body, "prompt_cache_retention");
    optionalString(body, "user");
    optionalString(body, "safety_identifier");
  }

  /**
   * {@code include}: {@code reasoning.encrypted_content} is honoured; values about hosted tools are
   * ignored.
   */
  private static boolean include(JsonNode body) {
    JsonNode include = body.get("include");
    if (include == null || include.isNull()) {
      return false;
    }
    if (!include.isArray()) {
      throw invalid("include", "include must be an array of strings.");
    }
    boolean encrypted = false;
    for (int i = 0; i < include.size(); i++) {
      JsonNode value = include.get(i);
      if (!value.isTextual()) {
        throw invalid("include[" + i + "]", "include must be an array of strings.");
      }
      switch (value.asText()) {
        case ENCRYPTED_REASONING -> encrypted = true;
        case "message.output_text.logprobs" ->
            throw unsupported(
                "include[" + i + "]",
                "Log probabilities are not supported: Bedrock does not return them.");
        default -> {
          // outputs of hosted tools (web search sources, file search results...), which never run
          // here
        }
      }
    }
    return encrypted;
  }

  private static String summary(JsonNode reasoning) {
    String summary = optionalString(reasoning, "summary", "reasoning.summary");
    if (summary == null) {
      summary = optionalString(reasoning, "generate_summary", "reasoning.generate_summary");
    }
    if (summary != null && !Set.of("auto", "concise", "detailed").contains(summary)) {
      throw invalid(
          "reasoning.summary",
          "Invalid value: '"
              + summary
              + "'. Supported values are: 'auto', 'concise' and 'detailed'.");
    }
    return summary;
  }

  private static String truncation(JsonNode body) {
    String truncation = optionalString(body, "truncation");
    if (truncation == null) {
      return "disabled";
    }
    if (!TRUNCATION.contains(truncation)) {
      throw invalid(
          "truncation",
          "Invalid value: '" + truncation + "'. Supported values are: 'auto' and 'disabled'.");
    }
    return truncation;
  }

  private static Integer maxToolCalls(JsonNode body) {
    JsonNode v = body.get("max_tool_calls");
    if (v == null || v.isNull()) {
      return null;
    }
    return optionalPositiveInt(body, "max_tool_calls");
  }

  private static int topLogprobs(JsonNode body) {
    JsonNode v = body.get("top_logprobs");
    if (v == null || v.isNull()) {
      return 0;
    }
    if (!v.isIntegralNumber() || v.intValue() < 0 || v.intValue() > 20) {
      throw invalid("top_logprobs", "top_logprobs must be an integer between 0 and 20.");
    }
    if (v.intValue() > 0) {
      throw unsupported(
          "top_logprobs",
          "top_logprobs is not supported: Bedrock does not return token log probabilities.");
    }
    return 0;
  }

  /** {@code input} as an array of items: a string is one user message. Null when absent. */
  static ArrayNode input(JsonNode body) {
    JsonNode input = body.get("input");
    if (input == null || input.isNull()) {
      return null;
    }
    if (input.isTextual()) {
      ArrayNode items = JsonNodeFactory.instance.arrayNode();
      items.addObject().put("type", "message").put("role", "user").put("content", input.asText());
      return items;
    }
    if (!input.isArray()) {
      throw invalid("input", "input must be a string or an array of input items.");
    }
    return (ArrayNode) input;
  }

  // ---------------------------------------------------------------- structured output

  private static StructuredOutput textFormat(
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

  // ---------------------------------------------------------------- tools

  /** The client's tools as Converse sees them, and its choice. */
  private static final class Tools {
    final List<Tool> specs = new ArrayList<>();
    final Set<String> names = new HashSet<>();
    final Set<String> customTools = new LinkedHashSet<>();
    ToolPlan.Choice choice = ToolPlan.Choice.AUTO;
    String forced;
  }

  /**
   * {@code function} tools become Converse tools; {@code custom} (free-form) tools become a
   * function with one string parameter {@code input}; every other type (hosted tools such as {@code
   * web_search}, and {@code namespace} groups) is dropped: Bedrock cannot run them, and clients
   * such as Codex send them on every request.
   */
  private static Tools tools(
      JsonNode body, Conversation c, String modelId, List<String> strictModels) {
    Tools out = new Tools();
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

  private static void toolChoice(JsonNode choice, boolean anyTool, Tools out) {
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
    // OpenAI's Responses API defaults strict to true, which Bedrock can only enforce on some models
    // and
    // only for schemas written for it: strict tool use is asked for only when the client says true.
    boolean strict = optionalBoolean(tool, "strict", p + ".strict", false);
    JsonNode parameters = tool.get("parameters");
    if (parameters == null || parameters.isNull()) {
      parameters =
          Json.MAPPER
              .createObjectNode()
              .put("type", "object")
              .set("properties", Json.MAPPER.createObjectNode());
    } else if (!parameters.isObject()) {
      throw invalid(p + ".parameters", "parameters must be a JSON Schema object.");
    }
    ToolSpecification.Builder spec =
        ToolSpecification.builder()
            .name(name)
            .inputSchema(ToolInputSchema.fromJson(Documents.fromJson(parameters)));
    if (description != null && !description.isEmpty()) {
      spec.description(description);
    }
    if (strict && strictSupported) {
      spec.strict(true);
    }
    return Tool.fromToolSpec(spec.build());
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

  // ---------------------------------------------------------------- input items

  /**
   * Reads input items into the conversation. Reasoning items are held until the assistant content
   * that follows them, whose turn they open.
   */
  private static void items(JsonNode items, String p, Conversation c) {
    List<ContentBlock> pendingReasoning = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String ip = p + "[" + i + "]";
      if (!item.isObject()) {
        throw invalid(ip, "Each input item must be an object.");
      }
      JsonNode typeNode = item.get("type");
      String type;
      if (typeNode == null || typeNode.isNull()) {
        if (!item.has("role")) {
          throw invalid(ip + ".type", "Missing required parameter: '" + ip + ".type'.");
        }
        type = "message";
      } else if (typeNode.isTextual()) {
        type = typeNode.asText();
      } else {
        throw invalid(ip + ".type", ip + ".type must be a string.");
      }
      switch (type) {
        case "message" -> message(item, ip, c, pendingReasoning);
        case "function_call" -> {
          String callId = requiredString(item, "call_id", ip + ".call_id");
          String name = requiredString(item, "name", ip + ".name");
          JsonNode arguments = arguments(item, ip);
          assistant(c, toolUse(callId, name, arguments, pendingReasoning), pendingReasoning);
        }
        case "custom_tool_call" -> {
          String callId = requiredString(item, "call_id", ip + ".call_id");
          String name = requiredString(item, "name", ip + ".name");
          String input = requiredString(item, "input", ip + ".input");
          ObjectNode arguments = Json.MAPPER.createObjectNode().put(CUSTOM_TOOL_INPUT, input);
          assistant(c, toolUse(callId, name, arguments, pendingReasoning), pendingReasoning);
        }
        case "function_call_output", "custom_tool_call_output" -> {
          pendingReasoning.clear();
          c.add(ConversationRole.USER, List.of(toolResult(item, ip, c)));
        }
        case "reasoning" -> pendingReasoning.addAll(reasoning(item, ip));
        case "item_reference" ->
            throw unsupported(
                ip,
                "Item references are not supported: send the item itself"
                    + " (or continue a stored response with 'previous_response_id').");
        default -> {
          if (!HOSTED_TOOL_ITEMS.contains(type)) {
            throw invalid(ip + ".type", "Invalid input item type: '" + type + "'.");
          }
          // a hosted tool's call or result: it never ran on Bedrock, so it is not history Bedrock
          // can read
        }
      }
    }
  }

  private static void assistant(
      Conversation c, ContentBlock block, List<ContentBlock> pendingReasoning) {
    c.hasToolBlocks |= block.toolUse() != null;
    c.add(ConversationRole.ASSISTANT, List.of(block), List.copyOf(pendingReasoning));
    pendingReasoning.clear();
  }

  private static void message(
      JsonNode item, String ip, Conversation c, List<ContentBlock> pendingReasoning) {
    JsonNode roleNode = item.get("role");
    if (roleNode == null || !roleNode.isTextual()) {
      throw invalid(ip + ".role", "Missing required parameter: '" + ip + ".role'.");
    }
    String role = roleNode.asText();
    JsonNode content = item.get("content");
    String cp = ip + ".content";
    if (content == null || content.isNull()) {
      throw invalid(cp, "Missing required parameter: '" + cp + "'.");
    }
    if (!content.isTextual() && !content.isArray()) {
      throw invalid(cp, cp + " must be a string or an array of content parts.");
    }
    switch (role) {
      case "system", "developer" -> {
        for (String text : texts(content, cp, "input_text")) {
          c.system.add(SystemContentBlock.fromText(text));
        }
      }
      case "user" -> {
        pendingReasoning.clear();
        c.add(ConversationRole.USER, userContent(content, cp, c));
      }
      case "assistant" -> {
        List<ContentBlock> blocks = new ArrayList<>();
        for (String text : texts(content, cp, "output_text")) {
          blocks.add(ContentBlock.fromText(text));
        }
        if (!blocks.isEmpty()) {
          c.add(ConversationRole.ASSISTANT, blocks, List.copyOf(pendingReasoning));
          pendingReasoning.clear();
        }
      }
      default ->
          throw invalid(
              ip + ".role",
              "Invalid value: '"
                  + role
                  + "'. Supported values are: 'user', 'assistant', 'system' and 'developer'.");
    }
  }

  /** The texts of a string-or-parts content where only text may be; empty texts are dropped. */
  private static List<String> texts(JsonNode content, String cp, String expected) {
    if (content.isTextual()) {
      return content.asText().isEmpty() ? List.of() : List.of(content.asText());
    }
    List<String> out = new ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String pp = cp + "[" + j + "]";
      String type = partType(part, pp);
      String text =
          switch (type) {
            case "input_text", "output_text" -> requiredString(part, "text", pp + ".text");
            case "refusal" -> requiredString(part, "refusal", pp + ".refusal");
            default ->
                throw invalid(
                    pp + ".type",
                    "Invalid content part type '"
                        + type
                        + "' here: only '"
                        + expected
                        + "' parts are allowed.");
          };
      if (!text.isEmpty()) {
        out.add(text);
      }
    }
    return out;
  }

  private static String partType(JsonNode part, String pp) {
    if (!part.isObject()) {
      throw invalid(pp, "Each content part must be an object.");
    }
    JsonNode type = part.get("type");
    if (type == null || !type.isTextual()) {
      throw invalid(pp + ".type", "Missing required parameter: '" + pp + ".type'.");
    }
    return type.asText();
  }

  private static List<ContentBlock> userContent(JsonNode content, String cp, Conversation c) {
    if (content.isTextual()) {
      return content.asText().isEmpty()
          ? List.of()
          : List.of(ContentBlock.fromText(content.asText()));
    }
    List<ContentBlock> blocks = new ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String pp = cp + "[" + j + "]";
      ContentBlock block =
          switch (partType(part, pp)) {
            case "input_text" -> {
              String text = requiredString(part, "text", pp + ".text");
              yield text.isEmpty() ? null : ContentBlock.fromText(text);
            }
            case "input_image" -> image(part, pp, c);
            case "input_file" -> file(part, pp, c);
            case "input_audio" ->
                throw unsupported(
                    pp + ".type",
                    "Content parts of type 'input_audio' are not supported: Converse takes no audio input.");
            default ->
                throw invalid(
                    pp + ".type",
                    "Invalid content part type: '"
                        + part.get("type").asText()
                        + "'. Supported values are: 'input_text', 'input_image' and 'input_file'.");
          };
      if (block != null) {
        blocks.add(block);
        CachePointBlock marker = CacheMarkers.of(part, pp);
        if (marker != null) {
          c.countCachePoint(pp + ".cache_control");
          blocks.add(ContentBlock.fromCachePoint(marker));
        }
      }
    }
    return blocks;
  }

  /**
   * {@code input_image}: a data URL (remote URLs were downloaded before translation); no Files API.
   */
  private static ContentBlock image(JsonNode part, String pp, Conversation c) {
    if (!part.hasNonNull("image_url")) {
      if (part.hasNonNull("file_id")) {
        throw unsupported(
            pp + ".file_id",
            "file_id refers to the OpenAI Files API, which Bedrock does not"
                + " have; send the image as image_url (a data URL or an https URL).");
      }
      throw invalid(pp + ".image_url", "Missing required parameter: '" + pp + ".image_url'.");
    }
    if (!part.get("image_url").isTextual()) {
      throw invalid(
          pp + ".image_url", pp + ".image_url must be a string (a data URL or an https URL).");
    }
    Fields.optionalString(part, "detail", pp + ".detail");
    return Attachments.image(part, pp, c.attachments);
  }

  /** {@code input_file}: inline {@code file_data} becomes a Converse document. */
  private static ContentBlock file(JsonNode part, String pp, Conversation c) {
    if (part.hasNonNull("file_url") && !part.hasNonNull("file_data")) {
      throw unsupported(
          pp + ".file_url",
          "file_url is not supported: send the file inline as file_data"
              + " (a base64 data URL such as data:application/pdf;base64,...).");
    }
    return Attachments.file(part, pp, c.attachments);
  }

  /** {@code arguments}: a JSON object encoded as a string (an empty string is {@code {}}). */
  private static JsonNode arguments(JsonNode item, String ip) {
    JsonNode arguments = item.get("arguments");
    if (arguments == null
        || arguments.isNull()
        || arguments.isTextual() && arguments.asText().isBlank()) {
      return Json.MAPPER.createObjectNode();
    }
    JsonNode parsed;
    if (arguments.isTextual()) {
      try {
        parsed = Json.MAPPER.readTree(arguments.asText());
      } catch (JsonProcessingException e) {
        throw invalid(ip + ".arguments", "arguments must be a JSON object encoded as a string.");
      }
    } else {
      parsed = arguments; // lenient: some clients send the object itself
    }
    if (parsed == null || !parsed.isObject()) {
      throw invalid(ip + ".arguments", "arguments must be a JSON object encoded as a string.");
    }
    return parsed;
  }

  private static ContentBlock toolUse(
      String callId, String name, JsonNode input, List<ContentBlock> pendingReasoning) {
    SignedReasoning.Decoded id = SignedReasoning.decode(callId);
    for (ReasoningContentBlock block : id.reasoning()) {
      pendingReasoning.add(ContentBlock.fromReasoningContent(block));
    }
    return ContentBlock.fromToolUse(
        ToolUseBlock.builder()
            .toolUseId(id.toolUseId())
            .name(name)
            .input(Documents.fromJson(input))
            .build());
  }

  /**
   * A tool's output: a string, or {@code input_text} / {@code input_image} / {@code input_file}
   * parts.
   */
  private static ContentBlock toolResult(JsonNode item, String ip, Conversation c) {
    String id =
        SignedReasoning.decode(requiredString(item, "call_id", ip + ".call_id")).toolUseId();
    JsonNode output = item.get("output");
    String op = ip + ".output";
    List<ToolResultContentBlock> parts = new ArrayList<>();
    if (output == null || output.isNull()) {
      throw invalid(op, "Missing required parameter: '" + op + "'.");
    } else if (output.isTextual()) {
      if (!output.asText().isEmpty()) {
        parts.add(ToolResultContentBlock.fromText(output.asText()));
      }
    } else if (output.isArray()) {
      for (ContentBlock block : userContent(output, op, c)) {
        if (block.text() != null) {
          parts.add(ToolResultContentBlock.fromText(block.text()));
        } else if (block.image() != null) {
          parts.add(ToolResultContentBlock.fromImage(block.image()));
        } else if (block.document() != null) {
          parts.add(ToolResultContentBlock.fromDocument(block.document()));
        }
      }
    } else {
      throw invalid(op, op + " must be a string or an array of content parts.");
    }
    if (parts.isEmpty()) {
      // Converse rejects empty text, yet an empty tool output is a legitimate answer.
      parts.add(ToolResultContentBlock.fromText("(empty)"));
    }
    c.hasToolBlocks = true;
    return ContentBlock.fromToolResult(
        ToolResultBlock.builder().toolUseId(id).content(parts).build());
  }

  /**
   * A reasoning item: its {@code encrypted_content}, when the gateway sealed it, gives back the
   * signed blocks; a summary alone is not sent (Bedrock accepts no unsigned reasoning back).
   */
  private static List<ContentBlock> reasoning(JsonNode item, String ip) {
    String sealed = optionalString(item, "encrypted_content", ip + ".encrypted_content");
    List<ReasoningContentBlock> blocks = SignedReasoning.unseal(sealed);
    if (blocks == null) {
      return List.of();
    }
    List<ContentBlock> out = new ArrayList<>(blocks.size());
    for (ReasoningContentBlock block : blocks) {
      out.add(ContentBlock.fromReasoningContent(block));
    }
    return out;
  }
}
