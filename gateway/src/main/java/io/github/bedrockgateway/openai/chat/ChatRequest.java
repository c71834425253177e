package io.github.bedrockgateway.openai.chat;

import io.github.bedrockgateway.converse.StreamRequests;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;

/**
 * A validated OpenAI chat completion request, translated.
 *
 * @param clientModel the model name as the client sent it (echoed back in every answer)
 * @param stream whether the client asked for server-sent events
 * @param includeUsage {@code stream_options.include_usage}
 * @param converse the Converse request (model id resolved)
 * @param structuredOutputTool the synthetic tool of the {@code response_format} fallback, whose
 *     input is returned as the message content; null when there is none
 * @param guardrailStreamProcessingMode {@code sync} or {@code async} for a guarded stream, or null
 *     for Bedrock's default
 */
public record ChatRequest(
    String clientModel,
    boolean stream,
    boolean includeUsage,
    ConverseRequest converse,
    String structuredOutputTool,
    String guardrailStreamProcessingMode) {

  public ChatRequest(
      String clientModel, boolean stream, boolean includeUsage, ConverseRequest converse) {
    this(clientModel, stream, includeUsage, converse, null, null);
  }

  /** The same request with another Converse request (the gateway adds attribution metadata). */
  public ChatRequest withConverse(ConverseRequest other) {
    return new ChatRequest(
        clientModel,
        stream,
        includeUsage,
        other,
        structuredOutputTool,
        guardrailStreamProcessingMode);
  }

  /** The same request for {@code ConverseStream}: the two operations share every input field. */
  public ConverseStreamRequest toStreamRequest() {
    return StreamRequests.of(converse, guardrailStreamProcessingMode);
  }
}
