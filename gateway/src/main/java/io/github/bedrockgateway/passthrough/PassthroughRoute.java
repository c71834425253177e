package io.github.bedrockgateway.passthrough;

import io.github.bedrockgateway.bedrock.BedrockConfig;
import io.github.bedrockgateway.bedrock.BedrockHttp;
import io.github.bedrockgateway.bedrock.BetaSettings;
import io.github.bedrockgateway.bedrock.ClaudeBetas;
import io.github.bedrockgateway.bedrock.ModelCatalog;
import io.github.bedrockgateway.config.GuardrailStreamMode;
import io.github.bedrockgateway.config.TranslationConfig;
import io.github.bedrockgateway.converse.TranslationOptions;
import io.github.bedrockgateway.credentials.CredentialsManager;
import io.github.bedrockgateway.credentials.RegionResolver;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.edge.EdgeConfig;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.observability.Exchange;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

/**
 * The Bedrock Runtime pass-through under {@code /bedrock}: what an AWS SDK, the AWS CLI or Claude
 * Code in Bedrock mode sends to {@code bedrock-runtime} (with {@code
 * AWS_ENDPOINT_URL_BEDROCK_RUNTIME} or {@code ANTHROPIC_BEDROCK_BASE_URL} pointing here and a
 * gateway key as {@code AWS_BEARER_TOKEN_BEDROCK}):
 *
 * <ul>
 *   <li>{@code POST /bedrock/model/{modelId}/converse}, {@code /converse-stream}, {@code /invoke},
 *       {@code /invoke-with-response-stream}, {@code /count-tokens}: authenticated with the gateway
 *       key, prepared by {@link UpstreamRequests} (model id through the catalog, attribution, beta
 *       allow-list, guardrail), re-signed with the gateway's AWS credentials and forwarded ({@link
 *       ForwardedCall});
 *   <li>{@code GET /bedrock/inference-profiles} (and {@code /{id}}), {@code GET
 *       /bedrock/foundation-models}: the control-plane lists, answered from the model catalog
 *       ({@link ControlPlaneLists});
 *   <li>anything else under {@code /bedrock}: 404 {@code UnknownOperationException}.
 * </ul>
 *
 * Admission, limits, the access log, the metrics and the shutdown drain are the {@link Edge}'s, as
 * for {@code /v1/*}; errors are Bedrock's own shape ({@link BedrockErrors}).
 */
@Singleton
public class PassthroughRoute {

  private static final Logger LOG = Logger.getLogger(PassthroughRoute.class);

  /** After the specific routes: Vert.x orders unnumbered routes by registration. */
  private static final int CATCH_ALL_ORDER = 100_000;

  private static final String OPERATIONS =
      "converse|converse-stream|invoke|invoke-with-response-stream|count-tokens";

  private final EdgeConfig config;
  private final BedrockConfig bedrockConfig;
  private final PassthroughSettings settings;
  private final Edge edge;
  private final ModelIds models;
  private final BedrockHttp http;
  private final CredentialsManager credentials;
  private final ClaudeBetas betas;
  private final TranslationOptions.Guardrail guardrail;
  private final ControlPlaneLists.Place place;

  PassthroughRoute(
      EdgeConfig config,
      BedrockConfig bedrockConfig,
      TranslationConfig translation,
      PassthroughSettings settings,
      BetaSettings betas,
      Edge edge,
      ModelCatalog catalog,
      BedrockHttp http,
      CredentialsManager credentials,
      RegionResolver regions) {
    this.config = config;
    this.bedrockConfig = bedrockConfig;
    this.settings = settings;
    this.edge = edge;
    this.models = new ModelIds(catalog, regions.region().id());
    this.http = http;
    this.credentials = credentials;
    this.betas = betas.allowList();
    this.guardrail = guardrail(translation.guardrail());
    this.place = place(regions.region());
  }

  void register(@Observes Router router) {
    if (!settings.enabled()) {
      return;
    }
    edge.guard(router, "/bedrock/*", BedrockErrors.protocol());
    router
        .postWithRegex("/bedrock/model/(?<modelId>[^/]+)/(?<operation>" + OPERATIONS + ")")
        .handler(edge.body())
        .handler(this::forward)
        .failureHandler(edge.failureHandler(BedrockErrors::send));
    router
        .get("/bedrock/inference-profiles")
        .handler(this::listInferenceProfiles)
        .failureHandler(edge.failureHandler(BedrockErrors::send));
    router
        .getWithRegex("/bedrock/inference-profiles/(?<id>.+)")
        .handler(this::getInferenceProfile)
        .failureHandler(edge.failureHandler(BedrockErrors::send));
    router
        .get("/bedrock/foundation-models")
        .handler(this::listFoundationModels)
        .failureHandler(edge.failureHandler(BedrockErrors::send));
    router
        .route("/bedrock/*")
        .order(CATCH_ALL_ORDER)
        .handler(
            ctx ->
                Edge.fail(
                    ctx,
                    new GatewayException(
                        404,
                        GatewayException.NOT_FOUND,
                        "Unknown operation "
                            + ctx.request().method()
                            + " "
                            + ctx.request().path()
                            + ": the gateway serves the Bedrock Runtime's converse, converse-stream, invoke, "
                            + "invoke-with-response-stream and count-tokens under /bedrock/model/{modelId}/, and "
                            + "GET /bedrock/inference-profiles and /bedrock/foundation-models.",
                        null,
                        BedrockErrors.UNKNOWN_OPERATION)))
        .failureHandler(edge.failureHandler(BedrockErrors::send));
  }

