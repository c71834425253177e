package io.github.bedrockgateway.openai.responses;

import static io.github.bedrockgateway.converse.Fields.optionalBoolean;
import static io.github.bedrockgateway.converse.Fields.optionalNumber;
import static io.github.bedrockgateway.converse.Fields.optionalObject;
import static io.github.bedrockgateway.converse.Fields.optionalPositiveInt;
import static io.github.bedrockgateway.converse.Fields.optionalString;
import static io.github.bedrockgateway.converse.Fields.requiredString;
import static io.github.bedrockgateway.error.GatewayException.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.bedrockgateway.converse.Conversation;
import io.github.bedrockgateway.converse.Documents;
import io.github.bedrockgateway.converse.Guardrails;
import io.github.bedrockgateway.converse.Inference;
import io.github.bedrockgateway.converse.ModelFamily;
import io.github.bedrockgateway.converse.RequestFields;
import io.github.bedrockgateway.converse.StructuredOutput;
import io.github.bedrockgateway.converse.Thinking;
import io.github.bedrockgateway.converse.ToolPlan;
import io.github.bedrockgateway.converse.TranslationOptions;
import io.github.bedrockgateway.json.Json;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.PerformanceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceTier;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;

/**
 * OpenAI Responses API request -> Bedrock Converse request. Pure functions: no I/O, no framework.
 * Every field is mapped, ignored by the rule documented in docs/compatibility.md ("Responses API"),
 * or refused with a 400 that names it. Fields Codex CLI and the SDKs send on every request are
 * never refused (hosted tools are dropped, bookkeeping fields ignored).
 *
 * <p>This class assembles the Converse request; the request's parts are read by package-private
 * helpers along the same lines: {@link ResponsesParameters} (top-level parameters), {@link
 * ResponsesTextFormat} (structured output), {@link ResponsesTools} (tools and tool choice) and
 * {@link ResponsesItems} (input items).
 */
public final class ResponsesToConverse {

  /** The one string parameter a free-form ({@code custom}) tool gets as a Converse function. */
  static final String CUSTOM_TOOL_INPUT = ResponsesTools.CUSTOM_TOOL_INPUT;

  private static final ToolPlan.Params PARAMS =
      new ToolPlan.Params("tool_choice", "reasoning.effort", "text.format");

  private ResponsesToConverse() {}

  /** Translates a request with no stored history and the default options. */
  public static ResponsesRequest translate(JsonNode body, UnaryOperator<String> modelResolver) {
    return translate(body, null, modelResolver, TranslationOptions.defaults());
  }

  /**
   * Translates a parsed request body. Images given by an {@code http(s)://} URL are not downloaded
   * here: they are placeholders in the Converse request, listed in {@link
   * ResponsesRequest#remoteImages()}.
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
    ResponsesParameters.refuseUnsupported(body);
    boolean includeEncrypted = ResponsesParameters.include(body);
    String instructions = optionalString(body, "instructions");
    String previousId = optionalString(body, "previous_response_id");

    String modelId = modelResolver.apply(model);
    ConverseRequest.Builder converse = ConverseRequest.builder().modelId(modelId);
    JsonNode clientFields =
        optionalObject(body, "additionalModelRequestFields", "additionalModelRequestFields");
    JsonNode reasoning = optionalObject(body, "reasoning", "reasoning");
    String effort =
        reasoning == null ? null : optionalString(reasoning, "effort", "reasoning.effort");
    String summary = reasoning == null ? null : ResponsesParameters.summary(reasoning);
    Thinking thinking =
        Thinking.of(effort, "reasoning.effort", modelId, options.reasoning(), clientFields);

    ArrayNode conversationItems = JsonNodeFactory.instance.arrayNode();
    Conversation conversation = new Conversation();
    if (instructions != null && !instructions.isEmpty()) {
      conversation.system.add(SystemContentBlock.fromText(instructions));
    }
    if (history != null && history.isArray()) {
      // The stored conversation was valid when it was stored; errors in it
      // name previous_response_id.
      ResponsesItems.items(history, "previous_response_id", conversation);
      conversationItems.addAll((ArrayNode) history);
    }
    JsonNode input = ResponsesParameters.input(body);
    if (input != null) {
      ResponsesItems.items(input, "input", conversation);
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
      // that did not keep it (no include of reasoning.encrypted_content, history from another
      // model) gets the turn without thinking, which Anthropic documents as the way out, instead
      // of a 400.
      thinking = Thinking.OFF;
    }
    JsonNode text = optionalObject(body, "text", "text");
    StructuredOutput structured =
        ResponsesTextFormat.textFormat(text, modelId, options.structuredOutput());
    ResponsesTools tools =
        ResponsesTools.tools(body, conversation, modelId, options.structuredOutput().models());
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
            ResponsesParameters.maxToolCalls(body),
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
            ResponsesParameters.truncation(body),
            optionalString(body, "user"),
            optionalString(body, "safety_identifier"),
            optionalString(body, "prompt_cache_key"),
            store,
            previousId,
            ResponsesParameters.topLogprobs(body));
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
        conversationItems,
        conversation.attachments.remoteImages());
  }
}
