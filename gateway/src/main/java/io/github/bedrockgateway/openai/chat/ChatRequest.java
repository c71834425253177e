package io.github.bedrockgateway.openai.chat;

import io.github.bedrockgateway.converse.PendingImage;
import io.github.bedrockgateway.converse.StreamRequests;
import java.util.List;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;

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
 * @param remoteImages the {@code http(s)://} images still to download, whose placeholders {@code
 *     converse} holds (see {@link #withImages})
 */
public record ChatRequest(
    String clientModel,
    boolean stream,
    boolean includeUsage,
    ConverseRequest converse,
    String structuredOutputTool,
    String guardrailStreamProcessingMode,
    List<PendingImage> remoteImages) {

  public ChatRequest {
    remoteImages = List.copyOf(remoteImages);
  }

  public ChatRequest(
      String clientModel,
      boolean stream,
      boolean includeUsage,
      ConverseRequest converse,
      String structuredOutputTool,
      String guardrailStreamProcessingMode) {
    this(
        clientModel,
        stream,
        includeUsage,
        converse,
        structuredOutputTool,
        guardrailStreamProcessingMode,
        List.of());
  }

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
        guardrailStreamProcessingMode,
        remoteImages);
  }

  /**
   * The complete request: the downloaded {@code images} (in the order of {@link #remoteImages}) in
   * place of their placeholders, nothing left to download.
   */
  public ChatRequest withImages(List<ImageBlock> images) {
    return new ChatRequest(
        clientModel,
        stream,
        includeUsage,
        PendingImage.fill(converse, remoteImages, images),
        structuredOutputTool,
        guardrailStreamProcessingMode,
        List.of());
  }

  /** The same request for {@code ConverseStream}: the two operations share every input field. */
  public ConverseStreamRequest toStreamRequest() {
    return StreamRequests.of(converse, guardrailStreamProcessingMode);
  }
}
