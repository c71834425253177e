package io.github.bedrockgateway.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.bedrock.BedrockClients;
import io.github.bedrockgateway.bedrock.BedrockConfig;
import io.github.bedrockgateway.bedrock.BedrockErrorMapper;
import io.github.bedrockgateway.bedrock.BetaSettings;
import io.github.bedrockgateway.bedrock.ClaudeBetas;
import io.github.bedrockgateway.bedrock.ClaudeModelNames;
import io.github.bedrockgateway.bedrock.ModelCatalog;
import io.github.bedrockgateway.credentials.CredentialsManager;
import io.github.bedrockgateway.credentials.RegionResolver;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.edge.EdgeConfig;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.observability.Exchange;
import io.github.bedrockgateway.sse.SseRelay;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensInput;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;

/**
 * {@code POST /v1/messages} and {@code POST /v1/messages/count_tokens}: the Anthropic Messages API.
 * Claude models get the Anthropic body through InvokeModel / InvokeModelWithResponseStream ({@link
 * ClaudeBody}, {@link ClaudeStreamTranslator}); other models go through Converse ({@link
 * AnthropicToConverse}, {@link ConverseToAnthropic}, {@link ConverseStreamToAnthropic}).
 * Authentication, admission, request ids and the access log are the {@link Edge}'s; the SDK is
 * called on the event loop without blocking, as the chat route does.
 */
@Singleton
public class MessagesRoute {

  private static final Logger LOG = Logger.getLogger(MessagesRoute.class);
  private static final String MESSAGES = "/v1/messages";
  private static final String COUNT_TOKENS = "/v1/messages/count_tokens";
  private static final Pattern PROFILE_PREFIX =
      Pattern.compile("^(us|us-gov|eu|apac|global|jp|au|ca|uk)\\.(?=anthropic\\.)");

  private final EdgeConfig config;
  private final BedrockConfig bedrockConfig;
  private final BedrockClients bedrock;
  private final Edge edge;
  private final ModelCatalog catalog;
  private final CredentialsManager credentials;
  private final String region;
  private final ClaudeBetas betas;
  private final OutputLimits limits;
  private final SseRelay.Style style;

  MessagesRoute(
      EdgeConfig config,
      BedrockConfig bedrockConfig,
      AnthropicConfig anthropic,
      BetaSettings betaSettings,
      BedrockClients bedrock,
      Edge edge,
      ModelCatalog catalog,
      CredentialsManager credentials,
      RegionResolver regions) {
    this.config = config;
    this.bedrockConfig = bedrockConfig;
    this.bedrock = bedrock;
    this.edge = edge;
    this.catalog = catalog;
    this.credentials = credentials;
    this.region = regions.region().id();
    this.betas = betaSettings.allowList();
    this.limits = OutputLimits.parse(anthropic.maxOutputTokens());
    this.style =
        new SseRelay.Style(
            AnthropicErrors::send,
            AnthropicErrors::event,
            anthropic.pingInterval(),
            "event: ping\ndata: {\"type\":\"ping\"}\n\n");
  }

  void register(@Observes Router router) {
    edge.guard(router, "/v1/messages*", AnthropicErrors.protocol("anthropic.messages"));
    router
        .post(MESSAGES)
        .handler(edge.body())
        .handler(this::messages)
        .failureHandler(edge.failureHandler(AnthropicErrors::send));
    router
        .post(COUNT_TOKENS)
        .handler(edge.body())
        .handler(this::countTokens)
        .failureHandler(edge.failureHandler(AnthropicErrors::send));
    router.route(MESSAGES).handler(ctx -> methodNotAllowed(ctx, MESSAGES));
    router.route(COUNT_TOKENS).handler(ctx -> methodNotAllowed(ctx, COUNT_TOKENS));
    router
        .route(MESSAGES + "/*")
        .handler(
            ctx ->
                Edge.fail(
                    ctx,
                    new GatewayException(
                        404,
                        GatewayException.NOT_FOUND,
                        "Unknown endpoint: "
                            + ctx.request().method()
                            + " "
                            + ctx.request().path()
                            + " (this gateway serves POST /v1/messages and POST"
                            + " /v1/messages/count_tokens)",
                        null,
                        "unknown_url")));
  }

  private static void methodNotAllowed(RoutingContext ctx, String path) {
    Edge.fail(
        ctx,
        new GatewayException(
            405,
            GatewayException.INVALID_REQUEST,
            "Method " + ctx.request().method() + " is not allowed on " + path + "; use POST.",
            null,
            null));
  }

  // ------------------------------------------------------------------ POST /v1/messages

