package io.github.bedrockgateway.anthropic;

import static io.github.bedrockgateway.anthropic.MessagesUpstream.fail;
import static io.github.bedrockgateway.anthropic.MessagesUpstream.requestId;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.bedrock.BedrockClients;
import io.github.bedrockgateway.bedrock.BedrockConfig;
import io.github.bedrockgateway.bedrock.BetaSettings;
import io.github.bedrockgateway.bedrock.ClaudeBetas;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.observability.Exchange;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;

/**
 * {@code POST /v1/messages} for Claude models: the Anthropic body itself ({@link ClaudeBody})
 * through InvokeModel, or InvokeModelWithResponseStream relayed by {@link ClaudeStreamTranslator}.
 */
@Singleton
class ClaudeMessages {

  private static final Logger LOG = Logger.getLogger(ClaudeMessages.class);

  private final BedrockConfig config;
  private final BedrockClients bedrock;
  private final Edge edge;
  private final ClaudeBetas betas;
  private final OutputLimits limits;
  private final MessagesUpstream upstream;

  ClaudeMessages(
      BedrockConfig config,
      AnthropicConfig anthropic,
      BetaSettings betaSettings,
      BedrockClients bedrock,
      Edge edge,
      MessagesUpstream upstream) {
    this.config = config;
    this.bedrock = bedrock;
    this.edge = edge;
    this.betas = betaSettings.allowList();
    this.limits = OutputLimits.parse(anthropic.maxOutputTokens());
    this.upstream = upstream;
  }

  /**
   * The InvokeModel body for {@code request}: its {@code anthropic-beta} headers filtered by the
   * allow-list, {@code max_tokens} within the model's limit.
   */
  ClaudeBody.Invocation invocation(RoutingContext ctx, MessagesRequest request, String modelId) {
    return ClaudeBody.build(
        request, modelId, ctx.request().headers().getAll("anthropic-beta"), betas, limits);
  }

  /** Sends {@code request} to {@code modelId}, a Claude model, and answers the client. */
  void send(RoutingContext ctx, Exchange exchange, MessagesRequest request, String modelId) {
    ClaudeBody.Invocation invocation = invocation(ctx, request, modelId);
    if (!invocation.droppedBetas().isEmpty()) {
      LOG.debugf(
          "request %s: anthropic-beta %s not forwarded (not in gateway.anthropic.betas for %s)",
          exchange.requestId, invocation.droppedBetas(), modelId);
    }
    if (invocation.clampedFrom() != null) {
      LOG.debugf(
          "request %s: max_tokens %d lowered to %s's limit (gateway.anthropic.max-output-tokens)",
          exchange.requestId, invocation.clampedFrom(), modelId);
    }
    Optional<GatewayException> refused = edge.admit(exchange);
    if (refused.isPresent()) {
      fail(ctx.response(), exchange, refused.get());
      return;
    }
    String metadata = attribution(exchange);
    SdkBytes body = SdkBytes.fromByteArrayUnsafe(invocation.body());
    if (request.stream()) {
      InvokeModelWithResponseStreamRequest.Builder call =
          InvokeModelWithResponseStreamRequest.builder()
              .modelId(modelId)
              .contentType("application/json")
              .accept("application/json")
              .body(body);
      if (metadata != null) {
        call.requestMetadata(metadata);
      }
      if (invocation.serviceTier() != null) {
        call.serviceTier(invocation.serviceTier());
      }
      InvokeModelWithResponseStreamRequest built = call.build();
      upstream.<ResponseStream>stream(
          ctx.response(),
          exchange,
          new ClaudeStreamTranslator(request.model()),
          up ->
              bedrock
                  .current()
                  .invokeModelWithResponseStream(
                      built,
                      InvokeModelWithResponseStreamResponseHandler.builder()
                          .onResponse(r -> up.responseReceived(requestId(r.responseMetadata())))
                          .onEventStream(up::subscribe)
                          .onError(up::exceptionOccurred)
                          .build()));
      return;
    }
    InvokeModelRequest.Builder call =
        InvokeModelRequest.builder()
            .modelId(modelId)
            .contentType("application/json")
            .accept("application/json")
            .body(body)
            .overrideConfiguration(o -> o.apiCallTimeout(config.requestTimeout()));
    if (metadata != null) {
      call.requestMetadata(metadata);
    }
    if (invocation.serviceTier() != null) {
      call.serviceTier(invocation.serviceTier());
    }
    InvokeModelRequest built = call.build();
    upstream.call(
        ctx.response(),
        exchange,
        () -> bedrock.current().invokeModel(built),
        answer -> answer(ctx.response(), exchange, request, answer));
  }

  /** Claude's message as Bedrock answered it, with the client's model name. */
  private static void answer(
      HttpServerResponse response,
      Exchange exchange,
      MessagesRequest request,
      InvokeModelResponse answer) {
    JsonNode message;
    try {
      message = Json.MAPPER.readTree(answer.body().asByteArrayUnsafe());
    } catch (java.io.IOException e) {
      message = null;
    }
    if (!(message instanceof ObjectNode m)) {
      fail(
          response,
          exchange,
          new GatewayException(
              502,
              GatewayException.API_ERROR,
              "Bedrock answered with a body that is not an Anthropic message.",
              null,
              "upstream_protocol_error"));
      return;
    }
    m.put("model", request.model());
    exchange.usage = AnthropicUsage.of(m.get("usage"));
    MessagesUpstream.answer(
        response, exchange, answer.responseMetadata().requestId(), m.toString());
  }

  /** The attribution header of InvokeModel: a JSON object of strings, or null when off. */
  private String attribution(Exchange exchange) {
    Map<String, String> metadata = edge.attribution(exchange, Map.of());
    if (metadata.isEmpty()) {
      return null;
    }
    try {
      return Json.MAPPER.writeValueAsString(metadata);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
    }
  }
}
