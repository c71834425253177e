package io.github.bedrockgateway.simulator.credentials;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Fake credential values: obviously fake, unique per process, the right shape for the SDK. */
final class FakeValues {

  static final String ACCOUNT_ID = "123456789012";

  private static final AtomicLong SEQUENCE = new AtomicLong();

  private FakeValues() {}

  /**
   * {@code ASIA} + {@code EXAMPLE} + a letter for the issuer + 8 digits: 20 characters like a real
   * temporary key id, and unmistakably fake.
   */
  static IssuedCredentials issue(
      char issuerLetter, Duration lifetime, String principalArn, String issuer) {
    long n = SEQUENCE.incrementAndGet();
    String keyId =
        String.format("ASIAEXAMPLE%c%08d", Character.toUpperCase(issuerLetter), n % 100_000_000L);
    String secret = "EXAMPLE-fake-secret-" + hex(10);
    String token =
        "EXAMPLE-fake-session-token-"
            + issuer.replaceAll("[^A-Za-z0-9]", "-")
            + "-"
            + n
            + "-"
            + hex(16);
    Instant expiration = Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
    return new IssuedCredentials(keyId, secret, token, expiration, principalArn, issuer);
  }

  static String hex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** ISO-8601 in whole seconds, as AWS writes timestamps. */
  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
