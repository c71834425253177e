package io.github.bedrockgateway.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.github.bedrockgateway.bedrock.BedrockErrorMapper;
import io.github.bedrockgateway.bedrock.ModelCatalog;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;

/**
 * The OpenAI surface shared by its APIs: {@code GET /v1/models}, {@code GET /v1/models/{id}}, and
 * the answer to any other {@code /v1/*} path (404 in the OpenAI envelope, after authentication).
 */
@Singleton
public class OpenAiRoutes {

  /** After every protocol's own routes: Vert.x orders unnumbered routes by registration. */
  private static final int CATCH_ALL_ORDER = 100_000;

  private final Edge edge;
  private final ModelCatalog catalog;
  private final long startedAt = Instant.now().getEpochSecond();

  OpenAiRoutes(Edge edge, ModelCatalog catalog) {
    this.edge = edge;
    this.catalog = catalog;
  }

  void register(@Observes Router router) {
    edge.guard(router, "/v1/models*", OpenAiErrors.protocol("openai.models"));
    router.get("/v1/models").handler(this::listModels);
    router.getWithRegex("/v1/models/(?<id>.+)").handler(this::getModel);
    edge.guardFallback(router, "/v1/*", OpenAiErrors.protocol("openai"));
    router
        .route("/v1/*")
        .order(CATCH_ALL_ORDER)
        .handler(
            ctx ->
                Edge.fail(
                    ctx,
                    new GatewayException(
                        404,
                        GatewayException.NOT_FOUND,
                        "Unknown endpoint: " + ctx.request().method() + " " + ctx.request().path(),
                        null,
                        "unknown_url")))
        .failureHandler(edge.failureHandler(OpenAiErrors::send));
  }

  private void listModels(RoutingContext ctx) {
    writeJson(
        ctx.response(),
        g -> {
          g.writeStartObject();
          g.writeStringField("object", "list");
          g.writeArrayFieldStart("data");
          for (ModelCatalog.Entry e : catalog.list()) {
            writeModel(g, e);
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private void getModel(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ModelCatalog.Entry entry = catalog.find(id);
    if (entry == null) {
      Edge.fail(
          ctx,
          new GatewayException(
              404,
              GatewayException.NOT_FOUND,
              "The model '" + id + "' is not listed by this gateway.",
              "model",
              "model_not_found"));
      return;
    }
    writeJson(ctx.response(), g -> writeModel(g, entry));
  }

  private void writeModel(JsonGenerator g, ModelCatalog.Entry e) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", e.id());
    g.writeStringField("object", "model");
    g.writeNumberField("created", startedAt);
    g.writeStringField("owned_by", e.ownedBy());
    g.writeEndObject();
  }

  private interface JsonWriter {
    void write(JsonGenerator g) throws IOException;
  }

  private static void writeJson(HttpServerResponse response, JsonWriter writer) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(512);
        JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      writer.write(g);
      g.flush();
      response.putHeader("content-type", "application/json").end(Buffer.buffer(out.toByteArray()));
    } catch (IOException e) {
      OpenAiErrors.send(response, BedrockErrorMapper.map(e));
    }
  }
}
