package io.github.bedrockgateway.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a Bedrock API key sent as {@code Authorization: Bearer KEY}, answering as Bedrock's front
 * door does (403, body {@code {"Message": ...}}):
 *
 * <ul>
 *   <li>a key {@linkplain SimulatorCredentials#registerApiKey registered} as long-term: accepted;
 *   <li>a short-term key ({@link ShortTermKeys}): accepted when its access key is registered (same
 *       session token), its signature is that key's and it has not expired on the simulator's
 *       clock;
 *   <li>otherwise {@code AccessDeniedException}: {@value #BAD_FORMAT} for a key with neither
 *       prefix, {@value #INVALID_KEY} for an unknown long-term key or a short-term key that does
 *       not verify; {@code UnrecognizedClientException} for a short-term key of an unknown access
 *       key; {@code ExpiredTokenException} for an expired one.
 * </ul>
 *
 * Stateless apart from the registry and the clock.
 */
final class BearerAuth {

  static final String BAD_FORMAT = "Invalid API Key format: Must start with pre-defined prefix";
  static final String INVALID_KEY =
      "Authentication failed: Please make sure your API Key is valid.";

  /** Real long-term keys start with this. */
  static final String LONG_TERM_PREFIX = "ABSK";

  private static final String EMPTY_PAYLOAD_HASH = SigV4Verifier.sha256Hex(new byte[0]);

  /**
   * The outcome of a check.
   *
   * @param accessKeyId the access key a short-term key was signed with, else null
   * @param region the region a short-term key was made for, else null
   * @param fingerprint {@link SimulatorCredentials#fingerprint} of the key
   * @param error null when the key is accepted
   */
  record Result(String accessKeyId, String region, String fingerprint, BedrockError error) {}

  private final SimulatorCredentials credentials;
  private final Clock clock;

  BearerAuth(SimulatorCredentials credentials, Clock clock) {
    this.credentials = credentials;
    this.clock = clock;
  }

  /**
   * The key of an {@code Authorization: Bearer KEY} header, or null when the header is not a bearer
   * one.
   */
  static String keyOf(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).trim();
  }

  /** Reads a key without checking it (when signatures are not verified). */
  static Result unchecked(String key) {
    String fingerprint = SimulatorCredentials.fingerprint(key);
    try {
      ShortTermKeys.Parsed parsed = ShortTermKeys.parse(key);
      return new Result(parsed.accessKeyId(), parsed.region(), fingerprint, null);
    } catch (RuntimeException e) {
      return new Result(null, null, fingerprint, null);
    }
  }

  Result verify(String key) {
    String fingerprint = SimulatorCredentials.fingerprint(key);
    if (credentials.hasApiKey(key)) {
      return new Result(null, null, fingerprint, null);
    }
    if (!key.startsWith(ShortTermKeys.PREFIX)) {
      return new Result(
          null,
          null,
          fingerprint,
          accessDenied(key.startsWith(LONG_TERM_PREFIX) ? INVALID_KEY : BAD_FORMAT));
    }
    ShortTermKeys.Parsed parsed;
    try {
      parsed = ShortTermKeys.parse(key);
    } catch (RuntimeException e) {
      return new Result(null, null, fingerprint, accessDenied(INVALID_KEY));
    }
    return new Result(parsed.accessKeyId(), parsed.region(), fingerprint, check(parsed));
  }

  private BedrockError check(ShortTermKeys.Parsed key) {
    Optional<SimulatorCredentials.Credential> found = credentials.find(key.accessKeyId());
    if (found.isEmpty() || !Objects.equals(found.get().sessionToken(), key.sessionToken())) {
      return BedrockError.of(BedrockErrorType.UNRECOGNIZED_CLIENT_EXCEPTION);
    }
    SimulatorCredentials.Credential credential = found.get();
    if (!SigV4Verifier.SERVICE.equals(key.service())
        || !"host".equals(key.signedHeaders())
        || !verifies(key, credential.secretAccessKey())) {
      return accessDenied(INVALID_KEY);
    }
    Instant now = clock.instant();
    if (!now.isBefore(key.expiresAt())
        || (credential.expiresAt() != null && !now.isBefore(credential.expiresAt()))) {
      return BedrockError.of(BedrockErrorType.EXPIRED_TOKEN_EXCEPTION);
    }
    return null;
  }

  /**
   * Recomputes the presigned URL's signature. Signers differ on the payload hash of a presigned
   * request ({@code UNSIGNED-PAYLOAD} or the hash of the empty body), so either is accepted.
   */
  private static boolean verifies(ShortTermKeys.Parsed key, String secret) {
    String scope = key.date() + "/" + key.region() + "/" + key.service() + "/aws4_request";
    String amzDate = ShortTermKeys.AMZ_DATE.format(key.signedAt().atOffset(ZoneOffset.UTC));
    for (String payloadHash : List.of("UNSIGNED-PAYLOAD", EMPTY_PAYLOAD_HASH)) {
      String canonical =
          "POST\n/\n"
              + SigV4Verifier.canonicalQuery(key.query())
              + "\nhost:"
              + ShortTermKeys.HOST
              + "\n\nhost\n"
              + payloadHash;
      String stringToSign =
          SigV4Verifier.ALGORITHM
              + "\n"
              + amzDate
              + "\n"
              + scope
              + "\n"
              + SigV4Verifier.sha256Hex(canonical.getBytes(UTF_8));
      String expected =
          SigV4Verifier.signature(secret, key.date(), key.region(), key.service(), stringToSign);
      if (MessageDigest.isEqual(expected.getBytes(UTF_8), key.signature().getBytes(UTF_8))) {
        return true;
      }
    }
    return false;
  }

  private static BedrockError accessDenied(String message) {
    return new BedrockError(BedrockErrorType.ACCESS_DENIED_EXCEPTION, message);
  }
}
