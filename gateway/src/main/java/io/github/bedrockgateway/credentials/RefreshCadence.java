package io.github.bedrockgateway.credentials;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the next refresh starts, given what is held now (docs/credentials.md#refresh). Pure: the
 * time and the jitter come in as arguments.
 *
 * <ul>
 *   <li>Credentials that expire are refreshed at a random point between {@code prefetch-time} and
 *       {@code stale-time} before their expiry (the jitter keeps a fleet from calling STS in
 *       step)...
 *   <li>...but never sooner than half of their remaining life: credentials that live less than
 *       twice the prefetch time (IRSA sessions of 15 minutes, 90-second test credentials) are
 *       refreshed at half-life instead of continuously;
 *   <li>and never sooner than {@code floor} after a success, unless the credentials would expire
 *       first (then at three quarters of what is left).
 *   <li>Credentials without expiry (long-term keys) are read again every {@code
 *       nonExpiringRecheck}, in case they were rotated.
 *   <li>After a failure, the retry backs off exponentially from {@code initialBackoff} to {@code
 *       maxBackoff}, but while the credentials are valid never waits longer than a quarter of their
 *       remaining life.
 * </ul>
 *
 * @param prefetch {@code gateway.credentials.prefetch-time}
 * @param stale {@code gateway.credentials.stale-time}
 * @param floor shortest pause after a successful refresh
 * @param nonExpiringRecheck pause for credentials without expiry
 * @param initialBackoff first retry pause after a failure, doubled per failure
 * @param maxBackoff longest retry pause
 */
record RefreshCadence(
    Duration prefetch,
    Duration stale,
    Duration floor,
    Duration nonExpiringRecheck,
    Duration initialBackoff,
    Duration maxBackoff) {

  /**
   * The pause before the next refresh.
   *
   * @param expiration when the credentials held expire, if they do
   * @param consecutiveFailures refresh failures since the last success
   * @param now the current time
   * @param random a number in [0, 1) for the jitter
   */
  Duration next(Optional<Instant> expiration, int consecutiveFailures, Instant now, double random) {
    Duration remaining = expiration.map(e -> Duration.between(now, e)).orElse(null);
    if (consecutiveFailures > 0 || (remaining != null && !positive(remaining))) {
      return retry(Math.max(1, consecutiveFailures), remaining, random);
    }
    if (remaining == null) {
      return nonExpiringRecheck;
    }
    Duration window = prefetch.minus(stale);
    Duration atPrefetch = remaining.minus(prefetch).plus(scale(window, random));
    Duration halfLife = remaining.dividedBy(2);
    Duration delay = max(atPrefetch, halfLife);
    Duration floorBeforeExpiry = min(floor, remaining.multipliedBy(3).dividedBy(4));
    return max(delay, floorBeforeExpiry);
  }

  private Duration retry(int failures, Duration remaining, double random) {
    int exponent = Math.min(failures - 1, 20);
    Duration backoff = min(initialBackoff.multipliedBy(1L << exponent), maxBackoff);
    if (remaining != null && positive(remaining)) {
      // back off, but keep trying several times before the credentials expire
      backoff = min(backoff, max(initialBackoff, remaining.dividedBy(4)));
    }
    // ±20 %, so that gateways failing together do not retry in step
    return max(Duration.ofMillis(1), backoff.plus(scale(backoff.dividedBy(5), 2 * random - 1)));
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  private static Duration scale(Duration d, double factor) {
    return Duration.ofMillis(Math.round(d.toMillis() * factor));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
