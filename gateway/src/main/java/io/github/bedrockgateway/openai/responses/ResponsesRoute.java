package io.github.bedrockgateway.openai.responses;

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
import io.github.bedrockgateway.images.ImageInliner;
import io.github.bedrockgateway.images.ImagesConfig;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.observability.Exchange;
import io.github.bedrockgateway.openai.OpenAiErrors;
import io.github.bedrockgateway.openai.StreamRelay;
import io.github.bedrockgateway.sse.PlainCalls;
import io.github.bedrockgateway.sse.SseRelay;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;

/**
 * The OpenAI Responses API: {@code POST /v1/responses} (stream or not) translated to Converse or
 * ConverseStream, {@code GET} and {@code DELETE /v1/responses/{id}} from the {@link ResponseStore}.
 * Authentication, admission, draining and the access log are the {@link Edge}'s; the call follows
 * the chat route: parse and translate once, admit, call the SDK on the event loop, one error
 * mapping, one retry when Bedrock refuses credentials the gateway believed valid.
 */
@Singleton
public class ResponsesRoute {

  private static final Logger LOG = Logger.getLogger(ResponsesRoute.class);
  private static final String PATH = "/v1/responses";

  private final EdgeConfig config;
  private final BedrockConfig bedrockConfig;
  private final BedrockClients bedrock;
  private final Edge edge;
  private final ModelCatalog catalog;
  private final PlainCalls plain;
  private final ResponseStore store;
  private final TranslationOptions translation;
  private final ImageInliner images;

  ResponsesRoute(
      EdgeConfig config,
      BedrockConfig bedrockConfig,
      TranslationConfig translationConfig,
      ImagesConfig imagesConfig,
      BedrockClients bedrock,
      Edge edge,
      ModelCatalog catalog,
      PlainCalls plain,
      ResponseStore store,
      Vertx vertx) {
    this.config = config;
    this.bedrockConfig = bedrockConfig;
    this.bedrock = bedrock;
    this.edge = edge;
    this.catalog = catalog;
    this.plain = plain;
    this.store = store;
    this.translation = TranslationSettings.from(translationConfig);
    this.images =
        new ImageInliner(vertx, imagesConfig.remoteEnabled(), ImageInliner.options(imagesConfig));
  }

  @PreDestroy
  void close() {
    images.close();
  }

  void register(@Observes Router router) {
    edge.guard(router, PATH + "*", OpenAiErrors.protocol("openai.responses"));
    router
        .post(PATH)
        .handler(edge.body())
        .handler(this::create)
        .failureHandler(edge.failureHandler(OpenAiErrors::send));
    router
        .route(PATH)
        .handler(
            ctx ->
                Edge.fail(
                    ctx,
                    new GatewayException(
                        405,
                        GatewayException.INVALID_REQUEST,
                        "Method "
                            + ctx.request().method()
                            + " is not allowed on "
                            + PATH
                            + "; use POST.",
                        null,
                        null)));
    router
        .get(PATH + "/:id")
        .handler(this::retrieve)
        .failureHandler(edge.failureHandler(OpenAiErrors::send));
    router
        .delete(PATH + "/:id")
        .handler(this::delete)
        .failureHandler(edge.failureHandler(OpenAiErrors::send));
  }

  // ---------------------------------------------------------------- POST /v1/responses

