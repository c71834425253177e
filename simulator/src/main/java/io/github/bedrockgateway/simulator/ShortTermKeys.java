package io.github.bedrockgateway.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Short-term Bedrock API keys, in the format AWS's token generators produce: {@code
 * bedrock-api-key-} followed by the base64 of a SigV4 presigned URL (query-string authentication,
 * service {@code bedrock}, method POST, path {@code /}) with {@code &Version=1} appended:
 *
 * <pre>
 * bedrock.amazonaws.com/?Action=CallWithBearerToken&amp;X-Amz-Algorithm=AWS4-HMAC-SHA256
 *     &amp;X-Amz-Credential=AKID%2F20261203%2Fus-east-1%2Fbedrock%2Faws4_request&amp;X-Amz-Date=20261203T080000Z
 *     &amp;X-Amz-Expires=43200[&amp;X-Amz-Security-Token=...]&amp;X-Amz-SignedHeaders=host&amp;X-Amz-Signature=...&amp;Version=1
 * </pre>
 *
 * <p>The simulator accepts such a key (as {@code Authorization: Bearer KEY}) when its access key id
 * is registered in {@link SimulatorCredentials} (with the same session token, if any), its
 * signature is that key's, and {@code X-Amz-Date + X-Amz-Expires} is still ahead of the simulator's
 * clock.
 *
 * <pre>{@code
 * String key = ShortTermKeys.mint(SimulatorCredentials.DEV_ACCESS_KEY_ID, SimulatorCredentials.DEV_SECRET_ACCESS_KEY,
 *         "us-east-1", Instant.now(), Duration.ofHours(12));
 * }</pre>
 */
public final class ShortTermKeys {

  /** What every short-term key starts with. */
  public static final String PREFIX = "bedrock-api-key-";

  /** The host the presigned URL names. */
  public static final String HOST = "bedrock.amazonaws.com";

  /** The longest life AWS gives a short-term key. */
  public static final Duration MAX_EXPIRY = Duration.ofHours(12);

  static final String ACTION = "CallWithBearerToken";
  private static final String VERSION_SUFFIX = "&Version=1";
  static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private ShortTermKeys() {}

  /**
   * A key for a long-term access key, signed at {@code issued}, valid for {@code expiresIn} (at
   * most 12 hours).
   */
  public static String mint(
      String accessKeyId,
      String secretAccessKey,
      String region,
      Instant issued,
      Duration expiresIn) {
    return mint(
        AwsCredentialsIdentity.create(accessKeyId, secretAccessKey), region, issued, expiresIn);
  }

  /** A key for session credentials: the presigned URL carries {@code X-Amz-Security-Token}. */
  public static String mint(
      String accessKeyId,
      String secretAccessKey,
      String sessionToken,
      String region,
      Instant issued,
      Duration expiresIn) {
    return mint(
        AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, sessionToken),
        region,
        issued,
        expiresIn);
  }

  /**
   * Presigns {@code POST https://bedrock.amazonaws.com/?Action=CallWithBearerToken} with the SDK's
   * own SigV4 signer (query-string authentication, service {@code bedrock}), as the AWS token
   * generators do.
   */
  private static String mint(
      AwsCredentialsIdentity credentials, String region, Instant issued, Duration expiresIn) {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(issued, "issued");
    if (expiresIn.isNegative() || expiresIn.isZero() || expiresIn.compareTo(MAX_EXPIRY) > 0) {
      throw new IllegalArgumentException(
          "a short-term key lives more than 0 seconds and at most 12 hours");
    }
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .protocol("https")
            .host(HOST)
            .encodedPath("/")
            .appendHeader("host", HOST)
            .putRawQueryParameter("Action", ACTION)
            .build();
    SignRequest<AwsCredentialsIdentity> sign =
        SignRequest.builder(credentials)
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SigV4Verifier.SERVICE)
            .putProperty(AwsV4HttpSigner.REGION_NAME, region)
            .putProperty(
                AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
            .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expiresIn)
            .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(issued, ZoneOffset.UTC))
            .request(request)
            .build();
    String uri = AwsV4HttpSigner.create().sign(sign).request().getUri().toString();
    String url = uri.substring("https://".length()) + VERSION_SUFFIX;
    return PREFIX + Base64.getEncoder().encodeToString(url.getBytes(UTF_8));
  }

  /**
   * The parts of a short-term key.
   *
   * @param query the presigned query as signed: every parameter but {@code X-Amz-Signature} and the
   *     {@code Version} appended after signing
   * @param signedAt {@code X-Amz-Date}
   */
  record Parsed(
      String accessKeyId,
      String date,
      String region,
      String service,
      Instant signedAt,
      Duration expires,
      String sessionToken,
      String signedHeaders,
      String signature,
      String query) {

    Instant expiresAt() {
      return signedAt.plus(expires);
    }
  }

  /**
   * Reads a key's presigned URL.
   *
   * @throws IllegalArgumentException when it is not a well-formed short-term key
   */
  static Parsed parse(String key) {
    if (!key.startsWith(PREFIX)) {
      throw new IllegalArgumentException("no " + PREFIX + " prefix");
    }
    String url = new String(Base64.getDecoder().decode(key.substring(PREFIX.length())), UTF_8);
    String hostAndPath = HOST + "/?";
    if (!url.startsWith(hostAndPath) || !url.endsWith(VERSION_SUFFIX)) {
      throw new IllegalArgumentException("not a presigned " + HOST + " URL");
    }
    String query = url.substring(hostAndPath.length(), url.length() - VERSION_SUFFIX.length());
    Map<String, String> params = new LinkedHashMap<>();
    StringBuilder signed = new StringBuilder();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      params.put(name, SdkHttpUtils.urlDecode(eq < 0 ? "" : pair.substring(eq + 1)));
      if (!name.equals("X-Amz-Signature")) {
        signed.append(signed.length() == 0 ? "" : "&").append(pair);
      }
    }
    if (!ACTION.equals(params.get("Action"))
        || !SigV4Verifier.ALGORITHM.equals(params.get("X-Amz-Algorithm"))) {
      throw new IllegalArgumentException("not a " + ACTION + " presigned URL");
    }
    String[] scope = require(params, "X-Amz-Credential").split("/");
    if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
      throw new IllegalArgumentException("malformed X-Amz-Credential");
    }
    Instant signedAt =
        LocalDateTime.parse(require(params, "X-Amz-Date"), AMZ_DATE).toInstant(ZoneOffset.UTC);
    Duration expires = Duration.ofSeconds(Long.parseLong(require(params, "X-Amz-Expires")));
    return new Parsed(
        scope[0],
        scope[1],
        scope[2],
        scope[3],
        signedAt,
        expires,
        params.get("X-Amz-Security-Token"),
        require(params, "X-Amz-SignedHeaders"),
        require(params, "X-Amz-Signature"),
        signed.toString());
  }

  private static String require(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("missing " + name);
    }
    return value;
  }
}
