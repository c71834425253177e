package io.github.bedrockgateway.api;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;

import io.github.bedrockgateway.bedrock.BedrockClients;
import io.github.bedrockgateway.bedrock.BedrockErrorMapper;
import io.github.bedrockgateway.bedrock.ModelDiscovery;
import io.github.bedrockgateway.config.GatewayConfig;
import io.github.bedrockgateway.credentials.CredentialsManager;
import io.github.bedrockgateway.images.RemoteImages;
import io.github.bedrockgateway.observability.AccessLog;
import io.github.bedrockgateway.observability.GatewayMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.github.bedrockgateway.translate.ChatRequest;
import io.github.bedrockgateway.translate.ConverseStreamTranslator;
import io.github.bedrockgateway.translate.ConverseToOpenAi;
import io.github.bedrockgateway.translate.Json;
import io.github.bedrockgateway.translate.OpenAiToConverse;
import io.github.bedrockgateway.translate.TranslationOptions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * The OpenAI HTTP surface, on the Vert.x router directly: the event loop parses, translates and calls
 * the SDK without blocking, and streams are written chunk by chunk with back-pressure.
 */
@Singleton
public class GatewayRoutes {

    private static final Logger LOG = Logger.getLogger(GatewayRoutes.class);
    static final String REQUEST_ID_HEADER = "x-request-id";
    private static final String EXCHANGE = "gateway.exchange";
    private static final java.util.regex.Pattern CLIENT_REQUEST_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{8,64}");
    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final GatewayConfig config;
    private final BedrockClients bedrock;
    private final ApiKeys apiKeys;
    private final ModelCatalog catalog;
    private final GatewayMetrics metrics;
    private final CredentialsManager credentials;
    private final AccessLog accessLog;
    private final TranslationOptions translation;
    private final RemoteImages remoteImages;
    private final long startedAt = Instant.now().getEpochSecond();
    /** Set on SIGTERM: new requests are refused while those in flight finish. */
    private volatile boolean draining;
    /** Streams open right now, so that shutdown can end them with an error event. */
    private final Set<StreamRelay> openStreams = ConcurrentHashMap.newKeySet();

    GatewayRoutes(GatewayConfig config, BedrockClients bedrock, GatewayMetrics metrics, AccessLog accessLog,
            CredentialsManager credentials, RemoteImages remoteImages, ModelDiscovery discovery) {
        this.config = config;
        this.credentials = credentials;
        this.bedrock = bedrock;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.remoteImages = remoteImages;
        this.apiKeys = ApiKeys.parse(config.apiKeys().orElse(List.of()));
        this.catalog = ModelCatalog.parse(config.models().entries().orElse(List.of())).withDiscovered(discovery::models);
        this.translation = TranslationSettings.from(config);
        if (config.auth().enabled() && apiKeys.isEmpty()) {
            throw new IllegalStateException("No client API key is configured: set GATEWAY_API_KEYS (gateway.api-keys) to a "
                    + "comma-separated list of keys or sha256:<hex> digests, or set GATEWAY_AUTH_ENABLED=false if "
                    + "another proxy in front of the gateway authenticates clients. See docs/configuration.md.");
        }
        if (!config.auth().enabled()) {
            LOG.warn("Client authentication is OFF (gateway.auth.enabled=false): anyone who reaches this port can call Bedrock");
        }
    }

    void register(@Observes Router router) {
        router.route("/v1/*").order(-100).handler(this::authenticate);
        router.post("/v1/chat/completions")
                .handler(BodyHandler.create(false).setBodyLimit(config.http().maxBodySize()))
                .handler(this::chatCompletions);
        router.get("/v1/models").handler(this::listModels);
        router.getWithRegex("/v1/models/(?<id>.+)").handler(this::getModel);
        router.route("/v1/chat/completions").handler(ctx -> ErrorResponses.send(ctx.response(),
                new OpenAiException(405, OpenAiException.INVALID_REQUEST,
                        "Method " + ctx.request().method() + " is not allowed on /v1/chat/completions; use POST.", null, null)));
        router.route("/v1/*").handler(ctx -> ErrorResponses.send(ctx.response(),
                new OpenAiException(404, OpenAiException.NOT_FOUND, "Unknown endpoint: " + ctx.request().method() + " "
                        + ctx.request().path(), null, "unknown_url")));
        router.route("/v1/*").failureHandler(this::failure);
    }

