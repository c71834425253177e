package io.github.bedrockgateway.sse;

import io.github.bedrockgateway.bedrock.BedrockErrorMapper;
import io.github.bedrockgateway.credentials.CredentialsManager;
import io.github.bedrockgateway.edge.ErrorRenderer;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.observability.Exchange;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One non-streaming Bedrock call, for every protocol: the non-streaming counterpart of {@link
 * SseRelay}. The SDK call is made without blocking and answered on the request's context; a client
 * that goes away cancels it (status 499); a failure is mapped once ({@link BedrockErrorMapper}) and
 * rendered in the protocol's envelope. When Bedrock refuses the gateway's own credentials (revoked,
 * expired early, rotated), they are refreshed and the call is made once more, as nothing has
 * reached the client yet.
 */
@Singleton
public class PlainCalls {

  private static final Logger LOG = Logger.getLogger(PlainCalls.class);

  private final CredentialsManager credentials;

  PlainCalls(CredentialsManager credentials) {
    this.credentials = credentials;
  }

  /**
   * Makes {@code call} and hands its answer to {@code onAnswer} on the request's context, or
   * answers with the error its failure maps to. Call on the request's context.
   *
   * @param errors the protocol's envelope
   */
  public <T> void call(
      HttpServerResponse response,
      Exchange exchange,
      ErrorRenderer errors,
      Supplier<CompletableFuture<T>> call,
      Consumer<T> onAnswer) {
    new Attempt<>(Vertx.currentContext(), response, exchange, errors, call, onAnswer).start(false);
  }

  /** Answers 200 with the JSON {@code body}, passing Bedrock's request id on (header and log). */
  public static void answer(
      HttpServerResponse response, Exchange exchange, String bedrockRequestId, Buffer body) {
    exchange.status = 200;
    exchange.bedrockRequestId = bedrockRequestId;
    if (bedrockRequestId != null) {
      response.putHeader(BedrockErrorMapper.REQUEST_ID_HEADER, bedrockRequestId);
    }
    response.putHeader("content-type", "application/json").end(body);
  }

  private final class Attempt<T> {
    private final Context context;
    private final HttpServerResponse response;
    private final Exchange exchange;
    private final ErrorRenderer errors;
    private final Supplier<CompletableFuture<T>> call;
    private final Consumer<T> onAnswer;

    Attempt(
        Context context,
        HttpServerResponse response,
        Exchange exchange,
        ErrorRenderer errors,
        Supplier<CompletableFuture<T>> call,
        Consumer<T> onAnswer) {
      this.context = context;
      this.response = response;
      this.exchange = exchange;
      this.errors = errors;
      this.call = call;
      this.onAnswer = onAnswer;
    }

    void start(boolean retried) {
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
          (answer, failure) -> context.runOnContext(v -> settle(answer, failure, retried)));
    }

    private void settle(T answer, Throwable failure, boolean retried) {
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
            "request %s: Bedrock refused the gateway's AWS credentials (%s); refreshing them and"
                + " retrying once",
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
                          start(true);
                        }));
        return;
      }
      if (e.status() >= 500) {
        LOG.warnf("request %s failed: %s", exchange.requestId, failure.toString());
      }
      exchange.bedrockRequestId = e.headers().get(BedrockErrorMapper.REQUEST_ID_HEADER);
      exchange.fail(e);
      errors.send(response, e);
    }
  }
}
