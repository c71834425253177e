package io.github.bedrockgateway.simulator;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The access keys the simulator accepts, thread-safe and changeable while it runs (a fake STS
 * registers the session credentials it issues here), and the Bedrock API keys it accepts as {@code
 * Authorization: Bearer KEY}: the ones {@linkplain #registerApiKey registered} (any string, as a
 * long-term key), plus every short-term key ({@link ShortTermKeys}) signed by a registered access
 * key.
 *
 * <p>A new registry holds the {@linkplain #DEV_ACCESS_KEY_ID dev pair} (AWS's documentation example
 * key, never a real one); {@link #empty()} holds nothing.
 */
public final class SimulatorCredentials {

  /** The access key id of the pair every default registry accepts: AWS's documented example key. */
  public static final String DEV_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";

  /** The secret of {@link #DEV_ACCESS_KEY_ID}. */
  public static final String DEV_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  /**
   * One registered key.
   *
   * @param sessionToken the token requests must carry in {@code X-Amz-Security-Token}, or null for
   *     a long-term key (which then must carry none)
   * @param expiresAt when the key stops being accepted ({@code ExpiredTokenException}), or null
   */
  public record Credential(
      String accessKeyId, String secretAccessKey, String sessionToken, Instant expiresAt) {
    public Credential {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }
  }

  private final ConcurrentMap<String, Credential> byAccessKeyId = new ConcurrentHashMap<>();
  private final Set<String> apiKeys = ConcurrentHashMap.newKeySet();

  /** A registry holding the dev pair. */
  public SimulatorCredentials() {
    register(DEV_ACCESS_KEY_ID, DEV_SECRET_ACCESS_KEY);
  }

  private SimulatorCredentials(boolean withDevPair) {
    if (withDevPair) {
      register(DEV_ACCESS_KEY_ID, DEV_SECRET_ACCESS_KEY);
    }
  }

  /** A registry holding no key at all. */
  public static SimulatorCredentials empty() {
    return new SimulatorCredentials(false);
  }

  /**
   * Accepts a key from now on, replacing any earlier registration of the same access key id.
   *
   * @param sessionToken null for a long-term key
   * @param expiresAt null for a key that never expires
   * @return this registry
   */
  public SimulatorCredentials register(
      String accessKeyId, String secretAccessKey, String sessionToken, Instant expiresAt) {
    Credential credential = new Credential(accessKeyId, secretAccessKey, sessionToken, expiresAt);
    byAccessKeyId.put(accessKeyId, credential);
    return this;
  }

  /** Accepts a long-term key that never expires. */
  public SimulatorCredentials register(String accessKeyId, String secretAccessKey) {
    return register(accessKeyId, secretAccessKey, null, null);
  }

  /** Stops accepting a key; returns whether it was registered. */
  public boolean remove(String accessKeyId) {
    return byAccessKeyId.remove(accessKeyId) != null;
  }

  /** The registration of a key, if any. */
  public Optional<Credential> find(String accessKeyId) {
    return Optional.ofNullable(byAccessKeyId.get(accessKeyId));
  }

  /**
   * Accepts a Bedrock API key from now on, as a long-term key: any string (real long-term keys
   * start with {@code ABSK}), sent as {@code Authorization: Bearer KEY}.
   *
   * @return this registry
   */
  public SimulatorCredentials registerApiKey(String apiKey) {
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException("an API key must not be blank");
    }
    apiKeys.add(apiKey);
    return this;
  }

  /** Stops accepting an API key; returns whether it was registered. */
  public boolean removeApiKey(String apiKey) {
    return apiKeys.remove(apiKey);
  }

  /**
   * Whether the API key was registered (short-term keys never are: they are checked by signature).
   */
  public boolean hasApiKey(String apiKey) {
    return apiKey != null && apiKeys.contains(apiKey);
  }

  /**
   * The short, one-way fingerprint of an API key that {@link
   * RecordedRequest#bearerKeyFingerprint()} records instead of the key: the first 16 hex digits of
   * its SHA-256.
   */
  public static String fingerprint(String apiKey) {
    return HexFormat.of().formatHex(ReplyScript.sha256(apiKey)).substring(0, 16);
  }
}
