package io.github.bedrockgateway.anthropic;

import io.github.bedrockgateway.bedrock.BedrockClients;
import io.github.bedrockgateway.bedrock.BedrockConfig;
import io.github.bedrockgateway.bedrock.BedrockErrorMapper;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.observability.Exchange;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensInput;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelTokensRequest;

/**
 * {@code POST /v1/messages/count_tokens} once the request is parsed: Bedrock CountTokens for Claude
 * models (the InvokeModel body, base64), else, and on any failure of it, {@link TokenEstimate}:
 * Claude Code calls this to budget its context and must get a number.
 */
@Singleton
class CountTokens {

  private static final Logger LOG = Logger.getLogger(CountTokens.class);

  /** CountTokens takes the model id, not a cross-region inference profile. */
  private static final Pattern PROFILE_PREFIX =
      Pattern.compile("^(us|us-gov|eu|apac|global|jp|au|ca|uk)\\.(?=anthropic\\.)");

  private final BedrockConfig config;
  private final BedrockClients bedrock;
  private final Edge edge;

  CountTokens(BedrockConfig config, BedrockClients bedrock, Edge edge) {
    this.config = config;
    this.bedrock = bedrock;
    this.edge = edge;
  }

  /**
   * Answers the count for {@code request}; {@code invocation} is its InvokeModel body for a Claude
   * model, else null (the estimate is answered).
   */
  void count(
      HttpServerResponse response,
      Exchange exchange,
      MessagesRequest request,
      String modelId,
      ClaudeBody.Invocation invocation) {
    int estimate = TokenEstimate.of(request.body());
    if (invocation == null || edge.admit(exchange).isPresent()) {
      answer(response, exchange, estimate);
      return;
    }
    CountTokensRequest call =
        CountTokensRequest.builder()
            .modelId(PROFILE_PREFIX.matcher(modelId).replaceFirst(""))
            .input(
                CountTokensInput.fromInvokeModel(
                    InvokeModelTokensRequest.builder()
                        .body(SdkBytes.fromByteArrayUnsafe(invocation.body()))
                        .build()))
            .overrideConfiguration(o -> o.apiCallTimeout(config.requestTimeout()))
            .build();
    Context context = Vertx.currentContext();
    bedrock
        .current()
        .countTokens(call)
        .whenComplete(
            (answer, failure) ->
                context.runOnContext(
                    v -> {
                      if (response.closed() || response.ended()) {
                        return;
                      }
                      if (failure != null || answer.inputTokens() == null) {
                        LOG.debugf(
                            "request %s: Bedrock CountTokens failed for %s (%s); answering the estimate",
                            exchange.requestId,
                            modelId,
                            failure == null
                                ? "no count"
                                : BedrockErrorMapper.map(failure).getMessage());
                        answer(response, exchange, estimate);
                        return;
                      }
                      exchange.bedrockRequestId = answer.responseMetadata().requestId();
                      answer(response, exchange, answer.inputTokens());
                    }));
  }

  private static void answer(HttpServerResponse response, Exchange exchange, int tokens) {
    exchange.status = 200;
    response
        .putHeader("content-type", "application/json")
        .end(Buffer.buffer("{\"input_tokens\":" + tokens + "}"));
  }
}
