package io.github.bedrockgateway.openai;

import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.observability.Exchange;
import io.github.bedrockgateway.sse.SseRelay;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;

/**
 * Relays one ConverseStream to one client in an OpenAI protocol (Chat Completions chunks, Responses
 * events): the SDK's handler in front of the shared {@link SseRelay} (threading, back-pressure,
 * batching, idle watchdog, shutdown), with the OpenAI error envelope before the stream has begun
 * and the protocol's own error event after. One per request.
 */
public final class StreamRelay implements ConverseStreamResponseHandler {

  /** Chat Completions: the OpenAI envelope, and {@code data:}-only error events. */
  public static final SseRelay.Style CHAT =
      SseRelay.Style.of(OpenAiErrors::send, OpenAiErrors::event);

  private final SseRelay<ConverseStreamOutput> relay;

  public StreamRelay(
      HttpServerResponse response,
      Context context,
      SseRelay.Translator<ConverseStreamOutput> translator,
      SseRelay.Style style,
      Duration idleTimeout,
      Exchange exchange,
      Edge edge) {
    this.relay = new SseRelay<>(response, context, translator, style, idleTimeout, exchange, edge);
  }

  /** Runs after a stream that Bedrock completed without error has been written to its end. */
  public void whenCompleted(Runnable action) {
    relay.whenCompleted(action);
  }

  /** Starts watching the client and the upstream; call on the request's context. */
  public void attach(CompletableFuture<Void> call) {
    relay.attach(call);
  }

  @Override
  public void responseReceived(ConverseStreamResponse r) {
    relay.responseReceived(r.responseMetadata() == null ? null : r.responseMetadata().requestId());
  }

  @Override
  public void onEventStream(SdkPublisher<ConverseStreamOutput> publisher) {
    relay.subscribe(publisher);
  }

  @Override
  public void exceptionOccurred(Throwable t) {
    relay.exceptionOccurred(t);
  }

  @Override
  public void complete() {
    // the subscription's onComplete ends the response; nothing more to do here
  }
}
