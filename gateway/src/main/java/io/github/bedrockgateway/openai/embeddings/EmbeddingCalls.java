package io.github.bedrockgateway.openai.embeddings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.bedrock.BedrockErrorMapper;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.observability.Exchange;
import io.github.bedrockgateway.openai.OpenAiErrors;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * The InvokeModel calls of one embeddings request: at most {@code maxConcurrent} at once, each
 * answer stored at its inputs' place, and the client answered once when every call has succeeded.
 * The first failure ends the request: the calls still running are cancelled, none is started, and
 * the client gets that one error (never a partial list). One per request, not thread-safe: every
 * method runs on the request's Vert.x context.
 */
final class EmbeddingCalls {

  private static final Logger LOG = Logger.getLogger(EmbeddingCalls.class);
  static final String INPUT_TOKENS_HEADER = "X-Amzn-Bedrock-Input-Token-Count";

  /** The per-call parts that do not change between the calls of one request. */
  record Setup(
      Context context,
      HttpServerResponse response,
      Exchange exchange,
      Supplier<BedrockRuntimeAsyncClient> bedrock,
      Supplier<CompletableFuture<Void>> refreshCredentials,
      InvokeModelRequest template,
      int maxConcurrent) {}

  private final Setup setup;
  private final EmbeddingsRequest request;
  private final List<OpenAiToInvokeModel.Batch> batches;
  private final float[][] vectors;
  private final Set<CompletableFuture<InvokeModelResponse>> running = new HashSet<>();
  private int next;
  private int answered;
  private int tokens;
  private boolean over;

  EmbeddingCalls(Setup setup, EmbeddingsRequest request, List<OpenAiToInvokeModel.Batch> batches) {
    this.setup = setup;
    this.request = request;
    this.batches = batches;
    this.vectors = new float[request.texts().size()][];
  }

  /** Starts the first calls; the rest follow as calls finish. */
  void start() {
    setup
        .response()
        .closeHandler(
            v -> {
              if (!setup.response().ended()) {
                setup.exchange().status = 499;
                setup.exchange().errorCode = "client_closed";
              }
              end();
            });
    fill();
  }

  private void fill() {
    while (!over && next < batches.size() && running.size() < setup.maxConcurrent()) {
      call(next++, false);
    }
  }

  private void call(int index, boolean retried) {
    OpenAiToInvokeModel.Batch batch = batches.get(index);
    InvokeModelRequest invoke =
        setup.template().toBuilder()
            .body(SdkBytes.fromByteArrayUnsafe(bytes(batch.body())))
            .build();
    CompletableFuture<InvokeModelResponse> future = setup.bedrock().get().invokeModel(invoke);
    running.add(future);
    future.whenComplete(
        (answer, failure) ->
            setup
                .context()
                .runOnContext(
                    v -> {
                      running.remove(future);
                      if (!over) {
                        completed(index, retried, answer, failure);
                      }
                    }));
  }

  private void completed(
      int index, boolean retried, InvokeModelResponse answer, Throwable failure) {
    Exchange exchange = setup.exchange();
    OpenAiToInvokeModel.Batch batch = batches.get(index);
    if (failure != null) {
      GatewayException e = BedrockErrorMapper.map(failure, exchange.requestId);
      if (!retried && BedrockErrorMapper.CREDENTIALS_REFUSED.equals(e.code())) {
        // Bedrock refused credentials the gateway believed valid: refresh them (concurrent
        // refreshes
        // are coalesced) and try this call once more; nothing has reached the client yet.
        LOG.warnf(
            "request %s: Bedrock refused the gateway's AWS credentials (%s); refreshing them and "
                + "retrying once",
            exchange.requestId, e.getMessage());
        CompletableFuture<InvokeModelResponse> placeholder = new CompletableFuture<>();
        running.add(placeholder);
        setup
            .refreshCredentials()
            .get()
            .whenComplete(
                (ok, refreshFailure) ->
                    setup
                        .context()
                        .runOnContext(
                            w -> {
                              running.remove(placeholder);
                              if (refreshFailure != null) {
                                LOG.warnf(
                                    "request %s: credentials refresh failed: %s",
                                    exchange.requestId, refreshFailure.toString());
                              }
                              if (!over) {
                                call(index, true);
                              }
                            }));
        return;
      }
      if (e.status() >= 500) {
        LOG.warnf("request %s failed: %s", exchange.requestId, failure.toString());
      }
      exchange.bedrockRequestId = e.headers().get(BedrockErrorMapper.REQUEST_ID_HEADER);
      fail(InvokeModelToOpenAi.refused(e, batch, request.texts().size()));
      return;
    }
    InvokeModelToOpenAi.Answer read;
    try {
      read =
          InvokeModelToOpenAi.read(
              request.model(), batch, answer.body().asByteArrayUnsafe(), headerTokens(answer));
    } catch (GatewayException e) {
      LOG.warnf("request %s: %s", exchange.requestId, e.getMessage());
      fail(e);
      return;
    }
    for (int i = 0; i < read.vectors().size(); i++) {
      vectors[batch.first() + i] = read.vectors().get(i);
    }
    tokens += read.inputTokens();
    if (index == 0) {
      exchange.bedrockRequestId = answer.responseMetadata().requestId();
    }
    if (++answered == batches.size()) {
      succeed();
    } else {
      fill();
    }
  }

  private void succeed() {
    over = true;
    Exchange exchange = setup.exchange();
    byte[] body = InvokeModelToOpenAi.list(request, Arrays.asList(vectors), tokens);
    exchange.usage =
        TokenUsage.builder().inputTokens(tokens).outputTokens(0).totalTokens(tokens).build();
    exchange.status = 200;
    HttpServerResponse response = setup.response();
    if (response.closed() || response.ended()) {
      return;
    }
    if (exchange.bedrockRequestId != null) {
      response.putHeader(BedrockErrorMapper.REQUEST_ID_HEADER, exchange.bedrockRequestId);
    }
    response.putHeader("content-type", "application/json").end(Buffer.buffer(body));
  }

  private void fail(GatewayException e) {
    end();
    setup.exchange().fail(e);
    OpenAiErrors.send(setup.response(), e);
  }

  /** No more calls: cancels those still running (the client has gone, or one call failed). */
  private void end() {
    over = true;
    for (CompletableFuture<InvokeModelResponse> f : new ArrayList<>(running)) {
      f.cancel(true);
    }
    running.clear();
  }

  private static byte[] bytes(JsonNode body) {
    try {
      return Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static OptionalInt headerTokens(InvokeModelResponse answer) {
    return answer
        .sdkHttpResponse()
        .firstMatchingHeader(INPUT_TOKENS_HEADER)
        .map(
            v -> {
              try {
                return OptionalInt.of(Integer.parseInt(v.trim()));
              } catch (NumberFormatException e) {
                return OptionalInt.empty();
              }
            })
        .orElse(OptionalInt.empty());
  }
}