  private void messages(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    Exchange exchange = Edge.exchange(ctx);
    MessagesRequest request;
    String modelId;
    try {
      JsonNode body =
          edge.parseJson(ctx, "a JSON object with 'model', 'max_tokens' and 'messages'");
      request = MessagesRequest.parse(body, false);
      checkLimits(request.body());
      modelId = bedrockModelId(request.model());
    } catch (GatewayException e) {
      fail(response, exchange, e);
      return;
    }
    exchange.model = request.model();
    exchange.modelLabel = catalog.find(request.model()) != null ? request.model() : "unlisted";
    exchange.bedrockModelId = modelId;
    exchange.stream = request.stream();
    try {
      if (ClaudeBody.isClaude(modelId, request.model())) {
        invokeClaude(ctx, exchange, request, modelId);
      } else {
        converse(ctx, exchange, request, modelId);
      }
    } catch (GatewayException e) {
      fail(response, exchange, e);
    }
  }

  private void invokeClaude(
      RoutingContext ctx, Exchange exchange, MessagesRequest request, String modelId) {
    ClaudeBody.Invocation invocation =
        ClaudeBody.build(
            request, modelId, ctx.request().headers().getAll("anthropic-beta"), betas, limits);
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
    Context context = Vertx.currentContext();
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
      SseRelay<ResponseStream> relay =
          new SseRelay<>(
              ctx.response(),
              context,
              new ClaudeStreamTranslator(request.model()),
              style,
              bedrockConfig.streamIdleTimeout(),
              exchange,
              edge);
      InvokeModelWithResponseStreamRequest built = call.build();
      stream(
          context,
          relay,
          exchange,
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
            .overrideConfiguration(o -> o.apiCallTimeout(bedrockConfig.requestTimeout()));
    if (metadata != null) {
      call.requestMetadata(metadata);
    }
    if (invocation.serviceTier() != null) {
      call.serviceTier(invocation.serviceTier());
    }
    InvokeModelRequest built = call.build();
    callOnce(
        context,
        ctx.response(),
        exchange,
        () -> bedrock.current().invokeModel(built),
        answer -> answerClaude(ctx.response(), exchange, request, answer),
        false);
  }

  private void answerClaude(
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
    answer(response, exchange, answer.responseMetadata().requestId(), m.toString());
  }

  private void converse(
      RoutingContext ctx, Exchange exchange, MessagesRequest request, String modelId) {
    ConverseRequest translated = AnthropicToConverse.translate(request, modelId);
    if (!ctx.request().headers().getAll("anthropic-beta").isEmpty()) {
      LOG.debugf(
          "request %s: anthropic-beta not forwarded (%s is called through Converse)",
          exchange.requestId, modelId);
    }
    Optional<GatewayException> refused = edge.admit(exchange);
    if (refused.isPresent()) {
      fail(ctx.response(), exchange, refused.get());
      return;
    }
    Map<String, String> metadata = edge.attribution(exchange, Map.of());
    if (!metadata.isEmpty()) {
      translated = translated.toBuilder().requestMetadata(metadata).build();
    }
    List<String> stopSequences = AnthropicToConverse.stopSequences(request.body());
    String messageId = "msg_" + exchange.requestId;
    Context context = Vertx.currentContext();
    if (request.stream()) {
      ConverseRequest c = translated;
      SseRelay<ConverseStreamOutput> relay =
          new SseRelay<>(
              ctx.response(),
              context,
              new ConverseStreamToAnthropic(messageId, request.model(), stopSequences),
              style,
              bedrockConfig.streamIdleTimeout(),
              exchange,
              edge);
      ConverseStreamRequest.Builder streamRequest =
          ConverseStreamRequest.builder()
              .modelId(c.modelId())
              .inferenceConfig(c.inferenceConfig())
              .toolConfig(c.toolConfig())
              .additionalModelRequestFields(c.additionalModelRequestFields())
              .outputConfig(c.outputConfig())
              .serviceTier(c.serviceTier());
      if (c.hasMessages()) {
        streamRequest.messages(c.messages());
      }
      if (c.hasSystem()) {
        streamRequest.system(c.system());
      }
      if (c.hasRequestMetadata()) {
        streamRequest.requestMetadata(c.requestMetadata());
      }
      ConverseStreamRequest built = streamRequest.build();
      stream(
          context,
          relay,
          exchange,
          up ->
              bedrock
                  .current()
                  .converseStream(
                      built,
                      ConverseStreamResponseHandler.builder()
                          .onResponse(r -> up.responseReceived(requestId(r.responseMetadata())))
                          .onEventStream(up::subscribe)
                          .onError(up::exceptionOccurred)
                          .build()));
      return;
    }
    ConverseRequest built =
        translated.toBuilder()
            .overrideConfiguration(o -> o.apiCallTimeout(bedrockConfig.requestTimeout()))
            .build();
    callOnce(
        context,
        ctx.response(),
        exchange,
        () -> bedrock.current().converse(built),
        answer -> {
          exchange.usage = answer.usage();
          answer(
              ctx.response(),
              exchange,
              answer.responseMetadata().requestId(),
              new String(
                  ConverseToAnthropic.message(answer, messageId, request.model(), stopSequences),
                  java.nio.charset.StandardCharsets.UTF_8));
        },
        false);
  }

  /**
   * Starts a stream's Bedrock call; when Bedrock refuses the gateway's own credentials before
   * anything reached the client, they are refreshed and the call is made once more.
   */
  private <E> void stream(
      Context context,
      SseRelay<E> relay,
      Exchange exchange,
      Function<SseRelay<E>.Upstream, CompletableFuture<Void>> call) {
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

  private static String requestId(software.amazon.awssdk.awscore.AwsResponseMetadata metadata) {
    return metadata == null ? null : metadata.requestId();
  }

  /**
   * One non-streaming Bedrock call, answered on the request's context; when Bedrock refuses the
   * gateway's own credentials (revoked, expired early, rotated) they are refreshed and the call is
   * made once more, as nothing has reached the client yet.
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

  private static void answer(
      HttpServerResponse response, Exchange exchange, String bedrockRequestId, String json) {
    exchange.status = 200;
    exchange.bedrockRequestId = bedrockRequestId;
    if (bedrockRequestId != null) {
      response.putHeader(BedrockErrorMapper.REQUEST_ID_HEADER, bedrockRequestId);
    }
    response.putHeader("content-type", "application/json").end(Buffer.buffer(json));
  }

  // ------------------------------------------------------------------ POST
  // /v1/messages/count_tokens

  /**
   * Bedrock CountTokens for Claude models (the InvokeModel body, base64), else, and on any failure
   * of it, {@link TokenEstimate}: Claude Code calls this to budget its context and must get a
   * number.
   */
  private void countTokens(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    Exchange exchange = Edge.exchange(ctx);
    exchange.protocol = "anthropic.count_tokens";
    MessagesRequest request;
    String modelId;
    ClaudeBody.Invocation invocation = null;
    try {
      JsonNode body = edge.parseJson(ctx, "a JSON object with 'model' and 'messages'");
      request = MessagesRequest.parse(body, true);
      checkLimits(request.body());
      modelId = bedrockModelId(request.model());
      if (ClaudeBody.isClaude(modelId, request.model())) {
        invocation =
            ClaudeBody.build(
                request, modelId, ctx.request().headers().getAll("anthropic-beta"), betas, limits);
      }
    } catch (GatewayException e) {
      fail(response, exchange, e);
      return;
    }
    exchange.model = request.model();
    exchange.modelLabel = catalog.find(request.model()) != null ? request.model() : "unlisted";
    exchange.bedrockModelId = modelId;
    int estimate = TokenEstimate.of(request.body());
    if (invocation == null || edge.admit(exchange).isPresent()) {
      answerCount(response, exchange, estimate);
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
            .overrideConfiguration(o -> o.apiCallTimeout(bedrockConfig.requestTimeout()))
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
                        answerCount(response, exchange, estimate);
                        return;
                      }
                      exchange.bedrockRequestId = answer.responseMetadata().requestId();
                      answerCount(response, exchange, answer.inputTokens());
                    }));
  }

  private static void answerCount(HttpServerResponse response, Exchange exchange, int tokens) {
    exchange.status = 200;
    response
        .putHeader("content-type", "application/json")
        .end(Buffer.buffer("{\"input_tokens\":" + tokens + "}"));
  }

  // ------------------------------------------------------------------ shared

  /**
   * The Bedrock id for a client's model name: the catalog's aliases (GATEWAY_MODELS_LIST) first,
   * then Claude's names ({@link ClaudeModelNames}), else the name itself.
   */
  private String bedrockModelId(String name) {
    String resolved = catalog.resolve(name);
    if (!resolved.equals(name)) {
      return resolved;
    }
    return ClaudeModelNames.resolve(name, region).orElse(name);
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

  private void checkLimits(JsonNode body) {
    JsonNode messages = body.path("messages");
    if (messages.isArray() && messages.size() > config.limits().maxMessages()) {
      throw GatewayException.invalid(
          "messages",
          "messages: too many messages; this gateway accepts at most "
              + config.limits().maxMessages()
              + ".");
    }
    JsonNode tools = body.path("tools");
    if (tools.isArray() && tools.size() > config.limits().maxTools()) {
      throw GatewayException.invalid(
          "tools",
          "tools: too many tools; this gateway accepts at most "
              + config.limits().maxTools()
              + ".");
    }
  }

  private static void fail(HttpServerResponse response, Exchange exchange, GatewayException e) {
    exchange.fail(e);
    AnthropicErrors.send(response, e);
  }
}
