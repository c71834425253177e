package io.github.bedrockgateway.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An Amazon Bedrock Runtime simulator speaking the real wire protocol, so the real AWS SDK client
 * can be driven against it: {@code POST /model/{modelId}/converse} (REST-JSON), {@code POST
 * /model/{modelId}/converse-stream} ({@code application/vnd.amazon.eventstream}), {@code POST
 * /model/{modelId}/invoke} and {@code /invoke-with-response-stream} (Claude's Messages body, and
 * the Titan and Cohere embedding models), and {@code POST /model/{modelId}/count-tokens}, answering
 * deterministically from {@code @sim} directives in the last user message (see {@code
 * docs/simulator.md}). Requests are checked as AWS does: SigV4, or a Bedrock API key as {@code
 * Authorization: Bearer} (see {@link ShortTermKeys}). The control-plane reads {@code GET
 * /foundation-models} and {@code GET /inference-profiles} are served too (see {@link
 * ControlPlane}). {@code GET /ping} answers 200 for readiness scripts; any other route gets 404
 * {@code UnknownOperationException}.
 *
 * <pre>{@code
 * try (BedrockSimulator simulator = new BedrockSimulator(SimulatorOptions.defaults())) {
 *     simulator.start();
 *     BedrockRuntimeClient client = BedrockRuntimeClient.builder()
 *             .endpointOverride(simulator.endpoint())
 *             .region(Region.US_EAST_1)
 *             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
 *                     SimulatorCredentials.DEV_ACCESS_KEY_ID, SimulatorCredentials.DEV_SECRET_ACCESS_KEY)))
 *             .build();
 *     ...
 *     RecordedRequest seen = simulator.lastRequest();
 * }
 * }</pre>
 *
 * <p>Built on a Vert.x core {@link HttpServer}: requests never block an event loop, and every pause
 * ({@code @sim latency}, {@code chunk-delay}, {@code hold}) is a Vert.x timer or callback.
 * Thread-safe: tests may inspect requests, register credentials and release holds from any thread.
 */
