package io.github.bedrockgateway.simulator.credentials;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A fake EC2 instance metadata service that only speaks IMDSv2, as an instance with {@code
 * HttpTokens=required} does: {@code PUT /latest/api/token} (with {@code
 * X-aws-ec2-metadata-token-ttl-seconds}) gives a session token, and every {@code GET} without a
 * valid {@code X-aws-ec2-metadata-token} gets 401. Tokenless calls (an IMDSv1 attempt) are recorded
 * so a test can prove none was made.
 *
 * <p>Serves {@code /latest/meta-data/iam/security-credentials/} (the role name) and {@code
 * .../ROLE} (the JSON credentials), rotating the credentials once half their lifetime has passed,
 * like the real service.
 */
public final class FakeImds implements CredentialsIssuer {

  /** Settings. */
  public static final class Options {
    private String host = "127.0.0.1";
    private int port;
    private String roleName = "bedrock-gateway-instance-role";
    private Duration credentialLifetime = Duration.ofHours(6);
    private int tokenStatus = 200;

    public Options host(String host) {
      this.host = host;
      return this;
    }

    public Options port(int port) {
      this.port = port;
      return this;
    }

    /** Name of the instance profile's role. */
    public Options roleName(String roleName) {
      this.roleName = roleName;
      return this;
    }

    /** Lifetime of served credentials (rotated at half-life). */
    public Options credentialLifetime(Duration lifetime) {
      this.credentialLifetime = lifetime;
      return this;
    }

    /**
     * Status of {@code PUT /latest/api/token}: 200 normally; 403, 404 or 405 simulate an endpoint
     * where a client might be tempted to fall back to IMDSv1.
     */
    public Options tokenStatus(int status) {
      this.tokenStatus = status;
      return this;
    }
  }

  private static final String TOKEN_PATH = "/latest/api/token";
  private static final String CREDENTIALS_PATH = "/latest/meta-data/iam/security-credentials/";

  private final Options options;
  private final FakeHttpServer server;
  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private final List<String> tokenlessRequests = new CopyOnWriteArrayList<>();
  private final List<IssuedCredentials> issued = new CopyOnWriteArrayList<>();
  private final List<Consumer<IssuedCredentials>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final AtomicInteger credentialRequests = new AtomicInteger();
  private volatile IssuedCredentials current;
  private volatile Instant currentIssuedAt;

  public FakeImds(Vertx vertx, Options options) {
    this.options = options;
    this.server = new FakeHttpServer(vertx, options.host, options.port, this::handle);
  }

  /** Starts listening (blocking) and returns the port. */
  public int start() {
    return server.start();
  }

  @Override
  public void stop() {
    server.stop();
  }

  /** {@code http://127.0.0.1:PORT}: the value for {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}. */
  public URI endpoint() {
    return URI.create("http://" + server.host() + ":" + server.port());
  }

  /** Called with every credential set minted (on an event-loop thread: do not block). */
  @Override
  public FakeImds onIssued(Consumer<IssuedCredentials> listener) {
    listeners.add(listener);
    return this;
  }

  /** Whether any request came without a session token, i.e. an IMDSv1 call was attempted. */
  public boolean imdsV1Attempted() {
    return !tokenlessRequests.isEmpty();
  }

  /** {@code METHOD path} of every request without a valid token header. */
  public List<String> tokenlessRequests() {
    return List.copyOf(tokenlessRequests);
  }

  public int tokenRequests() {
    return tokenRequests.get();
  }

  public int credentialRequests() {
    return credentialRequests.get();
  }

  /** Every credential set served, oldest first. */
  @Override
  public List<IssuedCredentials> issued() {
    return List.copyOf(issued);
  }

  /** The next credentials request gets a new set. */
  public void rotate() {
    current = null;
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    if (TOKEN_PATH.equals(path) && "PUT".equals(request.method().name())) {
      token(request);
      return;
    }
    String token = request.getHeader("X-aws-ec2-metadata-token");
    if (token == null) {
      tokenlessRequests.add(request.method().name() + " " + path);
      plain(request, 401, "");
      return;
    }
    Instant expiry = tokens.get(token);
    if (expiry == null || !Instant.now().isBefore(expiry)) {
      plain(request, 401, "");
      return;
    }
    if (!"GET".equals(request.method().name())) {
      plain(request, 405, "");
      return;
    }
    if (path.equals(CREDENTIALS_PATH)
        || path.equals(CREDENTIALS_PATH.substring(0, CREDENTIALS_PATH.length() - 1))) {
      plain(request, 200, options.roleName);
    } else if (path.equals(CREDENTIALS_PATH + options.roleName)) {
      credentialRequests.incrementAndGet();
      IssuedCredentials c = credentials();
      JsonObject json =
          new JsonObject()
              .put("Code", "Success")
              .put("LastUpdated", FakeValues.timestamp(currentIssuedAt))
              .put("Type", "AWS-HMAC")
              .put("AccessKeyId", c.accessKeyId())
              .put("SecretAccessKey", c.secretAccessKey())
              .put("Token", c.sessionToken())
              .put("Expiration", FakeValues.timestamp(c.expiration()));
      request
          .response()
          .setStatusCode(200)
          .putHeader("Content-Type", "text/plain")
          .end(json.encodePrettily());
    } else if (path.startsWith(CREDENTIALS_PATH)) {
      plain(request, 404, "");
    } else {
      plain(request, 404, "");
    }
  }

  private void token(HttpServerRequest request) {
    tokenRequests.incrementAndGet();
    if (request.getHeader("X-Forwarded-For") != null) {
      plain(request, 403, "");
      return;
    }
    if (options.tokenStatus != 200) {
      plain(request, options.tokenStatus, "");
      return;
    }
    String ttlHeader = request.getHeader("X-aws-ec2-metadata-token-ttl-seconds");
    int ttl;
    try {
      ttl = Integer.parseInt(ttlHeader);
    } catch (NumberFormatException e) {
      plain(request, 400, "");
      return;
    }
    if (ttl < 1 || ttl > 21600) {
      plain(request, 400, "");
      return;
    }
    String token = "EXAMPLE-imds-token-" + FakeValues.hex(16);
    tokens.put(token, Instant.now().plusSeconds(ttl));
    request
        .response()
        .setStatusCode(200)
        .putHeader("Content-Type", "text/plain")
        .putHeader("X-aws-ec2-metadata-token-ttl-seconds", Integer.toString(ttl))
        .end(token);
  }

  private synchronized IssuedCredentials credentials() {
    IssuedCredentials c = current;
    Instant now = Instant.now();
    if (c == null || now.isAfter(currentIssuedAt.plus(options.credentialLifetime.dividedBy(2)))) {
      c =
          FakeValues.issue(
              'I',
              options.credentialLifetime,
              "arn:aws:sts::"
                  + FakeValues.ACCOUNT_ID
                  + ":assumed-role/"
                  + options.roleName
                  + "/i-0123456789abcdef0",
              "imds");
      current = c;
      currentIssuedAt = now;
      issued.add(c);
      for (Consumer<IssuedCredentials> listener : listeners) {
        listener.accept(c);
      }
    }
    return c;
  }

  private static void plain(HttpServerRequest request, int status, String body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "text/plain").end(body);
  }
}
