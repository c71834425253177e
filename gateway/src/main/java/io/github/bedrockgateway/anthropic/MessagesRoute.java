package io.github.bedrockgateway.anthropic;

import static io.github.bedrockgateway.anthropic.MessagesUpstream.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.bedrock.ClaudeModelNames;
import io.github.bedrockgateway.bedrock.ModelCatalog;
import io.github.bedrockgateway.credentials.RegionResolver;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.edge.EdgeConfig;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.observability.Exchange;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * {@code POST /v1/messages} and {@code POST /v1/messages/count_tokens}: the Anthropic Messages API.
 * The route parses the request and resolves the model; Claude models get the Anthropic body through
 * InvokeModel / InvokeModelWithResponseStream ({@link ClaudeMessages}), other models go through
 * Converse ({@link ConverseMessages}), both calling Bedrock through {@link MessagesUpstream}; token
 * counts are {@link CountTokens}'s. Authentication, admission, request ids and the access log are
 * the {@link Edge}'s.
 */
@Singleton
public class MessagesRoute {

  private static final String MESSAGES = "/v1/messages";
  private static final String COUNT_TOKENS = "/v1/messages/count_tokens";

  private final EdgeConfig config;
  private final Edge edge;
  private final ModelCatalog catalog;
  private final String region;
  private final ClaudeMessages claude;
  private final ConverseMessages converse;
  private final CountTokens counter;

  MessagesRoute(
      EdgeConfig config,
      Edge edge,
      ModelCatalog catalog,
      RegionResolver regions,
      ClaudeMessages claude,
      ConverseMessages converse,
      CountTokens counter) {
    this.config = config;
    this.edge = edge;
    this.catalog = catalog;
    this.region = regions.region().id();
    this.claude = claude;
    this.converse = converse;
    this.counter = counter;
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
    describe(exchange, request, modelId);
    exchange.stream = request.stream();
    try {
      if (ClaudeBody.isClaude(modelId, request.model())) {
        claude.send(ctx, exchange, request, modelId);
      } else {
        converse.send(ctx, exchange, request, modelId);
      }
    } catch (GatewayException e) {
      fail(response, exchange, e);
    }
  }

  // -------------------------------------------------- POST /v1/messages/count_tokens

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
        invocation = claude.invocation(ctx, request, modelId);
      }
    } catch (GatewayException e) {
      fail(response, exchange, e);
      return;
    }
    describe(exchange, request, modelId);
    counter.count(response, exchange, request, modelId, invocation);
  }

  // ------------------------------------------------------------------ shared

  /** The model, as the client named it and as Bedrock is called, for the access log. */
  private void describe(Exchange exchange, MessagesRequest request, String modelId) {
    exchange.model = request.model();
    exchange.modelLabel = catalog.find(request.model()) != null ? request.model() : "unlisted";
    exchange.bedrockModelId = modelId;
  }

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
}