public final class BedrockSimulator implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(BedrockSimulator.class.getName());
  private static final Duration START_STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final SimulatorOptions options;
  private final SigV4Verifier verifier;
  private final HoldGates holds = new HoldGates();
  private final PromptCache promptCache;
  private final ControlPlane controlPlane = new ControlPlane();
  private final BearerAuth bearer;
  private final Answers answers;
  private final Deque<RecordedRequest> recorded = new ArrayDeque<>();
  private HttpServer server;
  private volatile int port = -1;

  /** A simulator on the caller's Vert.x instance, which {@link #stop()} leaves running. */
  public BedrockSimulator(Vertx vertx, SimulatorOptions options) {
    this(vertx, false, options);
  }

  /** A simulator on a Vert.x instance of its own, closed by {@link #stop()}. */
  public BedrockSimulator(SimulatorOptions options) {
    this(Vertx.vertx(), true, options);
  }

  private BedrockSimulator(Vertx vertx, boolean ownsVertx, SimulatorOptions options) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.options = options;
    this.verifier = new SigV4Verifier(options.credentials(), options.clock());
    this.promptCache = new PromptCache(options.clock());
    this.bearer = new BearerAuth(options.credentials(), options.clock());
    this.answers = new Answers(promptCache, controlPlane);
  }

  /**
   * Starts listening and waits until it does.
   *
   * @return the port, the chosen one when {@link SimulatorOptions#port()} is 0
   * @throws IllegalStateException when already started, called on an event loop (use {@link
   *     #startAsync()} there), or the port cannot be bound
   */
  public int start() {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("start() blocks; call startAsync() from an event loop");
    }
    try {
      return startAsync()
          .toCompletionStage()
          .toCompletableFuture()
          .get(START_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Bedrock simulator cannot listen on " + options.host() + ":" + options.port(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the Bedrock simulator", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Bedrock simulator did not start within " + START_STOP_TIMEOUT, e);
    }
  }

  /** Starts listening without blocking; the future completes with the port. */
  public synchronized Future<Integer> startAsync() {
    if (server != null) {
      throw new IllegalStateException("Bedrock simulator already started");
    }
    HttpServerOptions serverOptions =
        new HttpServerOptions().setHandle100ContinueAutomatically(true).setTcpNoDelay(true);
    server = vertx.createHttpServer(serverOptions).requestHandler(this::handle);
    return server
        .listen(options.port(), options.host())
        .map(
            listening -> {
              port = listening.actualPort();
              return port;
            });
  }

  /** Stops listening (dropping open connections) and, if it owns its Vert.x, closes it. */
  public void stop() {
    HttpServer running;
    synchronized (this) {
      running = server;
      server = null;
    }
    if (running != null) {
      await(running.close());
    }
    port = -1;
    if (ownsVertx) {
      await(vertx.close());
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** The port listened on, or -1 when not started. */
  public int port() {
    return port;
  }

  /** {@code http://host:port}, for the SDK's {@code endpointOverride}. */
  public URI endpoint() {
    if (port < 0) {
      throw new IllegalStateException("Bedrock simulator not started");
    }
    String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
    return URI.create("http://" + host + ":" + port);
  }

  public SimulatorOptions options() {
    return options;
  }

  /**
   * The control-plane routes ({@code ListFoundationModels}, {@code ListInferenceProfiles}): catalog
   * and scripted failures.
   */
  public ControlPlane controlPlane() {
    return controlPlane;
  }

  /** The keys accepted; register more at any time. */
  public SimulatorCredentials credentials() {
    return options.credentials();
  }

  /**
   * Every request received on a Bedrock route since the last {@link #clearRequests()}, oldest
   * first.
   */
  public List<RecordedRequest> requests() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }

  /** The most recent request, or null. */
  public RecordedRequest lastRequest() {
    synchronized (recorded) {
      return recorded.peekLast();
    }
  }

  public void clearRequests() {
    synchronized (recorded) {
      recorded.clear();
    }
  }

  /**
   * Waits until at least {@code count} requests have been recorded since the last clear.
   *
   * @return all recorded requests, oldest first
   * @throws IllegalStateException on timeout
   */
  public List<RecordedRequest> awaitRequests(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (recorded) {
      while (recorded.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              "timed out after "
                  + timeout
                  + " waiting for "
                  + count
                  + " request(s); "
                  + recorded.size()
                  + " received");
        }
        try {
          recorded.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for requests", e);
        }
      }
      return List.copyOf(recorded);
    }
  }

  /**
   * Opens the hold {@code holdName}: streams paused there by {@code @sim hold=holdName} resume, and
   * later ones pass without pausing until {@link #resetHolds()}.
   *
   * @return how many paused streams resumed
   */
  public int release(String holdName) {
    return holds.release(holdName);
  }

  /**
   * Waits until a stream is paused at the hold {@code holdName}, its first text delta already
   * written to the socket.
   *
   * @throws IllegalStateException on timeout
   */
  public void awaitHeld(String holdName, Duration timeout) {
    try {
      holds.awaitParked(holdName, 1, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for hold " + holdName, e);
    }
  }

  /** Closes every released hold again. */
  public void resetHolds() {
    holds.reset();
  }

  private void handle(HttpServerRequest request) {
    long startNanos = System.nanoTime();
    HttpServerResponse response = request.response();
    response.putHeader("x-amzn-RequestId", UUID.randomUUID().toString());
    response.putHeader("Date", HTTP_DATE.format(options.clock().instant()));
    String rawPath = request.path();
    if (request.method() == HttpMethod.GET && "/ping".equals(rawPath)) {
      response.putHeader("Content-Type", "text/plain").end("pong");
      return;
    }
    request
        .body()
        .onSuccess(
            body -> {
              try {
                onBody(request, rawPath, body, startNanos);
              } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "Bedrock simulator failed on " + rawPath, e);
                if (!response.headWritten()) {
                  sendError(response, BedrockError.of(BedrockErrorType.INTERNAL_SERVER_EXCEPTION));
                }
              }
            });
  }

  private void onBody(
      HttpServerRequest request, String rawPath, Buffer bodyBuffer, long startNanos) {
    HttpServerResponse response = request.response();
    byte[] bytes = bodyBuffer.getBytes();
    ControlPlane.Operation control =
        request.method() == HttpMethod.GET ? ControlPlane.Operation.of(rawPath) : null;
    if (control != null) {
      answerControlPlane(request, control, rawPath, bytes);
      return;
    }
    Route route = Route.of(request.method(), rawPath);
    if (route == null) {
      sendError(
          response,
          new BedrockError(
              BedrockErrorType.UNKNOWN_OPERATION_EXCEPTION,
              "Unknown operation " + request.method() + " " + rawPath + "."));
      return;
    }
    Auth auth = authenticate(request, rawPath, bytes);
    JsonNode body = parseJson(bytes);
    Map<String, List<String>> headers = headersOf(request);
    if (auth.error() != null) {
      answerNow(
          response,
          record(
              route.operation(),
              route.modelId(),
              rawPath,
              headers,
              body,
              bytes,
              auth,
              auth.error()),
          auth.error(),
          auth.scheme() == RecordedRequest.AuthScheme.BEARER);
      return;
    }
    Answers.Planned planned =
        body == null || !body.isObject()
            ? Answers.Planned.error(BedrockError.of(BedrockErrorType.SERIALIZATION_EXCEPTION))
            : answers.plan(route.operation(), route.modelId(), body, headers);
    RecordedRequest record =
        record(
            route.operation(),
            route.modelId(),
            rawPath,
            headers,
            body,
            bytes,
            auth,
            planned.script().error());
    new Exchange(
            vertx,
            response,
            record,
            planned.script(),
            planned.wire(),
            holds,
            options.defaultChunkDelay(),
            startNanos)
        .start();
  }

  /**
   * A control-plane read: authenticated as the runtime is (the signing name is {@code bedrock} for
   * both).
   */
  private void answerControlPlane(
      HttpServerRequest request, ControlPlane.Operation operation, String rawPath, byte[] bytes) {
    HttpServerResponse response = request.response();
    Auth auth = authenticate(request, rawPath, bytes);
    BedrockError error = auth.error();
    if (error == null) {
      error = controlPlane.scriptedFailure(operation);
    }
    ControlPlane.Answer answer = null;
    if (error == null) {
      answer = controlPlane.answer(operation, request.params(), auth.region());
      error = answer.error();
    }
    RecordedRequest record =
        record(
            operation.recordedName(), null, rawPath, headersOf(request), null, bytes, auth, error);
    if (error != null) {
      answerNow(
          response,
          record,
          error,
          auth.error() != null && auth.scheme() == RecordedRequest.AuthScheme.BEARER);
      return;
    }
    response
        .setStatusCode(200)
        .putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(ConverseWire.bytes(answer.body())));
    record.clientCancelled().complete(false);
  }

  /**
   * How a request authenticated: SigV4, or a Bedrock API key as a bearer token.
   *
   * @param region the region of the SigV4 scope or of a short-term key (ARNs in control-plane
   *     answers use it)
   */
  private record Auth(
      RecordedRequest.AuthScheme scheme,
      String accessKeyId,
      String region,
      String fingerprint,
      BedrockError error) {}

  private Auth authenticate(HttpServerRequest request, String rawPath, byte[] bytes) {
    String authorization = request.getHeader("Authorization");
    String bearerKey = BearerAuth.keyOf(authorization);
    if (bearerKey != null) {
      BearerAuth.Result result =
          options.verifySignatures() ? bearer.verify(bearerKey) : BearerAuth.unchecked(bearerKey);
      return new Auth(
          RecordedRequest.AuthScheme.BEARER,
          result.accessKeyId(),
          result.region() != null ? result.region() : ControlPlane.regionOf(null),
          result.fingerprint(),
          result.error());
    }
    RecordedRequest.AuthScheme scheme =
        authorization != null && authorization.startsWith(SigV4Verifier.ALGORITHM)
            ? RecordedRequest.AuthScheme.SIGV4
            : RecordedRequest.AuthScheme.NONE;
    String region = ControlPlane.regionOf(authorization);
    if (!options.verifySignatures()) {
      return new Auth(scheme, SigV4Verifier.accessKeyIdOf(authorization), region, null, null);
    }
    SigV4Verifier.Result result =
        verifier.verify(
            new SigV4Verifier.SignedRequest(
                request.method().name(),
                rawPath,
                request.query(),
                name -> headerValues(request, name),
                bytes));
    return new Auth(scheme, result.accessKeyId(), region, null, result.error());
  }

  private RecordedRequest record(
      String operation,
      String modelId,
      String rawPath,
      Map<String, List<String>> headers,
      JsonNode body,
      byte[] bytes,
      Auth auth,
      BedrockError error) {
    RecordedRequest record =
        new RecordedRequest(
            operation,
            modelId,
            rawPath,
            headers,
            body,
            bytes,
            auth.accessKeyId(),
            auth.scheme(),
            auth.fingerprint(),
            error == null ? null : error.type(),
            options.clock().instant(),
            new CompletableFuture<>());
    remember(record);
    return record;
  }

  /**
   * Answers an error at once, before any directive is read (authentication, control-plane
   * failures). A refused API key gets the front door's body, {@code {"Message": ...}}, capitalised
   * as Bedrock sends it.
   */
  private static void answerNow(
      HttpServerResponse response,
      RecordedRequest record,
      BedrockError error,
      boolean refusedApiKey) {
    sendError(response, error, refusedApiKey ? "Message" : "message");
    record.clientCancelled().complete(false);
  }

  /**
   * Writes a Bedrock error: status of its type, {@code x-amzn-ErrorType}, body {@code {"message":
   * ...}}.
   */
  static void sendError(HttpServerResponse response, BedrockError error) {
    sendError(response, error, "message");
  }

  private static void sendError(
      HttpServerResponse response, BedrockError error, String messageMember) {
    response
        .setStatusCode(error.type().httpStatus())
        .putHeader("x-amzn-ErrorType", error.type().wireName())
        .putHeader("Content-Type", "application/json")
        .end(
            Buffer.buffer(
                ConverseWire.bytes(
                    ConverseWire.JSON.createObjectNode().put(messageMember, error.message()))));
  }

  private void remember(RecordedRequest record) {
    synchronized (recorded) {
      recorded.addLast(record);
      while (recorded.size() > options.maxRecordedRequests()) {
        recorded.removeFirst();
      }
      recorded.notifyAll();
    }
  }

  private static JsonNode parseJson(byte[] bytes) {
    try {
      return bytes.length == 0 ? null : ConverseWire.JSON.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  private static Map<String, List<String>> headersOf(HttpServerRequest request) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : request.headers().names()) {
      headers.put(name, List.copyOf(request.headers().getAll(name)));
    }
    headers.computeIfAbsent("host", name -> headerValues(request, name));
    return Collections.unmodifiableMap(headers);
  }

  /**
   * A header's values; over HTTP/2 (which the SDK's Netty client speaks to Bedrock) {@code host}
   * arrives as the {@code :authority} pseudo-header, and SigV4 signs it under that name.
   */
  private static List<String> headerValues(HttpServerRequest request, String name) {
    List<String> values = request.headers().getAll(name);
    if (values.isEmpty() && "host".equalsIgnoreCase(name) && request.authority() != null) {
      HostAndPort authority = request.authority();
      return List.of(
          authority.port() < 0 ? authority.host() : authority.host() + ":" + authority.port());
    }
    return values;
  }

  private static void await(Future<?> future) {
    try {
      future
          .toCompletionStage()
          .toCompletableFuture()
          .get(START_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(System.Logger.Level.WARNING, "Bedrock simulator did not stop cleanly", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A Bedrock route read from the raw path. The model id is one URL-encoded segment ({@code :} as
   * {@code %3A}, an ARN's {@code /} as {@code %2F}); an unencoded ARN still routes because the
   * operation is taken from the last segment.
   */
  record Route(String operation, String modelId) {

    static final Set<String> OPERATIONS =
        Set.of(
            RecordedRequest.CONVERSE,
            RecordedRequest.CONVERSE_STREAM,
            RecordedRequest.INVOKE,
            RecordedRequest.INVOKE_STREAM,
            RecordedRequest.COUNT_TOKENS);

    static Route of(HttpMethod method, String rawPath) {
      if (method != HttpMethod.POST || !rawPath.startsWith("/model/")) {
        return null;
      }
      String rest = rawPath.substring("/model/".length());
      int slash = rest.lastIndexOf('/');
      if (slash <= 0) {
        return null;
      }
      String operation = rest.substring(slash + 1);
      if (!OPERATIONS.contains(operation)) {
        return null;
      }
      try {
        // '+' is a literal in a path, unlike in a form: keep it out of URLDecoder's hands.
        String modelId = URLDecoder.decode(rest.substring(0, slash).replace("+", "%2B"), UTF_8);
        return new Route(operation, modelId);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }
}
