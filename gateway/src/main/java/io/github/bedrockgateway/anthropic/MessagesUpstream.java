package io.github.bedrockgateway.anthropic;

import io.github.bedrockgateway.bedrock.BedrockConfig;
import io.github.bedrockgateway.bedrock.BedrockErrorMapper;
import io.github.bedrockgateway.credentials.CredentialsManager;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.observability.Exchange;
import io.github.bedrockgateway.sse.PlainCalls;
import io.github.bedrockgateway.sse.SseRelay;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.AwsResponseMetadata;

/**
 * How {@code POST /v1/messages} calls Bedrock and answers, for both of its paths ({@link
 * ClaudeMessages}, {@link ConverseMessages}): the SDK is called on the event loop without blocking
 * and answered on the request's context; streams are relayed as Anthropic's server-sent events (its
 * error event, its ping); when Bedrock refuses the gateway's own credentials before anything
 * reached the client, they are refreshed and the call is made once more.
 */
@Singleton
class MessagesUpstream {

  private static final Logger LOG = Logger.getLogger(MessagesUpstream.class);

  private final BedrockConfig config;
  private final Edge edge;
  private final CredentialsManager credentials;
  private final SseRelay.Style style;
  private final PlainCalls plain;

  MessagesUpstream(
      BedrockConfig config,
      AnthropicConfig anthropic,
      Edge edge,
      CredentialsManager credentials,
      PlainCalls plain) {
    this.plain = plain;
    this.config = config;
    this.edge = edge;
    this.credentials = credentials;
    this.style =
        new SseRelay.Style(
            AnthropicErrors::send,
            AnthropicErrors::event,
            anthropic.pingInterval(),
            "event: ping\ndata: {\"type\":\"ping\"}\n\n");
  }

  /**
   * Relays a streaming Bedrock call to the client through {@code translator}; {@code call} starts
   * it with an SDK handler that forwards to the upstream it is given. Call on the request's
   * context.
   */
  <E> void stream(
      HttpServerResponse response,
      Exchange exchange,
      SseRelay.Translator<E> translator,
      Function<SseRelay<E>.Upstream, CompletableFuture<Void>> call) {
    Context context = Vertx.currentContext();
    SseRelay<E> relay =
        new SseRelay<>(
            response, context, translator, style, config.streamIdleTimeout(), exchange, edge);
    Runnable start = () -> relay.attach(call.apply(relay.upstream()));
    relay.retryOnce(
        e -> BedrockErrorMapper.CREDENTIALS_REFUSED.equals(e.code()),
        () -> {
          LOG.warnf(
              "stream %s: Bedrock refused the gateway's AWS credentials; refreshing them and retrying once",
              exchange.requestId);
          credentials
              .refreshNow()
              .whenComplete(
                  (ok, failure) ->
                      context.runOnContext(
                          v -> {
                            if (failure != null) {
                              LOG.warnf(
                                  "stream %s: credentials refresh failed: %s",
                                  exchange.requestId, failure.toString());
                            }
                            if (!relay.ended()) {
                              start.run();
                            }
                          }));
        });
    start.run();
  }

  /**
   * One non-streaming Bedrock call, answered by {@code onAnswer} on the request's context, or with
   * the error Bedrock's failure maps to, in Anthropic's envelope ({@link PlainCalls}). Call on the
   * request's context.
   */
  <T> void call(
      HttpServerResponse response,
      Exchange exchange,
      Supplier<CompletableFuture<T>> call,
      Consumer<T> onAnswer) {
    plain.call(response, exchange, AnthropicErrors::send, call, onAnswer);
  }

  /** The request id of an SDK response's metadata, or null. */
  static String requestId(AwsResponseMetadata metadata) {
    return metadata == null ? null : metadata.requestId();
  }

  /** Answers 200 with {@code json}, passing Bedrock's request id on. */
  static void answer(
      HttpServerResponse response, Exchange exchange, String bedrockRequestId, String json) {
    PlainCalls.answer(response, exchange, bedrockRequestId, Buffer.buffer(json));
  }

  /** Records the error on the exchange and answers it in Anthropic's envelope. */
  static void fail(HttpServerResponse response, Exchange exchange, GatewayException e) {
    exchange.fail(e);
    AnthropicErrors.send(response, e);
  }
}
