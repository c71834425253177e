package io.github.bedrockgateway.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs after the whole test suite (failsafe, after surefire) and reads everything the gateway
 * logged during this run (the build deletes the log before the tests: gateway/pom.xml,
 * fresh-test-log): no client API key, AWS secret key or session token used by any test may appear.
 */
class SecretsScanIT {

  /** Every secret the tests hand the gateway, or pieces every generated one starts with. */
  private static final List<String> SECRETS =
      List.of(
          "test-key-1", // client API key
          "team-a-secret-key", // client API key configured as a sha256 digest
          "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", // the simulator's example secret key
          "EXAMPLE-base-secret", // fake STS base credentials
          "EXAMPLE-fake-secret-", // secret keys issued by the fake STS/IMDS/container endpoint
          "EXAMPLE-fake-session-token-", // session tokens issued by them
          "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3Mu", // every short-term Bedrock API key (base64 of
          // bedrock.amazonaws.com/?...)
          "ABSKQmVkcm9ja0FQSUtleS1FWEFNUExF"); // the long-term Bedrock API keys of

  // BedrockApiKeyEndToEndTest

  @Test
  void nothing_the_gateway_logged_during_the_test_run_contains_a_secret() throws Exception {
    Path log = Path.of("target", "gateway-test.log");
    assertThat(log).as("the gateway's test log (quarkus.log.file in the test profile)").exists();
    String text = Files.readString(log, StandardCharsets.UTF_8);
    // the scan proves something only if the log holds the traffic of the suite
    assertThat(text)
        .contains("request_id=")
        .contains("status=200")
        .contains("status=401")
        .contains("status=429");
    for (String secret : SECRETS) {
      assertThat(text).as("log must not contain %s", secret).doesNotContain(secret);
    }
  }
}
