package io.github.bedrockgateway.openai.embeddings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.bedrock.BedrockClients;
import io.github.bedrockgateway.bedrock.BedrockConfig;
import io.github.bedrockgateway.bedrock.ModelCatalog;
import io.github.bedrockgateway.config.Bounds;
import io.github.bedrockgateway.credentials.CredentialsManager;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.observability.Exchange;
import io.github.bedrockgateway.openai.OpenAiErrors;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;

/**
 * {@code POST /v1/embeddings}: parses the OpenAI request once, cuts it into the InvokeModel calls
 * the embedding model takes, runs them on the event loop without blocking ({@link EmbeddingCalls})
 * and answers the OpenAI list in input order. Authentication, admission and the access log are the
 * {@link Edge}'s; one admission slot covers all the calls of a request.
 */
@Singleton
public class EmbeddingsRoute {

  private static final String PATH = "/v1/embeddings";

  private final BedrockConfig config;
  private final BedrockClients bedrock;
  private final Edge edge;
  private final ModelCatalog catalog;
  private final CredentialsManager credentials;
  private final OpenAiToInvokeModel.Rules rules;
  private final int maxConcurrentCalls;

  EmbeddingsRoute(
      BedrockConfig config,
      EmbeddingsConfig embeddings,
      BedrockClients bedrock,
      Edge edge,
      ModelCatalog catalog,
      CredentialsManager credentials) {
    Bounds.atLeast("gateway.embeddings.max-inputs", embeddings.maxInputs(), 1);
    Bounds.atLeast("gateway.embeddings.max-concurrent-calls", embeddings.maxConcurrentCalls(), 1);
    this.config = config;
    this.bedrock = bedrock;
    this.edge = edge;
    this.catalog = catalog;
    this.credentials = credentials;
    this.rules =
        new OpenAiToInvokeModel.Rules(embeddings.maxInputs(), embeddings.defaultInputType());
    this.maxConcurrentCalls = embeddings.maxConcurrentCalls();
  }

  void register(@Observes Router router) {
    edge.guard(router, PATH, OpenAiErrors.protocol("openai.embeddings"));
    router
        .post(PATH)
        .handler(edge.body())
        .handler(this::embeddings)
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
  }

  private void embeddings(RoutingContext ctx) {
    Exchange exchange = Edge.exchange(ctx);
    EmbeddingsRequest request;
    try {
      JsonNode body = edge.parseJson(ctx, "a JSON object with 'model' and 'input'");
      request = OpenAiToInvokeModel.parse(body, catalog::resolve, rules);
    } catch (GatewayException e) {
      Edge.fail(ctx, e);
      return;
    }
    exchange.model = request.clientModel();
    exchange.modelLabel =
        catalog.find(request.clientModel()) != null ? request.clientModel() : "unlisted";
    exchange.bedrockModelId = request.bedrockModelId();
    exchange.stream = false;
    Optional<GatewayException> refused = edge.admit(exchange);
    if (refused.isPresent()) {
      Edge.fail(ctx, refused.get());
      return;
    }
    List<OpenAiToInvokeModel.Batch> batches = OpenAiToInvokeModel.batches(request);
    InvokeModelRequest.Builder template =
        InvokeModelRequest.builder()
            .modelId(request.bedrockModelId())
            .contentType("application/json")
            .accept("application/json")
            .overrideConfiguration(o -> o.apiCallTimeout(config.requestTimeout()));
    Map<String, String> attribution = edge.attribution(exchange, Map.of());
    if (!attribution.isEmpty()) {
      // InvokeModel takes the attribution as the X-Amzn-Bedrock-Request-Metadata header: a JSON
      // object.
      template.requestMetadata(json(attribution));
    }
    EmbeddingCalls.Setup setup =
        new EmbeddingCalls.Setup(
            Vertx.currentContext(),
            ctx.response(),
            exchange,
            bedrock::current,
            credentials::refreshNow,
            template.build(),
            maxConcurrentCalls);
    new EmbeddingCalls(setup, request, batches).start();
  }

  private static String json(Map<String, String> metadata) {
    try {
      return Json.MAPPER.writeValueAsString(metadata);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
