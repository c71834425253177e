package io.github.bedrockgateway.simulator.credentials;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * A fake AWS STS for tests and dev mode: the query protocol on {@code POST /} (form body, {@code
 * Action=AssumeRole | AssumeRoleWithWebIdentity}), XML answers and errors exactly as STS writes
 * them, so the SDK's real STS client and credential providers run against it.
 *
 * <ul>
 *   <li>{@code AssumeRole} must be SigV4-signed (signing name {@code sts}) with credentials
 *       registered through {@link #registerCredentials}: the signature is recomputed with the SDK
 *       signer at the request's {@code X-Amz-Date} and compared. Credentials this fake issued are
 *       registered automatically (role chaining works).
 *   <li>{@code AssumeRoleWithWebIdentity} is unsigned; its {@code WebIdentityToken} is compared
 *       with the <em>current</em> content of {@link Options#webIdentityTokenFile} (or {@link
 *       Options#expectedWebIdentityToken}).
 *   <li>Knobs, also at run time: credential lifetime, answer delay, outages (503, throttling,
 *       refused connections), allowed role ARNs, required external ID.
 *   <li>Every call is recorded ({@link #calls()}); every credential set issued goes to the {@link
 *       #onIssued listeners}.
 * </ul>
 */
public final class FakeSts implements CredentialsIssuer {

  /** How the fake misbehaves while {@link #outage(Outage) down}. */
  public enum Outage {
    /** HTTP 503 {@code ServiceUnavailable} (the SDK retries, then gives up). */
    SERVICE_UNAVAILABLE,
    /** HTTP 400 {@code Throttling: Rate exceeded}. */
    THROTTLING,
    /** The port stops listening: connection refused. */
    REFUSE_CONNECTIONS
  }

  /**
   * One request as STS saw it.
   *
   * @param action {@code AssumeRole}, {@code AssumeRoleWithWebIdentity}...
   * @param roleArn {@code RoleArn}
   * @param externalId {@code ExternalId} or null
   * @param roleSessionName {@code RoleSessionName}
   * @param durationSeconds {@code DurationSeconds} or null
   * @param callerAccessKeyId access key id of the signature, null when unsigned
   * @param webIdentityToken the token sent (fake tokens only: tests compare it)
   * @param status HTTP status answered
   * @param errorCode error code answered, null on success
   * @param at when it arrived
   */
  public record Call(
      String action,
      String roleArn,
      String externalId,
      String roleSessionName,
      Integer durationSeconds,
      String callerAccessKeyId,
      String webIdentityToken,
      int status,
      String errorCode,
      Instant at) {}

  /** Settings; all can also be changed on the running fake. */
  public static final class Options {
    private String host = "127.0.0.1";
    private int port;
    private Duration credentialLifetime;
    private Duration answerDelay = Duration.ZERO;
    private final Set<String> allowedRoleArns = ConcurrentHashMap.newKeySet();
    private String requiredExternalId;
    private Path webIdentityTokenFile;
    private String expectedWebIdentityToken;

    /** Listen address (default 127.0.0.1). */
    public Options host(String host) {
      this.host = host;
      return this;
    }

    /** Port (default 0: any free port). */
    public Options port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Lifetime of issued credentials regardless of {@code DurationSeconds} (e.g. 30 s to exercise
     * refresh).
     */
    public Options credentialLifetime(Duration lifetime) {
      this.credentialLifetime = lifetime;
      return this;
    }

    /** Pause before every answer. */
    public Options answerDelay(Duration delay) {
      this.answerDelay = delay;
      return this;
    }

    /** Roles that may be assumed; none listed means any role. */
    public Options allowRole(String roleArn) {
      this.allowedRoleArns.add(roleArn);
      return this;
    }

    /** AssumeRole is refused (AccessDenied) unless this external ID is presented. */
    public Options requireExternalId(String externalId) {
      this.requiredExternalId = externalId;
      return this;
    }

    /** AssumeRoleWithWebIdentity accepts exactly the current content of this file. */
    public Options webIdentityTokenFile(Path file) {
      this.webIdentityTokenFile = file;
      return this;
    }

    /** AssumeRoleWithWebIdentity accepts exactly this token (when no token file is set). */
    public Options expectedWebIdentityToken(String token) {
      this.expectedWebIdentityToken = token;
      return this;
    }
  }

  private record Registered(
      String secretAccessKey, String sessionToken, String principalArn, Instant expiration) {}

  private record Answer(int status, String body, String errorCode) {}

  private static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";
  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-f]+)");
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/(?:[\\w+=,.@-]+/)*([\\w+=,.@-]+)");
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final Vertx vertx;
  private final Options options;
  private final FakeHttpServer server;
  private final Map<String, Registered> registered = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<IssuedCredentials> issued = new CopyOnWriteArrayList<>();
  private final List<Consumer<IssuedCredentials>> listeners = new CopyOnWriteArrayList<>();
  private volatile Outage outage;

  public FakeSts(Vertx vertx, Options options) {
    this.vertx = vertx;
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

  /** {@code http://127.0.0.1:PORT}: the value for {@code AWS_ENDPOINT_URL_STS}. */
  public URI endpoint() {
    return URI.create("http://" + server.host() + ":" + server.port());
  }

  public int port() {
    return server.port();
  }

  /**
   * Lets these credentials sign AssumeRole calls (the base credentials of the gateway).
   *
   * @param sessionToken null for long-term keys
   */
  public FakeSts registerCredentials(
      String accessKeyId, String secretAccessKey, String sessionToken) {
    return registerCredentials(
        accessKeyId,
        secretAccessKey,
        sessionToken,
        "arn:aws:iam::" + FakeValues.ACCOUNT_ID + ":user/gateway-base");
  }

  /**
   * As {@link #registerCredentials(String, String, String)}, naming the principal shown in
   * AccessDenied messages.
   */
  public FakeSts registerCredentials(
      String accessKeyId, String secretAccessKey, String sessionToken, String principalArn) {
    registered.put(accessKeyId, new Registered(secretAccessKey, sessionToken, principalArn, null));
    return this;
  }

  /** Called with every credential set issued (on a Vert.x event-loop thread: do not block). */
  @Override
  public FakeSts onIssued(Consumer<IssuedCredentials> listener) {
    listeners.add(listener);
    return this;
  }

  /** Every request received, oldest first. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Every credential set issued, oldest first. */
  @Override
  public List<IssuedCredentials> issued() {
    return List.copyOf(issued);
  }

  /** Starts misbehaving as told. */
  public void outage(Outage kind) {
    this.outage = kind;
    if (kind == Outage.REFUSE_CONNECTIONS) {
      server.stop();
    }
  }

  /** Back to normal (listening again on the same port after {@link Outage#REFUSE_CONNECTIONS}). */
  public void restore() {
    this.outage = null;
    if (!server.running()) {
      server.start();
    }
  }

  public void answerDelay(Duration delay) {
    options.answerDelay = delay;
  }

  public void credentialLifetime(Duration lifetime) {
    options.credentialLifetime = lifetime;
  }

  public void allowRole(String roleArn) {
    options.allowedRoleArns.add(roleArn);
  }

  public void requireExternalId(String externalId) {
    options.requiredExternalId = externalId;
  }

  // ---------------------------------------------------------------------------------------------

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onComplete(
            result -> {
              String body =
                  result.succeeded() ? result.result().toString(StandardCharsets.UTF_8) : "";
              Answer answer;
              Map<String, String> form = parseForm(body);
              Instant at = Instant.now();
              String[] signer = new String[1];
              try {
                answer = answer(request, body, form, signer);
              } catch (RuntimeException e) {
                answer =
                    error(500, "Receiver", "InternalFailure", "Fake STS failed: " + e.getMessage());
              }
              calls.add(
                  new Call(
                      form.getOrDefault("Action", ""),
                      form.get("RoleArn"),
                      form.get("ExternalId"),
                      form.get("RoleSessionName"),
                      integer(form.get("DurationSeconds")),
                      signer[0],
                      form.get("WebIdentityToken"),
                      answer.status(),
                      answer.errorCode(),
                      at));
              Answer finalAnswer = answer;
              long delay = options.answerDelay.toMillis();
              if (delay > 0) {
                vertx.setTimer(delay, id -> send(request, finalAnswer));
              } else {
                send(request, finalAnswer);
              }
            });
  }

  private static void send(HttpServerRequest request, Answer answer) {
    request
        .response()
        .setStatusCode(answer.status())
        .putHeader("Content-Type", "text/xml")
        .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
        .end(answer.body());
  }

  private Answer answer(
      HttpServerRequest request, String body, Map<String, String> form, String[] signer) {
    Outage now = outage;
    if (now == Outage.SERVICE_UNAVAILABLE) {
      return error(503, "Receiver", "ServiceUnavailable", "Service is unable to handle request.");
    }
    if (now == Outage.THROTTLING) {
      return error(400, "Sender", "Throttling", "Rate exceeded");
    }
    if (!"POST".equals(request.method().name()) || !"/".equals(request.path())) {
      return error(400, "Sender", "InvalidAction", "Only form POST / is served by this fake STS");
    }
    String action = form.getOrDefault("Action", "");
    return switch (action) {
      case "AssumeRole" -> assumeRole(request, body, form, signer);
      case "AssumeRoleWithWebIdentity" -> assumeRoleWithWebIdentity(form);
      case "" -> error(400, "Sender", "MissingAction", "Missing Action");
      default ->
          error(
              400,
              "Sender",
              "InvalidAction",
              "Could not find operation " + action + " for version 2011-06-15");
    };
  }

  private Answer assumeRole(
      HttpServerRequest request, String body, Map<String, String> form, String[] signer) {
    String authorization = request.getHeader("Authorization");
    if (authorization == null) {
      return error(
          403, "Sender", "MissingAuthenticationToken", "Request is missing Authentication Token");
    }
    Matcher auth = AUTHORIZATION.matcher(authorization);
    if (!auth.matches()) {
      return error(
          400,
          "Sender",
          "IncompleteSignature",
          "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.");
    }
    String keyId = auth.group(1);
    signer[0] = keyId;
    Registered caller = registered.get(keyId);
    String token = request.getHeader("X-Amz-Security-Token");
    if (caller == null || !equal(caller.sessionToken(), token)) {
      return error(
          403,
          "Sender",
          "InvalidClientTokenId",
          "The security token included in the request is invalid.");
    }
    if (caller.expiration() != null && !Instant.now().isBefore(caller.expiration())) {
      return error(
          400, "Sender", "ExpiredToken", "The security token included in the request is expired");
    }
    if (!"sts".equals(auth.group(4))) {
      return error(
          403,
          "Sender",
          "SignatureDoesNotMatch",
          "Credential should be scoped to correct service: 'sts'. ");
    }
    Optional<String> signatureProblem = checkSignature(request, body, auth, caller);
    if (signatureProblem.isPresent()) {
      return error(403, "Sender", "SignatureDoesNotMatch", signatureProblem.get());
    }
    Optional<Answer> invalid = validateCommon(form);
    if (invalid.isPresent()) {
      return invalid.get();
    }
    String roleArn = form.get("RoleArn");
    String required = options.requiredExternalId;
    boolean roleAllowed =
        options.allowedRoleArns.isEmpty() || options.allowedRoleArns.contains(roleArn);
    if (!roleAllowed || required != null && !required.equals(form.get("ExternalId"))) {
      return error(
          403,
          "Sender",
          "AccessDenied",
          "User: "
              + caller.principalArn()
              + " is not authorized to perform: sts:AssumeRole on resource: "
              + roleArn);
    }
    IssuedCredentials credentials = issue(form, "sts:AssumeRole");
    return new Answer(
        200,
        "<AssumeRoleResponse xmlns=\""
            + NS
            + "\">\n"
            + "  <AssumeRoleResult>\n"
            + "    <SourceIdentity></SourceIdentity>\n"
            + assumedRoleUser(credentials, form)
            + credentialsXml(credentials)
            + "    <PackedPolicySize>0</PackedPolicySize>\n"
            + "  </AssumeRoleResult>\n"
            + responseMetadata()
            + "</AssumeRoleResponse>\n",
        null);
  }

  private Answer assumeRoleWithWebIdentity(Map<String, String> form) {
    Optional<Answer> invalid = validateCommon(form);
    if (invalid.isPresent()) {
      return invalid.get();
    }
    String token = form.get("WebIdentityToken");
    if (token == null || token.length() < 4) {
      return error(
          400,
          "Sender",
          "ValidationError",
          "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4");
    }
    Optional<String> expected = expectedToken();
    if (expected.isPresent() && !expected.get().equals(token)) {
      return error(
          400,
          "Sender",
          "InvalidIdentityToken",
          "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.");
    }
    String roleArn = form.get("RoleArn");
    if (!options.allowedRoleArns.isEmpty() && !options.allowedRoleArns.contains(roleArn)) {
      return error(
          403, "Sender", "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
    }
    IssuedCredentials credentials = issue(form, "sts:AssumeRoleWithWebIdentity");
    return new Answer(
        200,
        "<AssumeRoleWithWebIdentityResponse xmlns=\""
            + NS
            + "\">\n"
            + "  <AssumeRoleWithWebIdentityResult>\n"
            + "    <SubjectFromWebIdentityToken>system:serviceaccount:default:bedrock-gateway</SubjectFromWebIdentityToken>\n"
            + "    <Audience>sts.amazonaws.com</Audience>\n"
            + assumedRoleUser(credentials, form)
            + credentialsXml(credentials)
            + "    <Provider>oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE0123456789ABCDEF</Provider>\n"
            + "  </AssumeRoleWithWebIdentityResult>\n"
            + responseMetadata()
            + "</AssumeRoleWithWebIdentityResponse>\n",
        null);
  }

  private Optional<String> expectedToken() {
    Path file = options.webIdentityTokenFile;
    if (file != null) {
      try {
        return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        return Optional.of("\u0000unreadable token file " + file);
      }
    }
    return Optional.ofNullable(options.expectedWebIdentityToken);
  }

  private Optional<Answer> validateCommon(Map<String, String> form) {
    String roleArn = form.get("RoleArn");
    if (roleArn == null) {
      return Optional.of(
          validation(
              "Value null at 'roleArn' failed to satisfy constraint: Member must not be null"));
    }
    if (!ROLE_ARN.matcher(roleArn).matches()) {
      return Optional.of(
          validation(
              "Value '"
                  + roleArn
                  + "' at 'roleArn' failed to satisfy constraint: "
                  + "Member must satisfy regular expression pattern: arn:aws[a-z-]*:iam::\\d{12}:role/.+"));
    }
    String session = form.get("RoleSessionName");
    if (session == null) {
      return Optional.of(
          validation(
              "Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null"));
    }
    if (!session.matches("[\\w+=,.@-]{2,64}")) {
      return Optional.of(
          validation(
              "Value '"
                  + session
                  + "' at 'roleSessionName' failed to satisfy constraint: "
                  + "Member must satisfy regular expression pattern: [\\w+=,.@-]*"));
    }
    Integer duration = integer(form.get("DurationSeconds"));
    if (duration != null && duration < 900) {
      return Optional.of(
          validation(
              "Value '"
                  + duration
                  + "' at 'durationSeconds' failed to satisfy constraint: "
                  + "Member must have value greater than or equal to 900"));
    }
    if (duration != null && duration > 43200) {
      return Optional.of(
          validation(
              "Value '"
                  + duration
                  + "' at 'durationSeconds' failed to satisfy constraint: "
                  + "Member must have value less than or equal to 43200"));
    }
    String externalId = form.get("ExternalId");
    if (externalId != null && !externalId.matches("[\\w+=,.@:/-]{2,1224}")) {
      return Optional.of(
          validation(
              "Value at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*"));
    }
    return Optional.empty();
  }

  private IssuedCredentials issue(Map<String, String> form, String issuer) {
    Integer requested = integer(form.get("DurationSeconds"));
    Duration lifetime =
        options.credentialLifetime != null
            ? options.credentialLifetime
            : Duration.ofSeconds(requested != null ? requested : 3600);
    IssuedCredentials credentials = FakeValues.issue('S', lifetime, assumedRoleArn(form), issuer);
    // Issued sessions may call STS in turn (role chaining), as with the real service.
    registered.put(
        credentials.accessKeyId(),
        new Registered(
            credentials.secretAccessKey(),
            credentials.sessionToken(),
            credentials.principalArn(),
            credentials.expiration()));
    issued.add(credentials);
    for (Consumer<IssuedCredentials> listener : listeners) {
      listener.accept(credentials);
    }
    return credentials;
  }

  private static String assumedRoleArn(Map<String, String> form) {
    Matcher m = ROLE_ARN.matcher(form.get("RoleArn"));
    String account = m.matches() ? m.group(1) : FakeValues.ACCOUNT_ID;
    String role = m.matches() ? m.group(2) : "role";
    return "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + form.get("RoleSessionName");
  }

  private static String assumedRoleUser(IssuedCredentials credentials, Map<String, String> form) {
    return "    <AssumedRoleUser>\n"
        + "      <AssumedRoleId>AROAEXAMPLE0123456789:"
        + xml(form.get("RoleSessionName"))
        + "</AssumedRoleId>\n"
        + "      <Arn>"
        + xml(credentials.principalArn())
        + "</Arn>\n"
        + "    </AssumedRoleUser>\n";
  }

  private static String credentialsXml(IssuedCredentials c) {
    return "    <Credentials>\n"
        + "      <AccessKeyId>"
        + xml(c.accessKeyId())
        + "</AccessKeyId>\n"
        + "      <SecretAccessKey>"
        + xml(c.secretAccessKey())
        + "</SecretAccessKey>\n"
        + "      <SessionToken>"
        + xml(c.sessionToken())
        + "</SessionToken>\n"
        + "      <Expiration>"
        + FakeValues.timestamp(c.expiration())
        + "</Expiration>\n"
        + "    </Credentials>\n";
  }

  private static String responseMetadata() {
    return "  <ResponseMetadata>\n    <RequestId>"
        + UUID.randomUUID()
        + "</RequestId>\n  </ResponseMetadata>\n";
  }

  private static Answer validation(String detail) {
    return error(400, "Sender", "ValidationError", "1 validation error detected: " + detail);
  }

  private static Answer error(int status, String type, String code, String message) {
    return new Answer(
        status,
        "<ErrorResponse xmlns=\""
            + NS
            + "\">\n"
            + "  <Error>\n"
            + "    <Type>"
            + type
            + "</Type>\n"
            + "    <Code>"
            + code
            + "</Code>\n"
            + "    <Message>"
            + xml(message)
            + "</Message>\n"
            + "  </Error>\n"
            + "  <RequestId>"
            + UUID.randomUUID()
            + "</RequestId>\n"
            + "</ErrorResponse>\n",
        code);
  }

  /**
   * Recomputes the SigV4 signature with the SDK signer over exactly the signed headers, at the
   * request's own X-Amz-Date, and compares.
   */
  private Optional<String> checkSignature(
      HttpServerRequest request, String body, Matcher auth, Registered caller) {
    String amzDate = request.getHeader("X-Amz-Date");
    if (amzDate == null) {
      return Optional.of(
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    Instant signedAt;
    try {
      signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
    } catch (RuntimeException e) {
      return Optional.of("Invalid X-Amz-Date " + amzDate);
    }
    if (Duration.between(signedAt, Instant.now()).abs().compareTo(Duration.ofMinutes(15)) > 0) {
      return Optional.of(
          "Signature expired: " + amzDate + " is now earlier than the allowed window.");
    }
    String hostHeader = request.getHeader("Host");
    URI uri =
        URI.create(
            "http://"
                + (hostHeader != null ? hostHeader : server.host() + ":" + server.port())
                + request.uri());
    SdkHttpRequest.Builder rebuilt =
        SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(request.method().name())).uri(uri);
    for (String name : auth.group(5).split(";")) {
      List<String> values = request.headers().getAll(name);
      if (!values.isEmpty()) {
        rebuilt.putHeader(name, new ArrayList<>(values));
      }
    }
    AwsCredentialsIdentity identity =
        caller.sessionToken() == null
            ? AwsCredentialsIdentity.create(auth.group(1), caller.secretAccessKey())
            : AwsSessionCredentialsIdentity.create(
                auth.group(1), caller.secretAccessKey(), caller.sessionToken());
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(identity)
                        .request(rebuilt.build())
                        .payload(ContentStreamProvider.fromUtf8String(body))
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, auth.group(4))
                        .putProperty(AwsV4HttpSigner.REGION_NAME, auth.group(3))
                        .putProperty(
                            HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
    String expected = signed.request().firstMatchingHeader("Authorization").orElse("");
    Matcher e = AUTHORIZATION.matcher(expected);
    boolean same =
        e.matches()
            && MessageDigest.isEqual(
                e.group(6).getBytes(StandardCharsets.US_ASCII),
                auth.group(6).getBytes(StandardCharsets.US_ASCII));
    return same
        ? Optional.empty()
        : Optional.of(
            "The request signature we calculated does not match the signature you provided. "
                + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
  }

  private static Map<String, String> parseForm(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    if (body == null || body.isEmpty()) {
      return form;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.put(name, value);
    }
    return form;
  }

  private static Integer integer(String value) {
    try {
      return value == null ? null : Integer.valueOf(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean equal(String a, String b) {
    return a == null ? b == null : a.equals(b);
  }

  private static String xml(String value) {
    if (value == null) {
      return "";
    }
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
