package io.github.bedrockgateway.credentials;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * A Bedrock API key, parsed: what kind it is and, for a short-term key, when it expires. Pure: no
 * I/O.
 *
 * <p>Short-term keys are {@code bedrock-api-key-} followed by the base64 of a SigV4 presigned URL
 * ({@code
 * bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Credential=...&X-Amz-Date=...&X-Amz-Expires=...}):
 * they expire at {@code X-Amz-Date + X-Amz-Expires} (at most 12 hours, and never after the
 * credentials that signed them). Long-term keys belong to an IAM user and start with {@code ABSK}.
 * The key itself is never part of {@link #toString()}; logs show {@link #fingerprint()}.
 *
 * @param value the key, sent as {@code Authorization: Bearer <value>}
 * @param kind short-term or long-term
 * @param fingerprint the first 8 hex digits of the key's SHA-256: enough to tell two keys apart in
 *     a log
 * @param issuedAt a short-term key's {@code X-Amz-Date}
 * @param expiresAt a short-term key's {@code X-Amz-Date + X-Amz-Expires}
 * @param accessKeyId the access key a short-term key was signed with (to be shown redacted)
 * @param region the region a short-term key was made for
 */
public record BedrockApiKey(
    String value,
    Kind kind,
    String fingerprint,
    Optional<Instant> issuedAt,
    Optional<Instant> expiresAt,
    Optional<String> accessKeyId,
    Optional<String> region) {

  /** What sort of key. */
  public enum Kind {
    /**
     * {@code bedrock-api-key-...}: a presigned URL, made from an IAM identity's credentials, valid
     * up to 12 hours.
     */
    SHORT_TERM("short-term"),
    /** {@code ABSK...}: the key of an IAM user, valid until revoked or its set expiry. */
    LONG_TERM("long-term");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  static final String SHORT_TERM_PREFIX = "bedrock-api-key-";
  static final String LONG_TERM_PREFIX = "ABSK";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  /** Why a text is not a Bedrock API key; the message never contains the key. */
  public static final class MalformedKeyException extends RuntimeException {
    MalformedKeyException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses a key as read from the environment or a file (surrounding white space, such as the
   * newline of a file, is dropped).
   *
   * @throws MalformedKeyException saying what is wrong, without the key
   */
  public static BedrockApiKey parse(String text) {
    String key = text == null ? "" : text.strip();
    if (key.isEmpty()) {
      throw new MalformedKeyException("it is empty");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new MalformedKeyException(
            "it contains white space or a character outside printable ASCII at position "
                + (i + 1)
                + " (one key, on one line)");
      }
    }
    String fingerprint = fingerprint(key);
    if (key.startsWith(SHORT_TERM_PREFIX)) {
      return shortTerm(key, fingerprint);
    }
    if (key.startsWith(LONG_TERM_PREFIX)) {
      return new BedrockApiKey(
          key,
          Kind.LONG_TERM,
          fingerprint,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
    }
    throw new MalformedKeyException(
        "it starts with neither ABSK (a long-term key) nor bedrock-api-key- (a short-term key)");
  }

  /** The first 8 hex digits of the SHA-256 of the key. */
  public static String fingerprint(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether the key has expired at {@code now} (long-term keys: never, as far as the gateway can
   * tell).
   */
  public boolean expiredAt(Instant now) {
    return expiresAt.map(e -> !now.isBefore(e)).orElse(false);
  }

  /** {@code short-term key 1a2b3c4d (ASIA…MPLE, us-east-1)}: safe to log. */
  public String describe() {
    StringBuilder s = new StringBuilder(kind.toString()).append(" key ").append(fingerprint);
    if (accessKeyId.isPresent() || region.isPresent()) {
      s.append(" (");
      accessKeyId.ifPresent(id -> s.append("signed by ").append(Redact.accessKeyId(id)));
      region.ifPresent(r -> s.append(accessKeyId.isPresent() ? ", " : "").append(r));
      s.append(')');
    }
    return s.toString();
  }

  @Override
  public String toString() {
    return describe();
  }

  private static BedrockApiKey shortTerm(String key, String fingerprint) {
    String encoded = key.substring(SHORT_TERM_PREFIX.length());
    String url;
    try {
      url = new String(decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new MalformedKeyException("it starts with bedrock-api-key- but the rest is not base64");
    }
    int query = url.indexOf('?');
    if (query < 0) {
      throw new MalformedKeyException(
          "it starts with bedrock-api-key- but does not hold a presigned URL");
    }
    Map<String, String> params = new HashMap<>();
    for (String pair : url.substring(query + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    if (!"CallWithBearerToken".equals(params.get("Action"))) {
      throw new MalformedKeyException(
          "it starts with bedrock-api-key- but its presigned URL is not for CallWithBearerToken");
    }
    String date = params.get("X-Amz-Date");
    String expires = params.get("X-Amz-Expires");
    if (date == null || expires == null) {
      throw new MalformedKeyException("its presigned URL has no X-Amz-Date or X-Amz-Expires");
    }
    Instant issued;
    long seconds;
    try {
      issued = LocalDateTime.parse(date, AMZ_DATE).toInstant(ZoneOffset.UTC);
      seconds = Long.parseLong(expires);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new MalformedKeyException(
          "its presigned URL has an X-Amz-Date or X-Amz-Expires that cannot be read");
    }
    if (seconds <= 0) {
      throw new MalformedKeyException(
          "its presigned URL has an X-Amz-Expires of " + seconds + " seconds");
    }
    // X-Amz-Credential: AKID/yyyyMMdd/region/bedrock/aws4_request
    String[] scope = params.getOrDefault("X-Amz-Credential", "").split("/");
    Optional<String> accessKeyId = scope.length == 5 ? Optional.of(scope[0]) : Optional.empty();
    Optional<String> region = scope.length == 5 ? Optional.of(scope[2]) : Optional.empty();
    return new BedrockApiKey(
        key,
        Kind.SHORT_TERM,
        fingerprint,
        Optional.of(issued),
        Optional.of(issued.plus(Duration.ofSeconds(seconds))),
        accessKeyId,
        region);
  }

  private static byte[] decode(String encoded) {
    try {
      return Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      return Base64.getUrlDecoder().decode(encoded);
    }
  }
}
