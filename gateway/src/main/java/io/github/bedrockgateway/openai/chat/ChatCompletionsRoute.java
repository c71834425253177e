package io.github.bedrockgateway.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.bedrock.BedrockClients;
import io.github.bedrockgateway.bedrock.BedrockConfig;
import io.github.bedrockgateway.bedrock.BedrockErrorMapper;
import io.github.bedrockgateway.bedrock.ModelCatalog;
import io.github.bedrockgateway.config.TranslationConfig;
import io.github.bedrockgateway.config.TranslationSettings;
import io.github.bedrockgateway.converse.TranslationOptions;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.edge.EdgeConfig;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.observability.Exchange;
import io.github.bedrockgateway.openai.OpenAiErrors;
import io.github.bedrockgateway.openai.StreamRelay;
import io.github.bedrockgateway.sse.PlainCalls;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;

/**
 * {@code POST /v1/chat/completions}: parses and translates the OpenAI request once, calls Converse
 * or ConverseStream on the event loop without blocking, and writes the answer (streams chunk by
 * chunk, with back-pressure). Authentication, admission and the access log are the {@link Edge}'s.
 */
@Singleton
public class ChatCompletionsRoute {

  private static final Logger LOG = Logger.getLogger(ChatCompletionsRoute.class);

  private final EdgeConfig config;
  private final BedrockConfig bedrockConfig;
  private final BedrockClients bedrock;
  private final Edge edge;
  private final ModelCatalog catalog;
  private final PlainCalls plain;
  private final TranslationOptions translation;
  private final RemoteImages remoteImages;

  ChatCompletionsRoute(
      EdgeConfig config,
      BedrockConfig bedrockConfig,
      TranslationConfig translationConfig,
      BedrockClients bedrock,
      Edge edge,
      ModelCatalog catalog,
      PlainCalls plain,
      RemoteImages remoteImages) {
    this.config = config;
    this.bedrockConfig = bedrockConfig;
    this.plain = plain;
    this.bedrock = bedrock;
    this.edge = edge;
    this.catalog = catalog;
    this.remoteImages = remoteImages;
    this.translation = TranslationSettings.from(translationConfig);
  }

  void register(@Observes Router router) {
    edge.guard(router, "/v1/chat/completions", OpenAiErrors.protocol("openai.chat"));
    router
        .post("/v1/chat/completions")
        .handler(edge.body())
        .handler(this::chatCompletions)
        .failureHandler(edge.failureHandler(OpenAiErrors::send));
    router
        .route("/v1/chat/completions")
        .handler(
            ctx ->
                Edge.fail(
                    ctx,
                    new GatewayException(
                        405,
                        GatewayException.INVALID_REQUEST,
                        "Method "
                            + ctx.request().method()
                            + " is not allowed on /v1/chat/completions; use POST.",
                        null,
                        null)));
  }

  private void chatCompletions(RoutingContext ctx) {
    Exchange exchange = Edge.exchange(ctx);
    ChatRequest request;
    try {
      JsonNode body = edge.parseJson(ctx, "a JSON object with 'model' and 'messages'");
      checkLimits(body);
      request = OpenAiToConverse.translate(body, catalog::resolve, translation);
    } catch (GatewayException e) {
      fail(ctx.response(), exchange, e);
      return;
    }
    if (request.remoteImages().isEmpty()) {
      chatCompletions(ctx, request);
      return;
    }
    // The translation left a placeholder for each remote image (no I/O in translators): download
    // them now and put them in place; the request is not translated again.
    ChatRequest translated = request;
    remoteImages
        .download(request.remoteImages())
        // in the chain, so a failure to put the images in place is an answer too (a 500)
        .map(translated::withImages)
        .onComplete(
            downloaded -> {
              if (downloaded.failed()) {
                GatewayException e = BedrockErrorMapper.map(downloaded.cause(), exchange.requestId);
                if (e.status() >= 500) {
                  LOG.warnf(
                      downloaded.cause(),
                      "request %s failed while fetching its images",
                      exchange.requestId);
                }
                fail(ctx.response(), exchange, e);
              } else if (!ctx.response().closed()) {
                chatCompletions(ctx, downloaded.result());
              }
            });
  }

  private void chatCompletions(RoutingContext ctx, ChatRequest request) {
    HttpServerResponse response = ctx.response();
    Exchange exchange = Edge.exchange(ctx);
    exchange.model = request.clientModel();
    exchange.modelLabel =
        catalog.find(request.clientModel()) != null ? request.clientModel() : "unlisted";
    exchange.bedrockModelId = request.converse().modelId();
    exchange.stream = request.stream();
    Optional<GatewayException> refused = edge.admit(exchange);
    if (refused.isPresent()) {
      fail(response, exchange, refused.get());
      return;
    }
    ConverseRequest converse = withAttribution(request.converse(), exchange);
    String id = "chatcmpl-" + exchange.requestId;
    long created = Instant.now().getEpochSecond();
    Context context = Vertx.currentContext();
    if (request.stream()) {
      ConverseStreamTranslator translator = new ConverseStreamTranslator(id, created, request);
      StreamRelay relay =
          new StreamRelay(
              response,
              context,
              translator,
              StreamRelay.CHAT,
              bedrockConfig.streamIdleTimeout(),
              exchange,
              edge);
      relay.attach(
          bedrock
              .current()
              .converseStream(request.withConverse(converse).toStreamRequest(), relay));
      return;
    }
    ConverseRequest plainCall =
        converse.toBuilder()
            .overrideConfiguration(o -> o.apiCallTimeout(bedrockConfig.requestTimeout()))
            .build();
    plain.call(
        response,
        exchange,
        OpenAiErrors::send,
        () -> bedrock.current().converse(plainCall),
        answer -> {
          exchange.usage = answer.usage();
          PlainCalls.answer(
              response,
              exchange,
              answer.responseMetadata().requestId(),
              Buffer.buffer(ConverseToOpenAi.completion(answer, request, id, created)));
        });
  }

  /** Client key name and request id travel to Bedrock so invocation logs attribute the usage. */
  private ConverseRequest withAttribution(ConverseRequest converse, Exchange exchange) {
    Map<String, String> existing =
        converse.hasRequestMetadata() ? converse.requestMetadata() : Map.of();
    Map<String, String> metadata = edge.attribution(exchange, existing);
    return metadata == existing ? converse : converse.toBuilder().requestMetadata(metadata).build();
  }

  private void checkLimits(JsonNode body) {
    JsonNode messages = body.path("messages");
    if (messages.isArray() && messages.size() > config.limits().maxMessages()) {
      throw GatewayException.invalid(
          "messages",
          "Too many messages: at most " + config.limits().maxMessages() + " are accepted.");
    }
    JsonNode tools = body.path("tools");
    if (tools.isArray() && tools.size() > config.limits().maxTools()) {
      throw GatewayException.invalid(
          "tools", "Too many tools: at most " + config.limits().maxTools() + " are accepted.");
    }
  }

  private static void fail(HttpServerResponse response, Exchange exchange, GatewayException e) {
    exchange.fail(e);
    OpenAiErrors.send(response, e);
  }
}
