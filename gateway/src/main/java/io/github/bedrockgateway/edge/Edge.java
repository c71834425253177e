package io.github.bedrockgateway.edge;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.config.Bounds;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.observability.AccessLog;
import io.github.bedrockgateway.observability.Exchange;
import io.github.bedrockgateway.observability.GatewayMetrics;
import io.github.bedrockgateway.observability.ObservabilityConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The HTTP edge every client-facing protocol shares: request ids, client authentication, admission
 * (the in-flight limit), the per-request {@link Exchange} that the access log and the metrics read,
 * body parsing, attribution metadata, and draining at shutdown. Protocols mount their routes behind
 * {@link #guard} and render errors in their own envelope through an {@link ErrorRenderer}.
 */
@Singleton
public class Edge {

  private static final Logger LOG = Logger.getLogger(Edge.class);
  private static final String EXCHANGE = "gateway.exchange";
  private static final String PROTOCOL = "gateway.protocol";
  private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{8,64}");
  private static final char[] ID_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  /**
   * One client-facing protocol as the edge sees it.
   *
   * @param name label in the access log and the metrics ({@code openai.chat}, {@code anthropic}...)
   * @param requestIdHeader the response header that carries the request id in this protocol
   * @param keys where its clients present their gateway key
   * @param errors how it renders errors
   */
  public record Protocol(
      String name, String requestIdHeader, KeySource keys, ErrorRenderer errors) {}

  private final EdgeConfig config;
  private final boolean requestMetadata;
  private final ApiKeys apiKeys;
  private final GatewayMetrics metrics;
  private final AccessLog accessLog;

  /** Set on SIGTERM: new requests are refused while those in flight finish. */
  private volatile boolean draining;

  /** Streams open right now, so that shutdown can end them with an error event. */
  private final Set<OpenStream> openStreams = ConcurrentHashMap.newKeySet();

  Edge(
      EdgeConfig config,
      ObservabilityConfig observability,
      GatewayMetrics metrics,
      AccessLog accessLog) {
    this.config = config;
    this.requestMetadata = observability.requestMetadata();
    this.metrics = metrics;
    this.accessLog = accessLog;
    this.apiKeys = ApiKeys.parse(config.apiKeys().orElse(List.of()));
    if (config.auth().enabled() && apiKeys.isEmpty()) {
      // A ConfigurationException (no cause) is printed by Quarkus as this one message, without a
      // stack trace
      throw new ConfigurationException(
          "No client API key is configured: set GATEWAY_API_KEYS (gateway.api-keys) to a "
              + "comma-separated list of keys or sha256:<hex> digests, or set GATEWAY_AUTH_ENABLED=false if "
              + "another proxy in front of the gateway authenticates clients. See docs/configuration.md.",
          Set.of("gateway.api-keys", "gateway.auth.enabled"));
    }
    Bounds.atLeast("gateway.limits.max-messages", config.limits().maxMessages(), 1);
    Bounds.atLeast("gateway.limits.max-in-flight", config.limits().maxInFlight(), 1);
    Bounds.atLeast("gateway.limits.max-tools", config.limits().maxTools(), 0);
    Bounds.atLeast(
        "gateway.limits.overload-retry-after-seconds",
        config.limits().overloadRetryAfterSeconds(),
        0);
    checkBodyLimits(
        config.http().maxBodySize(),
        ConfigProvider.getConfig()
            .getOptionalValue("quarkus.http.limits.max-body-size", String.class)
            .map(size -> new MemorySizeConverter().convert(size).asLongValue()));
    if (!config.auth().enabled()) {
      LOG.warn(
          "Client authentication is OFF (gateway.auth.enabled=false): anyone who reaches this port can call Bedrock");
    }
  }

  /**
   * Quarkus answers bodies over {@code quarkus.http.limits.max-body-size} itself, with an empty 413
   * and after the guards; the gateway's own limit must be the one a client meets, so Quarkus's may
   * not be lower (application.properties sets it to the gateway's).
   */
  static void checkBodyLimits(long gatewayLimit, Optional<Long> quarkusLimit) {
    if (gatewayLimit < 1) {
      throw new ConfigurationException(
          "gateway.http.max-body-size (GATEWAY_HTTP_MAX_BODY_SIZE) is "
              + gatewayLimit
              + ": set it to the largest request body to accept, in bytes (default 26214400).",
          Set.of("gateway.http.max-body-size"));
    }
    if (quarkusLimit.isPresent() && quarkusLimit.get() < gatewayLimit) {
      throw new ConfigurationException(
          "quarkus.http.limits.max-body-size ("
              + quarkusLimit.get()
              + " bytes) is below gateway.http.max-body-size ("
              + gatewayLimit
              + " bytes), so bodies in between would get an empty 413: set only gateway.http.max-body-size "
              + "(GATEWAY_HTTP_MAX_BODY_SIZE); the gateway sets Quarkus's limit from it.",
          Set.of("quarkus.http.limits.max-body-size", "gateway.http.max-body-size"));
    }
  }

  /** Guards run before every other route: Vert.x wants a body handler before any user handler. */
  private static final int GUARD_ORDER = -100;

  /** A prefix guard (e.g. the OpenAI {@code /v1/*} fallback) runs after the specific ones. */
  private static final int FALLBACK_GUARD_ORDER = -50;

  /**
   * Puts the protocol's entry in front of every request to {@code path} (a Vert.x path, {@code *}
   * for a prefix): request id, {@link Exchange}, draining, client authentication. The protocol's
   * own routes follow with {@code edge.body()} and their handler.
   */
  public void guard(Router router, String path, Protocol protocol) {
    router.route(path).order(GUARD_ORDER).handler(ctx -> enter(ctx, protocol));
  }

  /** {@link #guard} for a prefix shared with other protocols; the specific guards win. */
  public void guardFallback(Router router, String path, Protocol protocol) {
    router.route(path).order(FALLBACK_GUARD_ORDER).handler(ctx -> enter(ctx, protocol));
  }

  /** The body handler of JSON routes, with the configured size limit. */
  public BodyHandler body() {
    return BodyHandler.create(false).setBodyLimit(config.http().maxBodySize());
  }

  /** Turns failures the routes did not handle (body too large, unexpected bugs) into errors. */
  public Handler<RoutingContext> failureHandler(ErrorRenderer errors) {
    return ctx -> failure(ctx, errors);
  }

  /** The request's exchange, opened by the route's guard. */
  public static Exchange exchange(RoutingContext ctx) {
    return ctx.get(EXCHANGE);
  }

  private void enter(RoutingContext ctx, Protocol protocol) {
    if (ctx.get(EXCHANGE) != null) {
      ctx.next();
      return;
    }
    String clientId = ctx.request().getHeader("x-request-id");
    String requestId =
        clientId != null && CLIENT_REQUEST_ID.matcher(clientId).matches() ? clientId : newId(24);
    Exchange exchange = new Exchange(requestId);
    exchange.protocol = protocol.name();
    ctx.put(EXCHANGE, exchange);
    ctx.put(PROTOCOL, protocol);
    HttpServerResponse response = ctx.response();
    response.putHeader(protocol.requestIdHeader(), requestId);
    response.putHeader("x-content-type-options", "nosniff");
    response.putHeader("cache-control", "no-store");
    ctx.addEndHandler(v -> finish(exchange, response));
    if (draining) {
      response.putHeader("connection", "close");
      fail(
          ctx,
          new GatewayException(
              503,
              GatewayException.SERVER_ERROR,
              "The gateway is shutting down; retry the request.",
              null,
              "shutting_down",
              Map.of("Retry-After", "1")));
      return;
    }
    if (!config.auth().enabled()) {
      exchange.keyName = "anonymous";
      admitBody(ctx);
      return;
    }
    String presented = presentedKey(ctx.request(), protocol.keys());
    if (presented == null || presented.isEmpty()) {
      String how =
          protocol.keys() == KeySource.BEARER
              ? "Send it in the Authorization header as 'Bearer YOUR_KEY'."
              : "Send it in the x-api-key header, or in the Authorization header as 'Bearer YOUR_KEY'.";
      fail(
          ctx,
          new GatewayException(
              401,
              GatewayException.AUTHENTICATION,
              "You didn't provide an API key. " + how,
              null,
              "invalid_api_key"));
      return;
    }
    Optional<ApiKeys.Key> key = apiKeys.match(presented);
    if (key.isEmpty()) {
      fail(
          ctx,
          new GatewayException(
              401,
              GatewayException.AUTHENTICATION,
              "Incorrect API key provided.",
              null,
              "invalid_api_key"));
      return;
    }
    exchange.keyName = key.get().name();
    admitBody(ctx);
  }

  /**
   * A body announced larger than the limit is refused here, before a byte of it is read: 413 in the
   * protocol's envelope, and the connection closes (see {@link #fail}). Chunked bodies, which
   * announce no length, meet the same limit in {@link #body()} as they arrive, before any parsing.
   */
  private void admitBody(RoutingContext ctx) {
    String length = ctx.request().getHeader("content-length");
    if (length != null) {
      long announced;
      try {
        announced = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        announced = -1; // Netty refuses a malformed Content-Length before any route runs
      }
      if (announced > config.http().maxBodySize()) {
        fail(ctx, tooLarge());
        return;
      }
    }
    ctx.next();
  }

  /**
   * A request without a body (a GET) is not "ended" yet while its route runs, but has nothing
   * unread.
   */
  private static boolean announcesBody(HttpServerRequest request) {
    if (request.headers().contains("transfer-encoding")) {
      return true;
    }
    String length = request.getHeader("content-length");
    return length != null && !length.trim().equals("0");
  }

  private GatewayException tooLarge() {
    return new GatewayException(
        413,
        GatewayException.INVALID_REQUEST,
        "The request body is larger than "
            + config.http().maxBodySize()
            + " bytes, this gateway's limit.",
        null,
        "request_too_large");
  }

  /**
   * An answer given before the request body has been read (refused key, body too large, shutting
   * down) ends the HTTP/1.1 connection once written, as Quarkus does for its own limit: the rest of
   * the body is never read, and the client's next request cannot be mistaken for body bytes.
   */
  private static void closeIfBodyUnread(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    if (request.isEnded()
        || response.headWritten()
        || request.version() == HttpVersion.HTTP_2
        || !announcesBody(request)) {
      return;
    }
    response.putHeader("connection", "close");
    ctx.addEndHandler(v -> request.connection().close());
  }

  private static String presentedKey(HttpServerRequest request, KeySource source) {
    if (source == KeySource.X_API_KEY_OR_BEARER) {
      String apiKey = request.getHeader("x-api-key");
      if (apiKey != null && !apiKey.isBlank()) {
        return apiKey.trim();
      }
    }
    String header = request.getHeader("authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    return null;
  }

  /**
   * Takes one slot of the in-flight limit for a Bedrock call, or answers why not. The slot is given
   * back when the response ends.
   */
  public Optional<GatewayException> admit(Exchange exchange) {
    if (!metrics.tryAcquire(config.limits().maxInFlight())) {
      return Optional.of(
          new GatewayException(
              503,
              GatewayException.SERVER_ERROR,
              "The gateway is at its limit of concurrent Bedrock calls; retry shortly.",
              null,
              "overloaded",
              Map.of(
                  "Retry-After", Integer.toString(config.limits().overloadRetryAfterSeconds()))));
    }
    exchange.upstreamCalled = true;
    return Optional.empty();
  }

  /** Counts a response stream as open (metrics) and lets shutdown end it with an error event. */
  public void streamOpened(OpenStream stream) {
    metrics.streamOpened();
    openStreams.add(stream);
  }

  /** The stream has ended, by itself or by {@link OpenStream#abort}. */
  public void streamEnded(OpenStream stream) {
    openStreams.remove(stream);
  }

  /**
   * The attribution every Bedrock call carries (client key name and request id), so Bedrock's
   * invocation logs attribute the usage; empty when {@code gateway.observability.request-metadata}
   * is off. {@code existing} entries (the client's own metadata) come first.
   */
  public Map<String, String> attribution(Exchange exchange, Map<String, String> existing) {
    if (!requestMetadata) {
      return existing;
    }
    Map<String, String> metadata = new LinkedHashMap<>(existing);
    metadata.put("gateway-key", exchange.keyName);
    metadata.put("gateway-request-id", exchange.requestId);
    return metadata;
  }

  /** Records the error on the exchange and answers it in the route's protocol envelope. */
  public static void fail(RoutingContext ctx, GatewayException e) {
    Exchange exchange = exchange(ctx);
    if (exchange != null) {
      exchange.fail(e);
    }
    Protocol protocol = ctx.get(PROTOCOL);
    closeIfBodyUnread(ctx);
    protocol.errors().send(ctx.response(), e);
  }

  /**
   * The request body as one JSON value, or an {@code invalid_request_error} saying why it is not.
   *
   * @param what a hint for an empty body, e.g. "a JSON object with 'model' and 'messages'"
   */
  public JsonNode parseJson(RoutingContext ctx, String what) {
    HttpServerRequest request = ctx.request();
    String contentType = request.getHeader("content-type");
    if (contentType != null && !isJson(contentType)) {
      throw new GatewayException(
          415,
          GatewayException.INVALID_REQUEST,
          "Unsupported Content-Type '"
              + contentType
              + "': send the request body as application/json.",
          null,
          "unsupported_media_type");
    }
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw GatewayException.invalid(null, "The request body is empty: send " + what + ".");
    }
    try {
      JsonNode node = Json.readDocument(body.getBytes());
      if (node == null || node.isMissingNode()) {
        throw GatewayException.invalid(null, "The request body is empty: send " + what + ".");
      }
      return node;
    } catch (StreamConstraintsException e) {
      // Jackson's message names its own configuration methods: the client gets the limit in words
      throw GatewayException.invalid(
          null,
          e.getOriginalMessage() != null && e.getOriginalMessage().contains("nesting depth")
              ? "The request body nests JSON deeper than " + Json.MAX_NESTING_DEPTH + " levels."
              : "The request body holds a JSON value larger than this gateway accepts.");
    } catch (Json.MalformedDocumentException e) {
      throw GatewayException.invalid(
          null,
          "We could not parse the JSON body of your request: "
              + e.getOriginalMessage()
              + where(e)
              + ".");
    } catch (JsonProcessingException e) {
      throw GatewayException.invalid(
          null,
          "We could not parse the JSON body of your request: " + parserMessage(e) + where(e) + ".");
    } catch (IOException e) {
      throw GatewayException.invalid(null, "We could not read the JSON body of your request.");
    }
  }

  private static String where(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    if (at == null || at.getLineNr() < 1) {
      return "";
    }
    return " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  /**
   * Jackson's description of a syntax error, which says what it found and what it expected; never
   * its source description or a type name (those would show the gateway's internals).
   */
  static String parserMessage(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      return "the body is not valid JSON";
    }
    // "... expected close marker for Object (start marker at [Source: REDACTED ...; line: 1,
    // column: 1])"
    for (String internals : new String[] {" (start marker at", "[Source:", "\n"}) {
      int at = m.indexOf(internals);
      if (at >= 0) {
        m = m.substring(0, at);
      }
    }
    if (m.isBlank() || m.contains("`") || m.contains("com.fasterxml") || m.contains("java.")) {
      return "the body is not valid JSON";
    }
    return m.strip();
  }

  private static boolean isJson(String contentType) {
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }

  private void failure(RoutingContext ctx, ErrorRenderer errors) {
    Throwable t = ctx.failure();
    if (ctx.response().ended() || ctx.response().closed()) {
      // nobody to answer: the connection closed (the client left, or the edge closed it after
      // answering
      // a body it would not read), and the body handler reports that as a failure of its own
      LOG.debugf("request %s: failure after the response: %s", requestId(ctx), String.valueOf(t));
      return;
    }
    GatewayException e;
    if (t instanceof GatewayException ge) {
      e = ge;
    } else if (ctx.statusCode() == 413) {
      e = tooLarge();
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      e =
          new GatewayException(
              ctx.statusCode(),
              GatewayException.INVALID_REQUEST,
              "The request could not be read.",
              null,
              null);
    } else {
      LOG.errorf(t, "request %s failed unexpectedly", requestId(ctx));
      e =
          new GatewayException(
              500,
              GatewayException.SERVER_ERROR,
              "The gateway failed to process the request. The gateway's log has the details under request id "
                  + requestId(ctx)
                  + ".",
              null,
              null);
    }
    Exchange exchange = exchange(ctx);
    if (exchange != null) {
      exchange.fail(e);
    }
    closeIfBodyUnread(ctx);
    errors.send(ctx.response(), e);
  }

  private static String requestId(RoutingContext ctx) {
    Exchange exchange = exchange(ctx);
    return exchange == null ? "-" : exchange.requestId;
  }

  /** Runs once per request when its response has ended or its connection has closed. */
  private void finish(Exchange exchange, HttpServerResponse response) {
    if (exchange.status == 0) {
      exchange.status = response.ended() ? response.getStatusCode() : 499;
    } else if (exchange.status >= 400 && response.ended() && response.getStatusCode() >= 400) {
      // an error answered as an HTTP error: the status its protocol's envelope gave it (the Bedrock
      // pass-through answers a bad key with 403, as AWS does); an error inside a stream keeps its
      // own
      exchange.status = response.getStatusCode();
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
   * Ends the streams still open, each with a {@code shutting_down} error event, and waits (bounded)
   * for those events to be written.
   */
  public void endOpenStreams(Duration wait) {
    if (openStreams.isEmpty()) {
      return;
    }
    LOG.infof("Shutting down: ending %d open stream(s) with an error event", openStreams.size());
    CountDownLatch ended = new CountDownLatch(openStreams.size());
    for (OpenStream stream : openStreams) {
      stream.abort(
          new GatewayException(
              503,
              GatewayException.SERVER_ERROR,
              "The gateway is shutting down; retry the request.",
              null,
              "shutting_down"),
          ended::countDown);
    }
    try {
      ended.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Last resort when the process stops without SIGTERM handling (dev mode, tests). */
  void onShutdown(@Observes ShutdownEvent event) {
    draining = true;
    endOpenStreams(Duration.ofSeconds(1));
  }

  /** A random id of URL-safe letters and digits (not a secret; only needs to be unique). */
  public static String newId(int length) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] c = new char[length];
    for (int i = 0; i < length; i++) {
      c[i] = ID_CHARS[r.nextInt(ID_CHARS.length)];
    }
    return new String(c);
  }
}
