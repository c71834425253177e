package io.github.bedrockgateway.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Checks AWS Signature Version 4 ({@code Authorization: AWS4-HMAC-SHA256 ...}) the way the AWS
 * front door does for Bedrock, answering with the same error types and messages.
 *
 * <p>The canonical request is rebuilt from the headers the client lists in {@code SignedHeaders}
 * rather than by re-signing with the SDK's signer: the SDK signer decides on its own which headers
 * to sign, so any client that signs a different set (botocore, other SDKs) would be rejected. Path
 * encoding uses the SDK's own {@link SdkHttpUtils#urlEncodeIgnoreSlashes}, so the double encoding
 * of non-S3 services ({@code %3A} becomes {@code %253A}) matches it byte for byte.
 *
 * <p>Stateless apart from the registry and the clock; safe to share across event loops.
 */
final class SigV4Verifier {

  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  static final String SERVICE = "bedrock";
  static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  private static final Pattern SPACES = Pattern.compile(" +");
  private static final System.Logger LOG = System.getLogger(SigV4Verifier.class.getName());

  /**
   * The outcome of a check.
   *
   * @param accessKeyId the key named in the {@code Authorization} header, null if none could be
   *     read
   * @param error null when the request is accepted
   */
  record Result(String accessKeyId, BedrockError error) {}

