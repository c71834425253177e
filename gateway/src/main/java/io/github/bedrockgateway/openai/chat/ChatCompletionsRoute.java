package io.github.bedrockgateway.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.bedrock.BedrockClients;
import io.github.bedrockgateway.bedrock.BedrockConfig;
import io.github.bedrockgateway.bedrock.BedrockErrorMapper;
import io.github.bedrockgateway.bedrock.ModelCatalog;
import io.github.bedrockgateway.config.TranslationConfig;
import io.github.bedrockgateway.config.TranslationSettings;
import io.github.bedrockgateway.converse.TranslationOptions;
import io.github.bedrockgateway.credentials.CredentialsManager;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.edge.EdgeConfig;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.observability.Exchange;
import io.github.bedrockgateway.openai.OpenAiErrors;
import io.github.bedrockgateway.openai.StreamRelay;
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
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

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
  private final CredentialsManager credentials;
  private final TranslationOptions translation;
  private final RemoteImages remoteImages;

  ChatCompletionsRoute(
      EdgeConfig config,
      BedrockConfig bedrockConfig,
      TranslationConfig translationConfig,
      BedrockClients bedrock,
      Edge edge,
      ModelCatalog catalog,
      CredentialsManager credentials,
      RemoteImages remoteImages) {
    this.config = config;
    this.bedrockConfig = bedrockConfig;
    this.credentials = credentials;
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
    converse =
        converse.toBuilder()
            .overrideConfiguration(o -> o.apiCallTimeout(bedrockConfig.requestTimeout()))
            .build();
    callConverse(new Call(context, response, exchange, request, converse, id, created), false);
  }

  /** One non-streaming call's fixed parts, kept for the one retry after a credentials refresh. */
  private record Call(
      Context context,
      HttpServerResponse response,
      Exchange exchange,
      ChatRequest request,
      ConverseRequest converse,
      String id,
      long created) {}

  private void callConverse(Call c, boolean retried) {
    HttpServerResponse response = c.response();
    Exchange exchange = c.exchange();
    CompletableFuture<ConverseResponse> call = bedrock.current().converse(c.converse());
    response.closeHandler(
        v -> {
          if (!response.ended()) {
            exchange.status = 499;
            exchange.errorCode = "client_closed";
          }
          call.cancel(true);
        });
    call.whenComplete(
        (answer, failure) ->
            c.context()
                .runOnContext(
                    v -> {
                      if (response.closed() || response.ended()) {
                        return;
                      }
                      if (failure != null) {
                        GatewayException e = BedrockErrorMapper.map(failure, exchange.requestId);
                        if (!retried && BedrockErrorMapper.CREDENTIALS_REFUSED.equals(e.code())) {
                          // Bedrock refused credentials the gateway believed valid (revoked,
                          // expired early,
                          // rotated): refresh them now and try once more; nothing has reached the
                          // client yet.
                          LOG.warnf(
                              "request %s: Bedrock refused the gateway's credentials (%s); refreshing them and retrying once",
                              exchange.requestId, e.getMessage());
                          credentials
                              .refreshNow()
                              .whenComplete(
                                  (ok, refreshFailure) ->
                                      c.context()
                                          .runOnContext(
                                              w -> {
                                                if (refreshFailure != null) {
                                                  LOG.warnf(
                                                      "request %s: credentials refresh failed: %s",
                                                      exchange.requestId,
                                                      refreshFailure.toString());
                                                }
                                                callConverse(c, true);
                                              }));
                          return;
                        }
                        if (e.status() >= 500) {
                          LOG.warnf(
                              "request %s failed: %s", exchange.requestId, failure.toString());
                        }
                        exchange.bedrockRequestId =
                            e.headers().get(BedrockErrorMapper.REQUEST_ID_HEADER);
                        fail(response, exchange, e);
                        return;
                      }
                      byte[] body =
                          ConverseToOpenAi.completion(answer, c.request(), c.id(), c.created());
                      exchange.usage = answer.usage();
                      exchange.status = 200;
                      exchange.bedrockRequestId = answer.responseMetadata().requestId();
                      if (exchange.bedrockRequestId != null) {
                        response.putHeader(
                            BedrockErrorMapper.REQUEST_ID_HEADER, exchange.bedrockRequestId);
                      }
                      response
                          .putHeader("content-type", "application/json")
                          .end(Buffer.buffer(body));
                    }));
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
