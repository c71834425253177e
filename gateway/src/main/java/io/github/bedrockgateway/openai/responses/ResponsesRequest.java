package io.github.bedrockgateway.openai.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.bedrockgateway.converse.StreamRequests;
import java.util.Set;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;

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
    ArrayNode conversation) {

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
        conversation);
  }

  /** The same request for {@code ConverseStream}. */
  public ConverseStreamRequest toStreamRequest() {
    return StreamRequests.of(converse, guardrailStreamProcessingMode);
  }
}