  private void create(RoutingContext ctx) {
    Exchange exchange = Edge.exchange(ctx);
    ResponsesRequest request;
    try {
      JsonNode body = edge.parseJson(ctx, "a JSON object with 'model' and 'input'");
      checkLimits(body);
      JsonNode history = history(body, exchange);
      request = ResponsesToConverse.translate(body, history, catalog::resolve, translation);
    } catch (GatewayException e) {
      fail(ctx.response(), exchange, e);
      return;
    }
    if (request.remoteImages().isEmpty()) {
      create(ctx, request);
      return;
    }
    // The translation left a placeholder for each remote image (no I/O in translators): download
    // them now and put them in place; the request is not translated again.
    ResponsesRequest translated = request;
    images
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
                create(ctx, downloaded.result());
              }
            });
  }

  private void create(RoutingContext ctx, ResponsesRequest translated) {
    HttpServerResponse response = ctx.response();
    Exchange exchange = Edge.exchange(ctx);
    exchange.model = translated.clientModel();
    exchange.modelLabel =
        catalog.find(translated.clientModel()) != null ? translated.clientModel() : "unlisted";
    exchange.bedrockModelId = translated.converse().modelId();
    exchange.stream = translated.stream();
    Optional<GatewayException> refused = edge.admit(exchange);
    if (refused.isPresent()) {
      fail(response, exchange, refused.get());
      return;
    }
    ResponsesRequest request =
        translated.withConverse(withAttribution(translated.converse(), exchange));
    String id = "resp_" + Edge.newId(40);
    long createdAt = Instant.now().getEpochSecond();
    Context context = Vertx.currentContext();
    if (request.stream()) {
      ResponsesStreamTranslator translator = new ResponsesStreamTranslator(id, createdAt, request);
      StreamRelay relay =
          new StreamRelay(
              response,
              context,
              translator,
              SseRelay.Style.of(OpenAiErrors::send, translator::errorEvent),
              bedrockConfig.streamIdleTimeout(),
              exchange,
              edge);
      relay.whenCompleted(
          () -> remember(id, exchange, request, translator.finalResponse(), translator.output()));
      relay.attach(bedrock.current().converseStream(request.toStreamRequest(), relay));
      return;
    }
    ConverseRequest converse =
        request.converse().toBuilder()
            .overrideConfiguration(o -> o.apiCallTimeout(bedrockConfig.requestTimeout()))
            .build();
    plain.call(
        response,
        exchange,
        OpenAiErrors::send,
        () -> bedrock.current().converse(converse),
        answer -> {
          ConverseToResponses.Result result =
              ConverseToResponses.response(answer, request, id, createdAt);
          exchange.usage = answer.usage();
          PlainCalls.answer(
              response,
              exchange,
              answer.responseMetadata().requestId(),
              Buffer.buffer(result.json()));
          remember(id, exchange, request, result.json(), result.output());
        });
  }

  /** Stores a finished response unless the client said {@code store: false}. */
  private void remember(
      String id,
      Exchange exchange,
      ResponsesRequest request,
      byte[] json,
      java.util.List<OutputItem> output) {
    if (request.store() && store.enabled() && json != null) {
      store.put(
          id, exchange.keyName, json, ResponseJson.conversation(request.conversation(), output));
    }
  }

  /** The stored conversation {@code previous_response_id} continues, or null when there is none. */
  private JsonNode history(JsonNode body, Exchange exchange) {
    JsonNode previous = body.get("previous_response_id");
    if (previous == null || previous.isNull()) {
      return null;
    }
    if (!previous.isTextual()) {
      throw GatewayException.invalid(
          "previous_response_id", "previous_response_id must be a string.");
    }
    if (!store.enabled()) {
      throw GatewayException.unsupported(
          "previous_response_id",
          "previous_response_id cannot be used: this"
              + " gateway keeps no responses (gateway.responses.store.max-entries=0). Send the whole"
              + " conversation in 'input' instead.");
    }
    ResponseStore.Stored stored =
        store
            .get(previous.asText(), exchange.keyName)
            .orElseThrow(
                () ->
                    new GatewayException(
                        404,
                        GatewayException.NOT_FOUND,
                        "Previous response with id '" + previous.asText() + "' not found.",
                        "previous_response_id",
                        "previous_response_not_found"));
    try {
      return Json.MAPPER.readTree(stored.conversation());
    } catch (IOException e) {
      throw new IllegalStateException("a stored conversation does not parse", e);
    }
  }

  /** Client key name and request id travel to Bedrock so invocation logs attribute the usage. */
  private ConverseRequest withAttribution(ConverseRequest converse, Exchange exchange) {
    Map<String, String> existing =
        converse.hasRequestMetadata() ? converse.requestMetadata() : Map.of();
    Map<String, String> metadata = edge.attribution(exchange, existing);
    return metadata == existing ? converse : converse.toBuilder().requestMetadata(metadata).build();
  }

  private void checkLimits(JsonNode body) {
    JsonNode input = body.path("input");
    if (input.isArray() && input.size() > config.limits().maxMessages()) {
      throw GatewayException.invalid(
          "input",
          "Too many input items: at most " + config.limits().maxMessages() + " are accepted.");
    }
    JsonNode tools = body.path("tools");
    if (tools.isArray() && tools.size() > config.limits().maxTools()) {
      throw GatewayException.invalid(
          "tools", "Too many tools: at most " + config.limits().maxTools() + " are accepted.");
    }
  }

  // ---------------------------------------------------------------- GET and DELETE
  // /v1/responses/{id}

  private void retrieve(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Optional<ResponseStore.Stored> stored = store.get(id, Edge.exchange(ctx).keyName);
    if (stored.isEmpty()) {
      Edge.fail(ctx, notFound(id));
      return;
    }
    ctx.response()
        .putHeader("content-type", "application/json")
        .end(Buffer.buffer(stored.get().response()));
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!store.delete(id, Edge.exchange(ctx).keyName)) {
      Edge.fail(ctx, notFound(id));
      return;
    }
    ctx.response()
        .putHeader("content-type", "application/json")
        .end(
            Buffer.buffer(
                Json.MAPPER
                    .createObjectNode()
                    .put("id", id)
                    .put("object", "response")
                    .put("deleted", true)
                    .toString()));
  }

  private static GatewayException notFound(String id) {
    return new GatewayException(
        404,
        GatewayException.NOT_FOUND,
        "Response with id '" + id + "' not found.",
        null,
        "response_not_found");
  }

  private static void fail(HttpServerResponse response, Exchange exchange, GatewayException e) {
    exchange.fail(e);
    OpenAiErrors.send(response, e);
  }
}
