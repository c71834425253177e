package io.github.bedrockgateway.anthropic;

import io.github.bedrockgateway.bedrock.BedrockConfig;
import io.github.bedrockgateway.bedrock.BedrockErrorMapper;
import io.github.bedrockgateway.credentials.CredentialsManager;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.observability.Exchange;
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

  MessagesUpstream(
      BedrockConfig config, AnthropicConfig anthropic, Edge edge, CredentialsManager credentials) {
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
   * the error Bedrock's failure maps to. Call on the request's context.
   */
  <T> void call(
      HttpServerResponse response,
      Exchange exchange,
      Supplier<CompletableFuture<T>> call,
      Consumer<T> onAnswer) {
    callOnce(Vertx.currentContext(), response, exchange, call, onAnswer, false);
  }

  /**
   * When Bedrock refuses the gateway's own credentials (revoked, expired early, rotated) they are
   * refreshed and the call is made once more, as nothing has reached the client yet.
   */
  private <T> void callOnce(
      Context context,
      HttpServerResponse response,
      Exchange exchange,
      Supplier<CompletableFuture<T>> call,
      Consumer<T> onAnswer,
      boolean retried) {
    CompletableFuture<T> future = call.get();
    response.closeHandler(
        v -> {
          if (!response.ended()) {
            exchange.status = 499;
            exchange.errorCode = "client_closed";
          }
          future.cancel(true);
        });
    future.whenComplete(
        (answer, failure) ->
            context.runOnContext(
                v -> {
                  if (response.closed() || response.ended()) {
                    return;
                  }
                  if (failure == null) {
                    onAnswer.accept(answer);
                    return;
                  }
                  GatewayException e = BedrockErrorMapper.map(failure, exchange.requestId);
                  if (!retried && BedrockErrorMapper.CREDENTIALS_REFUSED.equals(e.code())) {
                    LOG.warnf(
                        "request %s: Bedrock refused the gateway's AWS credentials (%s); refreshing"
                            + " them and retrying once",
                        exchange.requestId, e.getMessage());
                    credentials
                        .refreshNow()
                        .whenComplete(
                            (ok, refreshFailure) ->
                                context.runOnContext(
                                    w -> {
                                      if (refreshFailure != null) {
                                        LOG.warnf(
                                            "request %s: credentials refresh failed: %s",
                                            exchange.requestId, refreshFailure.toString());
                                      }
                                      callOnce(context, response, exchange, call, onAnswer, true);
                                    }));
                    return;
                  }
                  if (e.status() >= 500) {
                    LOG.warnf("request %s failed: %s", exchange.requestId, failure.toString());
                  }
                  exchange.bedrockRequestId = e.headers().get(BedrockErrorMapper.REQUEST_ID_HEADER);
                  fail(response, exchange, e);
                }));
  }

  /** The request id of an SDK response's metadata, or null. */
  static String requestId(AwsResponseMetadata metadata) {
    return metadata == null ? null : metadata.requestId();
  }

  /** Answers 200 with {@code json}, passing Bedrock's request id on. */
  static void answer(
      HttpServerResponse response, Exchange exchange, String bedrockRequestId, String json) {
    exchange.status = 200;
    exchange.bedrockRequestId = bedrockRequestId;
    if (bedrockRequestId != null) {
      response.putHeader(BedrockErrorMapper.REQUEST_ID_HEADER, bedrockRequestId);
    }
    response.putHeader("content-type", "application/json").end(Buffer.buffer(json));
  }

  /** Records the error on the exchange and answers it in Anthropic's envelope. */
  static void fail(HttpServerResponse response, Exchange exchange, GatewayException e) {
    exchange.fail(e);
    AnthropicErrors.send(response, e);
  }
}