    private void authenticate(RoutingContext ctx) {
        String clientId = ctx.request().getHeader(REQUEST_ID_HEADER);
        String requestId = clientId != null && CLIENT_REQUEST_ID.matcher(clientId).matches() ? clientId : newId(24);
        Exchange exchange = new Exchange(requestId);
        ctx.put(EXCHANGE, exchange);
        HttpServerResponse response = ctx.response();
        response.putHeader(REQUEST_ID_HEADER, requestId);
        response.putHeader("x-content-type-options", "nosniff");
        response.putHeader("cache-control", "no-store");
        ctx.addEndHandler(v -> finish(exchange, response));
        if (draining) {
            response.putHeader("connection", "close");
            fail(response, exchange, new OpenAiException(503, OpenAiException.SERVER_ERROR,
                    "The gateway is shutting down; retry the request.", null, "shutting_down", Map.of("Retry-After", "1")));
            return;
        }
        if (!config.auth().enabled()) {
            exchange.keyName = "anonymous";
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader("authorization");
        String presented = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = header.substring(7).trim();
        }
        if (presented == null || presented.isEmpty()) {
            ErrorResponses.send(ctx.response(), new OpenAiException(401, OpenAiException.AUTHENTICATION,
                    "You didn't provide an API key. Send it in the Authorization header as 'Bearer YOUR_KEY'.",
                    null, "invalid_api_key"));
            return;
        }
        Optional<ApiKeys.Key> key = apiKeys.match(presented);
        if (key.isEmpty()) {
            ErrorResponses.send(ctx.response(), new OpenAiException(401, OpenAiException.AUTHENTICATION,
                    "Incorrect API key provided.", null, "invalid_api_key"));
            return;
        }
        exchange.keyName = key.get().name();
        ctx.next();
    }

    private void chatCompletions(RoutingContext ctx) {
        Exchange exchange = ctx.get(EXCHANGE);
        JsonNode body;
        try {
            body = parseBody(ctx);
            checkLimits(body);
        } catch (OpenAiException e) {
            fail(ctx.response(), exchange, e);
            return;
        }
        // Remote image URLs are downloaded first (no I/O in translate/); a body without any passes straight through.
        remoteImages.inline(body).onComplete(inlined -> {
            if (inlined.failed()) {
                fail(ctx.response(), exchange, BedrockErrorMapper.map(inlined.cause()));
            } else if (!ctx.response().closed()) {
                chatCompletions(ctx, inlined.result());
            }
        });
    }

    private void chatCompletions(RoutingContext ctx, JsonNode requestBody) {
        HttpServerResponse response = ctx.response();
        Exchange exchange = ctx.get(EXCHANGE);
        ChatRequest request;
        try {
            request = OpenAiToConverse.translate(requestBody, catalog::resolve, translation);
        } catch (OpenAiException e) {
            fail(response, exchange, e);
            return;
        }
        exchange.model = request.clientModel();
        exchange.modelLabel = catalog.find(request.clientModel()) != null ? request.clientModel() : "unlisted";
        exchange.bedrockModelId = request.converse().modelId();
        exchange.stream = request.stream();
        if (!metrics.tryAcquire(config.limits().maxInFlight())) {
            fail(response, exchange, new OpenAiException(503, OpenAiException.SERVER_ERROR,
                    "The gateway is at its limit of concurrent Bedrock calls; retry shortly.", null, "overloaded",
                    Map.of("Retry-After", Integer.toString(config.limits().overloadRetryAfterSeconds()))));
            return;
        }
        exchange.upstreamCalled = true;
        ConverseRequest converse = withAttribution(request.converse(), exchange);
        String id = "chatcmpl-" + exchange.requestId;
        long created = Instant.now().getEpochSecond();
        Context context = Vertx.currentContext();
        if (request.stream()) {
            ConverseStreamTranslator translator = new ConverseStreamTranslator(id, created, request);
            StreamRelay relay = new StreamRelay(response, context, translator, config.bedrock().streamIdleTimeout(),
                    exchange, openStreams);
            metrics.streamOpened();
            relay.attach(bedrock.current().converseStream(request.withConverse(converse).toStreamRequest(), relay));
            return;
        }
        converse = converse.toBuilder()
                .overrideConfiguration(o -> o.apiCallTimeout(config.bedrock().requestTimeout()))
                .build();
        callConverse(new Call(context, response, exchange, request, converse, id, created), false);
    }

