package io.github.bedrockgateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.OutputConfig;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceTier;

/**
 * Anthropic Messages request -> Bedrock Converse request, for the models that do not take the
 * Anthropic body (Nova, Llama, Mistral, ...). Pure: no I/O, no framework. Every field is mapped,
 * dropped by a rule docs/compatibility.md states, or refused with a 400 naming it; the Anthropic
 * API refuses unknown fields, and so does this translation.
 *
 * <p>The entry point: the top-level fields are {@link MessagesParameters}'s, {@code system} and
 * {@code messages} {@link MessagesConversation}'s (its images and documents {@link
 * MessagesAttachments}'s), {@code tools} and {@code tool_choice} {@link MessagesTools}'s.
 */
public final class AnthropicToConverse {

  /** Converse wants a text block next to documents; added when the user sent documents alone. */
  static final String DOCUMENT_NOTE = "See the attached document.";

  static final String NO_TOOLS_NOTE =
      "No tool may be called in this turn: answer the user directly without calling any tool.";

  private AnthropicToConverse() {}

  /** Translates {@code request} for {@code modelId} (a Bedrock id that is not Claude). */
  public static ConverseRequest translate(MessagesRequest request, String modelId) {
    JsonNode body = request.body();
    MessagesParameters.refuseUnsupported(body);
    ConverseRequest.Builder converse = ConverseRequest.builder().modelId(modelId);
    MessagesConversation c = MessagesConversation.of(body.get("system"), body.get("messages"));
    MessagesTools.Translated tools = MessagesTools.translate(body, c);
    if (tools.config() != null) {
      converse.toolConfig(tools.config());
    }
    c.system().addAll(tools.notes());
    if (!c.system().isEmpty()) {
      converse.system(c.system());
    }
    converse.messages(c.messages());
    converse.inferenceConfig(MessagesParameters.inference(body, request.maxTokens()));
    Document topK = MessagesParameters.topK(body, modelId);
    if (topK != null) {
      converse.additionalModelRequestFields(topK);
    }
    OutputConfig output = MessagesParameters.outputConfig(body);
    if (output != null) {
      converse.outputConfig(output);
    }
    String tier = ClaudeBody.serviceTier(body);
    if (tier != null) {
      converse.serviceTier(ServiceTier.builder().type(tier).build());
    }
    return converse.build();
  }

  /** The {@code stop_sequences} of a request (empty strings dropped: Converse refuses them). */
  static List<String> stopSequences(JsonNode body) {
    return MessagesParameters.stopSequences(body);
  }
}
