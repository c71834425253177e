package io.github.bedrockgateway.openai.chat;

import static io.github.bedrockgateway.converse.Fields.optionalBoolean;
import static io.github.bedrockgateway.converse.Fields.optionalObject;
import static io.github.bedrockgateway.converse.Fields.optionalString;
import static io.github.bedrockgateway.converse.Fields.requiredString;
import static io.github.bedrockgateway.error.GatewayException.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.converse.Attachments;
import io.github.bedrockgateway.converse.Conversation;
import io.github.bedrockgateway.converse.Documents;
import io.github.bedrockgateway.converse.Guardrails;
import io.github.bedrockgateway.converse.RequestFields;
import io.github.bedrockgateway.converse.StructuredOutput;
import io.github.bedrockgateway.converse.Thinking;
import io.github.bedrockgateway.converse.ToolPlan;
import io.github.bedrockgateway.converse.TranslationOptions;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.PerformanceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceTier;

/**
 * OpenAI Chat Completions request -> Bedrock Converse request. Pure functions: no I/O, no
 * framework. Every parameter is either mapped, ignored by the rule documented in
 * docs/compatibility.md, or refused with a 400 that names it; Bedrock is never called with a
 * request we already know is wrong.
 *
 * <p>This class assembles the Converse request; the request's parts are read by package-private
 * helpers along the same lines: {@link ChatParameters} (top-level parameters), {@link
 * ChatBedrockFields} (Bedrock pass-through fields), {@link ChatMessages} (messages) and {@link
 * ChatTools} (tools and tool choice).
 */
public final class OpenAiToConverse {

  /** Converse: at most 20 images per request, each at most 3.75 MB. */
  public static final int MAX_IMAGES = Attachments.MAX_IMAGES;

  public static final int MAX_IMAGE_BYTES = Attachments.MAX_IMAGE_BYTES;

  /** OpenAI accepts at most 4 stop sequences, as do several Bedrock models. */
  public static final int MAX_STOP_SEQUENCES = ChatParameters.MAX_STOP_SEQUENCES;

  /** Converse wants a text block next to documents; added when the user sent files alone. */
  static final String DOCUMENT_NOTE = Conversation.DOCUMENT_NOTE;

  static final String DOCUMENTS_NOTE = Conversation.DOCUMENTS_NOTE;

  private OpenAiToConverse() {}

  /**
   * Translates a parsed request body with the default options (no guardrail, no automatic caching).
   */
  public static ChatRequest translate(JsonNode body, UnaryOperator<String> modelResolver) {
    return translate(body, modelResolver, TranslationOptions.defaults());
  }

  /**
   * Translates a parsed request body. Images given by an {@code http(s)://} URL are not downloaded
   * here: they are placeholders in the Converse request, listed in {@link
   * ChatRequest#remoteImages()}.
   *
   * @param body the request JSON
   * @param modelResolver maps the client-facing model name to a Bedrock model id (aliases)
   * @param options the operator's settings
   */
  public static ChatRequest translate(
      JsonNode body, UnaryOperator<String> modelResolver, TranslationOptions options) {
    if (body == null || !body.isObject()) {
      throw invalid(null, "The request body must be a JSON object.");
    }
    String model = requiredString(body, "model");
    if (model.isBlank()) {
      throw invalid("model", "model must not be empty.");
    }
    boolean stream = optionalBoolean(body, "stream", false);
    boolean includeUsage = ChatParameters.streamOptions(body, stream);
    ChatParameters.refuseUnsupported(body);

    String modelId = modelResolver.apply(model);
    ConverseRequest.Builder converse = ConverseRequest.builder().modelId(modelId);
    JsonNode clientFields =
        optionalObject(body, "additionalModelRequestFields", "additionalModelRequestFields");
    Thinking thinking =
        Thinking.of(
            optionalString(body, "reasoning_effort"),
            "reasoning_effort",
            modelId,
            options.reasoning(),
            clientFields);
    Conversation conversation = ChatMessages.messages(body);
    if (thinking.fromEffort() && conversation.toolLoopWithoutSignedReasoning()) {
      // Bedrock requires the signed reasoning in front of the tool call being answered; a client
      // that lost it (history from another model, ids rewritten) gets the turn without thinking,
      // which Anthropic documents as the way out, instead of a 400.
      thinking = Thinking.OFF;
    }
    StructuredOutput structured = ResponseFormat.of(body, modelId, options.structuredOutput());
    ToolPlan tools =
        ChatTools.toolConfig(
            body, conversation, thinking, structured, modelId, options.structuredOutput().models());
    tools.placeAutomaticCachePoints(conversation, modelId, options.promptCaching());
    if (tools.config() != null) {
      converse.toolConfig(tools.config());
    }
    if (tools.structured().outputConfig() != null) {
      converse.outputConfig(tools.structured().outputConfig());
    }
    conversation.system.addAll(tools.notes());
    if (!conversation.system.isEmpty()) {
      converse.system(conversation.system);
    }
    converse.messages(conversation.messages(thinking.enabled()));
    InferenceConfiguration inference =
        ChatParameters.inferenceConfig(body, thinking, options.reasoning());
    if (inference != null) {
      converse.inferenceConfig(inference);
    }
    ObjectNode modelFields =
        ChatBedrockFields.modelRequestFields(body, modelId, thinking, tools, clientFields);
    if (modelFields.size() > 0) {
      converse.additionalModelRequestFields(Documents.fromJson(modelFields));
    }
    Map<String, String> metadata = RequestFields.metadata(body);
    if (!metadata.isEmpty()) {
      converse.requestMetadata(metadata);
    }
    List<String> responsePaths = ChatBedrockFields.responseFieldPaths(body);
    if (!responsePaths.isEmpty()) {
      converse.additionalModelResponseFieldPaths(responsePaths);
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
    return new ChatRequest(
        model,
        stream,
        includeUsage,
        converse.build(),
        tools.structured().toolName(),
        guardrail == null ? null : guardrail.streamProcessingMode(),
        conversation.attachments.remoteImages());
  }
}