    /** One non-streaming call's fixed parts, kept for the one retry after a credentials refresh. */
    private record Call(Context context, HttpServerResponse response, Exchange exchange, ChatRequest request,
            ConverseRequest converse, String id, long created) {
    }

    private void callConverse(Call c, boolean retried) {
        HttpServerResponse response = c.response();
        Exchange exchange = c.exchange();
        CompletableFuture<ConverseResponse> call = bedrock.current().converse(c.converse());
        response.closeHandler(v -> {
            if (!response.ended()) {
                exchange.status = 499;
                exchange.errorCode = "client_closed";
            }
            call.cancel(true);
        });
        call.whenComplete((answer, failure) -> c.context().runOnContext(v -> {
            if (response.closed() || response.ended()) {
                return;
            }
            if (failure != null) {
                OpenAiException e = BedrockErrorMapper.map(failure);
                if (!retried && BedrockErrorMapper.CREDENTIALS_REFUSED.equals(e.code())) {
                    // Bedrock refused credentials the gateway believed valid (revoked, expired early,
                    // rotated): refresh them now and try once more; nothing has reached the client yet.
                    LOG.warnf("request %s: Bedrock refused the gateway's AWS credentials (%s); refreshing them and retrying once",
                            exchange.requestId, e.getMessage());
                    credentials.refreshNow().whenComplete((ok, refreshFailure) -> c.context().runOnContext(w -> {
                        if (refreshFailure != null) {
                            LOG.warnf("request %s: credentials refresh failed: %s", exchange.requestId, refreshFailure.toString());
                        }
                        callConverse(c, true);
                    }));
                    return;
                }
                if (e.status() >= 500) {
                    LOG.warnf("request %s failed: %s", exchange.requestId, failure.toString());
                }
                exchange.bedrockRequestId = e.headers().get(BedrockErrorMapper.REQUEST_ID_HEADER);
                fail(response, exchange, e);
                return;
            }
            byte[] body = ConverseToOpenAi.completion(answer, c.request(), c.id(), c.created());
            exchange.usage = answer.usage();
            exchange.status = 200;
            exchange.bedrockRequestId = answer.responseMetadata().requestId();
            if (exchange.bedrockRequestId != null) {
                response.putHeader(BedrockErrorMapper.REQUEST_ID_HEADER, exchange.bedrockRequestId);
            }
            response.putHeader("content-type", "application/json").end(Buffer.buffer(body));
        }));
    }

