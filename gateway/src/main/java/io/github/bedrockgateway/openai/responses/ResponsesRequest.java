package io.github.bedrockgateway.openai.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.bedrockgateway.converse.PendingImage;
import io.github.bedrockgateway.converse.StreamRequests;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;

/**
 * A validated Responses API request, translated.
 *
 * @param clientModel the model name as the client sent it (echoed back)
 * @param stream server-sent events were asked for
 * @param converse the Converse request (model id resolved)
 * @param guardrailStreamProcessingMode {@code sync}/{@code async} for a guarded stream, or null
 * @param structuredOutputTool the synthetic tool of the {@code text.format} fallback, whose input
 *     is the answer's text; null when there is none
 * @param customTools names of the client's free-form ({@code custom}) tools
 * @param includeEncryptedReasoning {@code include} has {@code reasoning.encrypted_content}
 * @param summaryRequested {@code reasoning.summary} asks for the reasoning to be shown
 * @param echo what the response object repeats
 * @param conversation the items of the conversation so far (the stored history, then this request's
 *     input), as input items: what a stored response continues from
 * @param remoteImages the {@code http(s)://} images still to download, whose placeholders {@code
 *     converse} holds (see {@link #withImages})
 */
public record ResponsesRequest(
    String clientModel,
    boolean stream,
    ConverseRequest converse,
    String guardrailStreamProcessingMode,
    String structuredOutputTool,
    Set<String> customTools,
    boolean includeEncryptedReasoning,
    boolean summaryRequested,
    RequestEcho echo,
    ArrayNode conversation,
    List<PendingImage> remoteImages) {

  public ResponsesRequest {
    remoteImages = List.copyOf(remoteImages);
  }

  /** Whether the response is to be stored ({@code store}, true unless the client says false). */
  public boolean store() {
    return echo.store();
  }

  /** The same request with another Converse request (the gateway adds attribution metadata). */
  public ResponsesRequest withConverse(ConverseRequest other) {
    return new ResponsesRequest(
        clientModel,
        stream,
        other,
        guardrailStreamProcessingMode,
        structuredOutputTool,
        customTools,
        includeEncryptedReasoning,
        summaryRequested,
        echo,
        conversation,
        remoteImages);
  }

  /**
   * The complete request: the downloaded {@code images} (in the order of {@link #remoteImages}) in
   * place of their placeholders, nothing left to download. The conversation, if it is stored, keeps
   * each image as a data URL instead of its URL, so continuing it downloads nothing again (see
   * {@link StoredImage}).
   */
  public ResponsesRequest withImages(List<ImageBlock> images) {
    ResponsesRequest complete =
        new ResponsesRequest(
            clientModel,
            stream,
            PendingImage.fill(converse, remoteImages, images),
            guardrailStreamProcessingMode,
            structuredOutputTool,
            customTools,
            includeEncryptedReasoning,
            summaryRequested,
            echo,
            conversation,
            List.of());
    for (int i = 0; i < remoteImages.size(); i++) {
      StoredImage.keep(remoteImages.get(i), images.get(i));
    }
    return complete;
  }

  /** The same request for {@code ConverseStream}. */
  public ConverseStreamRequest toStreamRequest() {
    return StreamRequests.of(converse, guardrailStreamProcessingMode);
  }
}