  private void forward(RoutingContext ctx) {
    Exchange exchange = Edge.exchange(ctx);
    HttpServerRequest request = ctx.request();
    Operation operation = Operation.of(ctx.pathParam("operation"));
    String clientModel = ctx.pathParam("modelId");
    exchange.protocol = operation.protocol();
    exchange.model = clientModel;
    exchange.modelLabel = models.label(clientModel);
    exchange.stream = operation.streaming;
    String encoding = request.getHeader("content-encoding");
    if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
      Edge.fail(
          ctx,
          GatewayException.invalid(
              null,
              "Content-Encoding '"
                  + encoding
                  + "' is not supported: send the request body uncompressed."));
      return;
    }
    if (clientModel.isBlank() || clientModel.equals(".") || clientModel.equals("..")) {
      Edge.fail(
          ctx,
          GatewayException.invalid("modelId", "'" + clientModel + "' is not a model identifier."));
      return;
    }
    String bedrockModel = models.resolve(clientModel);
    exchange.bedrockModelId = bedrockModel;
    Buffer received = ctx.body().buffer();
    byte[] body = received == null ? new byte[0] : received.getBytes();
    UpstreamRequests.Outbound outbound;
    try {
      outbound =
          UpstreamRequests.build(
              new UpstreamRequests.Inbound(
                  operation, bedrockModel, body, headers(request), clientModel),
              new UpstreamRequests.Policy(
                  edge.attribution(exchange, Map.of()),
                  betas,
                  guardrail,
                  config.limits().maxMessages(),
                  config.limits().maxTools()));
    } catch (GatewayException e) {
      Edge.fail(ctx, e);
      return;
    }
    if (!outbound.droppedBetas().isEmpty()) {
      LOG.debugf(
          "request %s: anthropic_beta %s dropped for %s (not accepted by Bedrock for this model; "
              + "gateway.anthropic-betas)",
          exchange.requestId, outbound.droppedBetas(), bedrockModel);
    }
    Optional<GatewayException> refused = edge.admit(exchange);
    if (refused.isPresent()) {
      Edge.fail(ctx, refused.get());
      return;
    }
    new ForwardedCall(
            Vertx.currentContext(),
            ctx.response(),
            exchange,
            operation,
            outbound,
            http,
            credentials,
            edge,
            bedrockConfig.requestTimeout(),
            bedrockConfig.streamIdleTimeout())
        .start();
  }

  private void listInferenceProfiles(RoutingContext ctx) {
    Edge.exchange(ctx).protocol = "bedrock.list-inference-profiles";
    answer(
        ctx,
        () ->
            ControlPlaneLists.listInferenceProfiles(
                profiles(),
                ctx.queryParams().get("type"),
                ctx.queryParams().get("maxResults"),
                ctx.queryParams().get("nextToken")));
  }

  private void getInferenceProfile(RoutingContext ctx) {
    Edge.exchange(ctx).protocol = "bedrock.get-inference-profile";
    String id = ctx.pathParam("id");
    answer(
        ctx,
        () -> {
          byte[] profile = ControlPlaneLists.getInferenceProfile(profiles(), id);
          if (profile == null) {
            throw new GatewayException(
                404,
                GatewayException.NOT_FOUND,
                "The inference profile '" + id + "' is not served by this gateway.",
                null,
                null);
          }
          return profile;
        });
  }

  private void listFoundationModels(RoutingContext ctx) {
    Edge.exchange(ctx).protocol = "bedrock.list-foundation-models";
    answer(
        ctx,
        () ->
            ControlPlaneLists.listFoundationModels(
                ControlPlaneLists.foundationModels(models.entries(), place),
                    ctx.queryParams().get("byProvider"),
                ctx.queryParams().get("byOutputModality"),
                    ctx.queryParams().get("byInferenceType")));
  }

  private List<ControlPlaneLists.Profile> profiles() {
    return ControlPlaneLists.profiles(models.entries(), place);
  }

  private interface Answer {
    byte[] body();
  }

  private static void answer(RoutingContext ctx, Answer answer) {
    byte[] body;
    try {
      body = answer.body();
    } catch (GatewayException e) {
      Edge.fail(ctx, e);
      return;
    }
    Edge.exchange(ctx).status = 200;
    ctx.response().putHeader("content-type", "application/json").end(Buffer.buffer(body));
  }

  /**
   * The client's headers, lower-case names, first value each; only Bedrock's own are ever
   * forwarded.
   */
  private static Map<String, String> headers(HttpServerRequest request) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      out.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
    }
    return out;
  }

  private static TranslationOptions.Guardrail guardrail(TranslationConfig.Guardrail g) {
    String id = g.id().filter(s -> !s.isBlank()).orElse(null);
    if (id == null) {
      return TranslationOptions.Guardrail.NONE;
    }
    return new TranslationOptions.Guardrail(
        id,
        g.version(),
        g.trace().wire(),
        g.streamProcessingMode().map(GuardrailStreamMode::wire).orElse(null),
        g.allowRequestOverride());
  }

  private static ControlPlaneLists.Place place(Region region) {
    RegionMetadata metadata = region.metadata();
    String partition =
        metadata == null || metadata.partition() == null ? "aws" : metadata.partition().id();
    return new ControlPlaneLists.Place(partition, region.id());
  }
}
