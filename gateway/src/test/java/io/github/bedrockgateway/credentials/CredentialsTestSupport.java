package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Pacing;
import io.github.bedrockgateway.simulator.credentials.CredentialsIssuer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Shared values and helpers of the credentials tests. */
final class CredentialsTestSupport {

  /** Fake long-term base keys (never real: EXAMPLE in both). */
  static final String BASE_KEY_ID = "AKIAEXAMPLEBASE00001";

  static final String BASE_SECRET = "EXAMPLE-base-secret-0123456789abcdefghij";
  static final String ROLE_ARN = "arn:aws:iam::123456789012:role/bedrock-gateway";

  /** Quick pacing so tests see refreshes within seconds. */
  static final Pacing FAST =
      new Pacing(
          Duration.ofMillis(100),
          Duration.ofSeconds(5),
          Duration.ofMillis(200),
          Duration.ofSeconds(1),
          Duration.ofMillis(200),
          Duration.ofSeconds(30));

  private CredentialsTestSupport() {}

  /** Environment with the fake base keys and an STS endpoint. */
  static Map<String, String> baseEnv(String stsEndpoint) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", BASE_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", BASE_SECRET);
    if (stsEndpoint != null) {
      env.put("AWS_ENDPOINT_URL_STS", stsEndpoint);
    }
    return env;
  }

  /**
   * Undoes what a fake-backed test resource set up: clears the system properties it set, stops the
   * fake (if it was started) and closes its Vert.x.
   */
  static void stopFake(Vertx vertx, CredentialsIssuer fake, String... systemProperties) {
    for (String property : systemProperties) {
      System.clearProperty(property);
    }
    if (fake != null) {
      fake.stop();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) {
    Instant end = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
      }
      sleep(50);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