    /** Client key name and request id travel to Bedrock so invocation logs attribute the usage. */
    private ConverseRequest withAttribution(ConverseRequest converse, Exchange exchange) {
        if (!config.observability().requestMetadata()) {
            return converse;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        if (converse.hasRequestMetadata()) {
            metadata.putAll(converse.requestMetadata());
        }
        metadata.put("gateway-key", exchange.keyName);
        metadata.put("gateway-request-id", exchange.requestId);
        return converse.toBuilder().requestMetadata(metadata).build();
    }

    private void checkLimits(JsonNode body) {
        JsonNode messages = body.path("messages");
        if (messages.isArray() && messages.size() > config.limits().maxMessages()) {
            throw OpenAiException.invalid("messages", "Too many messages: at most " + config.limits().maxMessages()
                    + " are accepted.");
        }
        JsonNode tools = body.path("tools");
        if (tools.isArray() && tools.size() > config.limits().maxTools()) {
            throw OpenAiException.invalid("tools", "Too many tools: at most " + config.limits().maxTools() + " are accepted.");
        }
    }

    private static void fail(HttpServerResponse response, Exchange exchange, OpenAiException e) {
        exchange.fail(e);
        ErrorResponses.send(response, e);
    }

    /** Runs once per request when its response has ended or its connection has closed. */
    private void finish(Exchange exchange, HttpServerResponse response) {
        if (exchange.status == 0) {
            exchange.status = response.ended() ? response.getStatusCode() : 499;
        }
        if (exchange.upstreamCalled) {
            metrics.release();
            if (exchange.stream) {
                metrics.streamClosed();
            }
        }
        if (exchange.model != null || exchange.status != 200) {
            metrics.record(exchange);
        }
        accessLog.write(exchange);
    }

    /** Stops accepting requests: from now on every new request gets 503 {@code shutting_down}. */
    public void startDraining() {
        draining = true;
    }

    /** Bedrock calls still in flight (streams included). */
    public int inFlight() {
        return metrics.inFlight();
    }

    /**
     * Ends the streams still open, each with a {@code shutting_down} error event, and waits (bounded) for
     * those events to be written.
     */
    public void endOpenStreams(java.time.Duration wait) {
        if (openStreams.isEmpty()) {
            return;
        }
        LOG.infof("Shutting down: ending %d open stream(s) with an error event", openStreams.size());
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(openStreams.size());
        for (StreamRelay relay : openStreams) {
            relay.abort(new OpenAiException(503, OpenAiException.SERVER_ERROR,
                    "The gateway is shutting down; retry the request.", null, "shutting_down"), ended::countDown);
        }
        try {
            ended.await(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Last resort when the process stops without SIGTERM handling (dev mode, tests). */
    void onShutdown(@Observes ShutdownEvent event) {
        draining = true;
        endOpenStreams(java.time.Duration.ofSeconds(1));
    }

    private JsonNode parseBody(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String contentType = request.getHeader("content-type");
        if (contentType != null && !isJson(contentType)) {
            throw new OpenAiException(415, OpenAiException.INVALID_REQUEST, "Unsupported Content-Type '"
                    + contentType + "': send the request body as application/json.", null, "unsupported_media_type");
        }
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw OpenAiException.invalid(null, "The request body is empty: send a JSON object with 'model' and 'messages'.");
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body.getBytes());
            if (node == null || node.isMissingNode()) {
                throw OpenAiException.invalid(null, "The request body is empty: send a JSON object with 'model' and 'messages'.");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw OpenAiException.invalid(null, "The request body nests JSON deeper than " + Json.MAX_NESTING_DEPTH
                    + " levels.");
        } catch (JsonProcessingException e) {
            throw OpenAiException.invalid(null, "We could not parse the JSON body of your request: "
                    + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ").");
        } catch (IOException e) {
            throw OpenAiException.invalid(null, "We could not read the JSON body of your request.");
        }
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    private void listModels(RoutingContext ctx) {
        writeJson(ctx.response(), g -> {
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
            ErrorResponses.send(ctx.response(), new OpenAiException(404, OpenAiException.NOT_FOUND,
                    "The model '" + id + "' is not listed by this gateway.", "model", "model_not_found"));
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
        try (ByteArrayBuilder out = new ByteArrayBuilder(512); JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            writer.write(g);
            g.flush();
            response.putHeader("content-type", "application/json").end(Buffer.buffer(out.toByteArray()));
        } catch (IOException e) {
            ErrorResponses.send(response, BedrockErrorMapper.map(e));
        }
    }

    private void failure(RoutingContext ctx) {
        Throwable t = ctx.failure();
        OpenAiException e;
        if (t instanceof OpenAiException oe) {
            e = oe;
        } else if (ctx.statusCode() == 413) {
            e = new OpenAiException(413, OpenAiException.INVALID_REQUEST, "The request body is larger than "
                    + config.http().maxBodySize() + " bytes.", null, "request_too_large");
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            e = new OpenAiException(ctx.statusCode(), OpenAiException.INVALID_REQUEST, "The request could not be read.",
                    null, null);
        } else {
            Exchange exchange = ctx.get(EXCHANGE);
            LOG.errorf(t, "request %s failed unexpectedly", exchange == null ? "-" : exchange.requestId);
            e = new OpenAiException(500, OpenAiException.SERVER_ERROR, "The gateway failed to process the request.",
                    null, null);
        }
        Exchange exchange = ctx.get(EXCHANGE);
        if (exchange != null) {
            exchange.fail(e);
        }
        ErrorResponses.send(ctx.response(), e);
    }

    /** A random id of URL-safe letters and digits (not a secret; only needs to be unique). */
    static String newId(int length) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = ID_CHARS[r.nextInt(ID_CHARS.length)];
        }
        return new String(c);
    }
}