  /** What the verifier needs of a received request; headers are looked up case-insensitively. */
  record SignedRequest(
      String method,
      String rawPath,
      String rawQuery,
      Function<String, List<String>> headers,
      byte[] body) {

    String header(String name) {
      List<String> values = headers.apply(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  private final SimulatorCredentials credentials;
  private final Clock clock;

  SigV4Verifier(SimulatorCredentials credentials, Clock clock) {
    this.credentials = credentials;
    this.clock = clock;
  }

  /** Reads the access key id from an {@code Authorization} header without checking anything. */
  static String accessKeyIdOf(String authorization) {
    try {
      return authorization == null ? null : Authorization.parse(authorization).accessKeyId();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  Result verify(SignedRequest request) {
    String header = request.header("authorization");
    if (header == null || header.isBlank()) {
      return new Result(
          null, BedrockError.of(BedrockErrorType.MISSING_AUTHENTICATION_TOKEN_EXCEPTION));
    }
    Authorization auth;
    try {
      auth = Authorization.parse(header);
    } catch (IllegalArgumentException e) {
      return new Result(
          null, new BedrockError(BedrockErrorType.INCOMPLETE_SIGNATURE_EXCEPTION, e.getMessage()));
    }
    return new Result(auth.accessKeyId(), check(request, auth));
  }

  private BedrockError check(SignedRequest request, Authorization auth) {
    if (!SERVICE.equals(auth.service())) {
      return invalidSignature(
          "Credential should be scoped to correct service: '" + SERVICE + "'. ");
    }
    if (!"aws4_request".equals(auth.terminator())) {
      return invalidSignature(
          "Credential should be scoped with a valid terminator: 'aws4_request', not '"
              + auth.terminator()
              + "'. ");
    }
    Optional<SimulatorCredentials.Credential> found = credentials.find(auth.accessKeyId());
    if (found.isEmpty()) {
      return BedrockError.of(BedrockErrorType.UNRECOGNIZED_CLIENT_EXCEPTION);
    }
    SimulatorCredentials.Credential credential = found.get();
    if (!Objects.equals(credential.sessionToken(), request.header("x-amz-security-token"))) {
      return BedrockError.of(BedrockErrorType.UNRECOGNIZED_CLIENT_EXCEPTION);
    }
    Instant now = clock.instant();
    if (credential.expiresAt() != null && !now.isBefore(credential.expiresAt())) {
      return BedrockError.of(BedrockErrorType.EXPIRED_TOKEN_EXCEPTION);
    }
    String amzDate = request.header("x-amz-date");
    if (amzDate == null) {
      return new BedrockError(
          BedrockErrorType.INCOMPLETE_SIGNATURE_EXCEPTION,
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization="
              + redact(request.header("authorization")));
    }
    Instant signedAt;
    try {
      signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return new BedrockError(
          BedrockErrorType.INCOMPLETE_SIGNATURE_EXCEPTION,
          "Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'.");
    }
    BedrockError skew = checkSkew(signedAt, amzDate, now);
    if (skew != null) {
      return skew;
    }
    if (!amzDate.startsWith(auth.date())) {
      return invalidSignature(
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date"
              + " from HTTP: '"
              + auth.date()
              + "' != '"
              + amzDate.substring(0, 8)
              + "', from '"
              + amzDate
              + "'.");
    }

    if (!auth.signedHeaders().contains("host")) {
      return invalidSignature(
          "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
    String canonicalRequest = canonicalRequest(request, auth.signedHeaders());
    String scope =
        auth.date() + "/" + auth.region() + "/" + auth.service() + "/" + auth.terminator();
    String stringToSign =
        ALGORITHM
            + "\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + sha256Hex(canonicalRequest.getBytes(UTF_8));
    byte[] expected =
        signature(
                credential.secretAccessKey(),
                auth.date(),
                auth.region(),
                auth.service(),
                stringToSign)
            .getBytes(UTF_8);
    if (!MessageDigest.isEqual(expected, auth.signature().getBytes(UTF_8))) {
      LOG.log(
          System.Logger.Level.DEBUG,
          () ->
              "SigV4 mismatch for key "
                  + auth.accessKeyId()
                  + "; canonical request:\n"
                  + canonicalRequest
                  + "\nstring to sign:\n"
                  + stringToSign);
      return BedrockError.of(BedrockErrorType.INVALID_SIGNATURE_EXCEPTION);
    }
    return null;
  }

  private static BedrockError checkSkew(Instant signedAt, String amzDate, Instant now) {
    if (signedAt.isBefore(now.minus(MAX_SKEW))) {
      return invalidSignature(
          "Signature expired: "
              + amzDate
              + " is now earlier than "
              + format(now.minus(MAX_SKEW))
              + " ("
              + format(now)
              + " - 5 min.)");
    }
    if (signedAt.isAfter(now.plus(MAX_SKEW))) {
      return invalidSignature(
          "Signature not yet current: "
              + amzDate
              + " is still later than "
              + format(now.plus(MAX_SKEW))
              + " ("
              + format(now)
              + " + 5 min.)");
    }
    return null;
  }

  static String canonicalRequest(SignedRequest request, List<String> signedHeaders) {
    StringBuilder canonical =
        new StringBuilder(512)
            .append(request.method())
            .append('\n')
            .append(canonicalUri(request.rawPath()))
            .append('\n')
            .append(canonicalQuery(request.rawQuery()))
            .append('\n');
    for (String name : signedHeaders) {
      canonical
          .append(name)
          .append(':')
          .append(canonicalHeaderValue(request.headers().apply(name)))
          .append('\n');
    }
    canonical
        .append('\n')
        .append(String.join(";", signedHeaders))
        .append('\n')
        .append(payloadHash(request));
    return canonical.toString();
  }

  /** Normalised like the SDK ({@code URI.normalize()}), then every segment encoded once more. */
  static String canonicalUri(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    String path = rawPath;
    try {
      path = URI.create("http://host" + rawPath).normalize().getRawPath();
    } catch (IllegalArgumentException e) {
      // Not a valid URI path (raw spaces, stray '%'): sign it as received.
    }
    String encoded = SdkHttpUtils.urlEncodeIgnoreSlashes(path);
    if (!encoded.startsWith("/")) {
      encoded = "/" + encoded;
    }
    if (!encoded.endsWith("/") && rawPath.endsWith("/")) {
      encoded += "/";
    }
    return encoded;
  }

  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String part : rawQuery.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      pairs.add(
          new String[] {
            SdkHttpUtils.urlEncode(SdkHttpUtils.urlDecode(name)),
            SdkHttpUtils.urlEncode(SdkHttpUtils.urlDecode(value))
          });
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder query = new StringBuilder();
    for (String[] pair : pairs) {
      if (query.length() > 0) {
        query.append('&');
      }
      query.append(pair[0]).append('=').append(pair[1]);
    }
    return query.toString();
  }

  private static String canonicalHeaderValue(List<String> values) {
    if (values == null) {
      return "";
    }
    List<String> trimmed = new ArrayList<>(values.size());
    for (String value : values) {
      trimmed.add(SPACES.matcher(value.trim()).replaceAll(" "));
    }
    return String.join(",", trimmed);
  }

  private static String payloadHash(SignedRequest request) {
    String declared = request.header("x-amz-content-sha256");
    // A declared hash is only trusted when it is a marker such as UNSIGNED-PAYLOAD: a hex hash is
    // recomputed so a body changed in transit fails the signature.
    if (declared != null
        && (declared.equals(UNSIGNED_PAYLOAD) || declared.startsWith("STREAMING-"))) {
      return declared;
    }
    return sha256Hex(request.body());
  }

  /**
   * The hex SigV4 signature of {@code stringToSign} with the key derived for {@code
   * date/region/service/aws4_request}.
   */
  static String signature(
      String secret, String date, String region, String service, String stringToSign) {
    byte[] key = hmac(("AWS4" + secret).getBytes(UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    return HexFormat.of().formatHex(hmac(key, stringToSign));
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static String format(Instant instant) {
    return AMZ_DATE.format(instant.atOffset(ZoneOffset.UTC));
  }

  private static BedrockError invalidSignature(String message) {
    return new BedrockError(BedrockErrorType.INVALID_SIGNATURE_EXCEPTION, message);
  }

  private static String redact(String authorization) {
    int at = authorization == null ? -1 : authorization.indexOf("Signature=");
    return at < 0
        ? String.valueOf(authorization)
        : authorization.substring(0, at) + "Signature=***";
  }

  /**
   * The parts of {@code AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, ...}.
   */
  record Authorization(
      String accessKeyId,
      String date,
      String region,
      String service,
      String terminator,
      List<String> signedHeaders,
      String signature) {

    static Authorization parse(String header) {
      String value = header.trim();
      if (!value.startsWith(ALGORITHM + " ")) {
        throw new IllegalArgumentException("Authorization header must use " + ALGORITHM + ".");
      }
      Map<String, String> parts = new HashMap<>();
      for (String part : value.substring(ALGORITHM.length()).split(",")) {
        String trimmed = part.trim();
        int eq = trimmed.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(
              "'"
                  + trimmed
                  + "' not a valid key=value pair (missing equal-sign) in Authorization header.");
        }
        parts.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
      }
      for (String required : List.of("Credential", "SignedHeaders", "Signature")) {
        if (!parts.containsKey(required)) {
          throw new IllegalArgumentException(
              "Authorization header requires '" + required + "' parameter.");
        }
      }
      String[] scope = parts.get("Credential").split("/");
      if (scope.length != 5) {
        throw new IllegalArgumentException(
            "Credential should have 5 parts: AKID/date/region/service/aws4_request.");
      }
      List<String> signedHeaders =
          List.of(parts.get("SignedHeaders").toLowerCase(Locale.ROOT).split(";"));
      return new Authorization(
          scope[0], scope[1], scope[2], scope[3], scope[4], signedHeaders, parts.get("Signature"));
    }
  }
}
