package io.github.bedrockgateway.api;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;

import io.github.bedrockgateway.bedrock.BedrockErrorMapper;
import io.github.bedrockgateway.bedrock.ModelDiscovery;
import io.github.bedrockgateway.config.GatewayConfig;
import io.github.bedrockgateway.images.RemoteImages;
import io.github.bedrockgateway.translate.ChatRequest;
import io.github.bedrockgateway.translate.ConverseStreamTranslator;
import io.github.bedrockgateway.translate.ConverseToOpenAi;
import io.github.bedrockgateway.translate.Json;
import io.github.bedrockgateway.translate.OpenAiToConverse;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
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
    private static final String KEY_NAME = "gateway.key-name";
    private static final String REQUEST_ID = "gateway.request-id";
    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final GatewayConfig config;
    private final BedrockRuntimeAsyncClient bedrock;
    private final ApiKeys apiKeys;
    private final ModelCatalog catalog;
    private final RemoteImages remoteImages;
    private final long startedAt = Instant.now().getEpochSecond();

    GatewayRoutes(GatewayConfig config, BedrockRuntimeAsyncClient bedrock, RemoteImages remoteImages,
            ModelDiscovery discovery) {
        this.config = config;
        this.bedrock = bedrock;
        this.remoteImages = remoteImages;
        this.apiKeys = ApiKeys.parse(config.apiKeys().orElse(List.of()));
        this.catalog = ModelCatalog.parse(config.models().entries().orElse(List.of())).withDiscovered(discovery::models);
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
        String requestId = newId(24);
        ctx.put(REQUEST_ID, requestId);
        ctx.response().putHeader(REQUEST_ID_HEADER, requestId);
        if (!config.auth().enabled()) {
            ctx.put(KEY_NAME, "anonymous");
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
        ctx.put(KEY_NAME, key.get().name());
        ctx.next();
    }

    private void chatCompletions(RoutingContext ctx) {
        JsonNode body;
        try {
            body = parseBody(ctx);
        } catch (OpenAiException e) {
            ErrorResponses.send(ctx.response(), e);
            return;
        }
        // Remote image URLs are downloaded first (no I/O in translate/); a body without any passes straight through.
        remoteImages.inline(body).onComplete(inlined -> {
            if (inlined.failed()) {
                ErrorResponses.send(ctx.response(), BedrockErrorMapper.map(inlined.cause()));
            } else if (!ctx.response().closed()) {
                chatCompletions(ctx, inlined.result());
            }
        });
    }

    private void chatCompletions(RoutingContext ctx, JsonNode requestBody) {
        HttpServerResponse response = ctx.response();
        ChatRequest request;
        try {
            request = OpenAiToConverse.translate(requestBody, catalog::resolve);
        } catch (OpenAiException e) {
            ErrorResponses.send(response, e);
            return;
        }
        String requestId = ctx.get(REQUEST_ID);
        String id = "chatcmpl-" + requestId;
        long created = Instant.now().getEpochSecond();
        Context context = Vertx.currentContext();
        if (request.stream()) {
            ConverseStreamTranslator translator = new ConverseStreamTranslator(id, created, request.clientModel(),
                    request.includeUsage());
            StreamRelay relay = new StreamRelay(response, context, translator, config.bedrock().streamIdleTimeout(),
                    requestId);
            relay.attach(bedrock.converseStream(request.toStreamRequest(), relay));
            return;
        }
        ConverseRequest converse = request.converse().toBuilder()
                .overrideConfiguration(o -> o.apiCallTimeout(config.bedrock().requestTimeout()))
                .build();
        CompletableFuture<ConverseResponse> call = bedrock.converse(converse);
        response.closeHandler(v -> call.cancel(true));
        call.whenComplete((answer, failure) -> context.runOnContext(v -> {
            if (response.closed() || response.ended()) {
                return;
            }
            if (failure != null) {
                OpenAiException e = BedrockErrorMapper.map(failure);
                if (e.status() >= 500) {
                    LOG.warnf("request %s failed: %s", requestId, failure.toString());
                }
                ErrorResponses.send(response, e);
                return;
            }
            byte[] body = ConverseToOpenAi.completion(answer, id, created, request.clientModel());
            String bedrockRequestId = answer.responseMetadata().requestId();
            if (bedrockRequestId != null) {
                response.putHeader(BedrockErrorMapper.REQUEST_ID_HEADER, bedrockRequestId);
            }
            response.putHeader("content-type", "application/json").end(Buffer.buffer(body));
        }));
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
            LOG.errorf(t, "request %s failed unexpectedly", (Object) ctx.get(REQUEST_ID));
            e = new OpenAiException(500, OpenAiException.SERVER_ERROR, "The gateway failed to process the request.",
                    null, null);
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
