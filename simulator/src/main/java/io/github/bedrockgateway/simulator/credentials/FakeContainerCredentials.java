package io.github.bedrockgateway.simulator.credentials;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A fake container credentials endpoint, as the ECS agent (task role) and the EKS Pod Identity
 * Agent serve it: {@code GET} on the credentials path with an {@code Authorization} header equal to
 * the token (or the current content of the token file), answering JSON {@code AccessKeyId,
 * SecretAccessKey, Token, Expiration}. The SDK only accepts plain-http full URIs on loopback and
 * the agents' link-local addresses; this fake listens on 127.0.0.1.
 */
public final class FakeContainerCredentials implements CredentialsIssuer {

  /** Settings. */
  public static final class Options {
    private String host = "127.0.0.1";
    private int port;
    private String path = "/v1/credentials";
    private String authorizationToken;
    private Path authorizationTokenFile;
    private Duration credentialLifetime = Duration.ofHours(6);
    private String roleArn = "arn:aws:iam::" + FakeValues.ACCOUNT_ID + ":role/bedrock-gateway-pod";

    public Options host(String host) {
      this.host = host;
      return this;
    }

    public Options port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Credentials path ({@code /v1/credentials} for EKS Pod Identity, {@code /v2/credentials/ID}
     * for ECS).
     */
    public Options path(String path) {
      this.path = path;
      return this;
    }

    /** Required {@code Authorization} value; none and no file means no check. */
    public Options authorizationToken(String token) {
      this.authorizationToken = token;
      return this;
    }

    /** Required {@code Authorization} value is the current content of this file. */
    public Options authorizationTokenFile(Path file) {
      this.authorizationTokenFile = file;
      return this;
    }

    /** Lifetime of served credentials (rotated at half-life). */
    public Options credentialLifetime(Duration lifetime) {
      this.credentialLifetime = lifetime;
      return this;
    }

    public Options roleArn(String roleArn) {
      this.roleArn = roleArn;
      return this;
    }
  }

  /**
   * One request.
   *
   * @param path the path asked for
   * @param authorization the {@code Authorization} header received (fake tokens only)
   * @param status HTTP status answered
   */
  public record Call(String path, String authorization, int status, Instant at) {}

  private final Options options;
  private final FakeHttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<IssuedCredentials> issued = new CopyOnWriteArrayList<>();
  private final List<Consumer<IssuedCredentials>> listeners = new CopyOnWriteArrayList<>();
  private volatile IssuedCredentials current;
  private volatile Instant currentIssuedAt;

  public FakeContainerCredentials(Vertx vertx, Options options) {
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

  public int port() {
    return server.port();
  }

  /**
   * {@code http://127.0.0.1:PORT}: with {@code aws.containerServiceEndpoint}, stands in for the ECS
   * agent.
   */
  public String endpoint() {
    return "http://" + server.host() + ":" + server.port();
  }

  /** The value for {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}. */
  public String fullUri() {
    return "http://" + server.host() + ":" + server.port() + options.path;
  }

  @Override
  public FakeContainerCredentials onIssued(Consumer<IssuedCredentials> listener) {
    listeners.add(listener);
    return this;
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  @Override
  public List<IssuedCredentials> issued() {
    return List.copyOf(issued);
  }

  /** The next request gets a new set. */
  public void rotate() {
    current = null;
  }

  private void handle(HttpServerRequest request) {
    String authorization = request.getHeader("Authorization");
    int status;
    String body;
    if (!"GET".equals(request.method().name()) || !options.path.equals(request.path())) {
      status = 404;
      body =
          new JsonObject()
              .put("code", "NotFound")
              .put("message", "No credentials at " + request.path())
              .encode();
    } else if (!authorized(authorization)) {
      status = 401;
      body =
          new JsonObject()
              .put("code", "AccessDenied")
              .put("message", "Authorization token is missing or invalid")
              .encode();
    } else {
      IssuedCredentials c = credentials();
      status = 200;
      body =
          new JsonObject()
              .put("AccessKeyId", c.accessKeyId())
              .put("SecretAccessKey", c.secretAccessKey())
              .put("Token", c.sessionToken())
              .put("AccountId", FakeValues.ACCOUNT_ID)
              .put("Expiration", FakeValues.timestamp(c.expiration()))
              .encodePrettily();
    }
    calls.add(new Call(request.path(), authorization, status, Instant.now()));
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body);
  }

  private boolean authorized(String authorization) {
    String expected = options.authorizationToken;
    if (options.authorizationTokenFile != null) {
      try {
        expected = Files.readString(options.authorizationTokenFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        return false;
      }
    }
    return expected == null
        || expected.equals(authorization == null ? null : authorization.strip());
  }

  private synchronized IssuedCredentials credentials() {
    IssuedCredentials c = current;
    Instant now = Instant.now();
    if (c == null || now.isAfter(currentIssuedAt.plus(options.credentialLifetime.dividedBy(2)))) {
      c = FakeValues.issue('C', options.credentialLifetime, options.roleArn, "container");
      current = c;
      currentIssuedAt = now;
      issued.add(c);
      for (Consumer<IssuedCredentials> listener : listeners) {
        listener.accept(c);
      }
    }
    return c;
  }
}
