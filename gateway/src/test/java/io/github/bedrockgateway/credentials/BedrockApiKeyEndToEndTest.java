package io.github.bedrockgateway.credentials;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.github.bedrockgateway.bedrock.ModelDiscovery;
import io.github.bedrockgateway.simulator.BedrockErrorType;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.RecordedRequest;
import io.github.bedrockgateway.simulator.RecordedRequest.AuthScheme;
import io.github.bedrockgateway.simulator.ShortTermKeys;
import io.github.bedrockgateway.simulator.SimulatorCredentials;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Strategy {@code bedrock-api-key} end to end: the gateway's real SDK clients send the key from a
 * watched file as a bearer token to the simulator, which checks it as Bedrock does.
 */
@QuarkusTest
@TestProfile(BedrockApiKeyEndToEndTest.KeyFromFile.class)
class BedrockApiKeyEndToEndTest {

  /**
   * The key file, written before the application starts with a short-term key minted from the
   * simulator's dev pair. A fixed path: the profile and the test instance are loaded by different
   * class loaders, each running this initializer.
   */
  static final Path KEY_FILE = Path.of("target", "bedrock-api-key-e2e", "api-key").toAbsolutePath();

  static {
    try {
      Files.createDirectories(KEY_FILE.getParent());
      Files.writeString(KEY_FILE, shortTermKey(Instant.now(), Duration.ofHours(12)) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static class KeyFromFile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "gateway.credentials.strategy", "bedrock-api-key",
          "gateway.credentials.api-key.file", KEY_FILE.toString(),
          "gateway.credentials.api-key.watch-interval", "200ms",
          // discovery on, to see the control plane take the same key; it runs at startup and on
          // demand only
          "gateway.models.discovery.enabled", "true",
          "gateway.models.discovery.refresh-interval", "24h");
    }
  }

  @Inject EmbeddedSimulator embedded;

  @Inject CredentialsManager manager;

  @Inject ModelDiscovery discovery;

  static String shortTermKey(Instant issued, Duration life) {
    return ShortTermKeys.mint(
        SimulatorCredentials.DEV_ACCESS_KEY_ID,
        SimulatorCredentials.DEV_SECRET_ACCESS_KEY,
        "us-east-1",
        issued,
        life);
  }

  /** A long-term key of a fixed length (so that two of them have the same size on disk). */
  static String longTermKey(int n) {
    return "ABSK"
        + java.util.Base64.getEncoder()
            .encodeToString(("BedrockAPIKey-EXAMPLE-%04d:EXAMPLEsecret".formatted(n)).getBytes());
  }

  BedrockSimulator simulator() {
    return embedded.simulator();
  }

  /** Writes a key to the file and waits until the gateway's watch has taken it. */
  void rotateTo(String key) throws IOException {
    Files.writeString(KEY_FILE, key + "\n");
    Files.setLastModifiedTime(KEY_FILE, FileTime.from(Instant.now()));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> manager.apiKeyState().orElseThrow().key().value().equals(key));
  }

  @AfterEach
  void validKeyAgain() throws IOException {
    rotateTo(shortTermKey(Instant.now(), Duration.ofHours(12)));
  }

  static io.restassured.response.ValidatableResponse chat(boolean stream) {
    String body =
        "{\"model\": \"gpt-4o\", \"stream\": "
            + stream
            + ", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
    return given()
        .header("Authorization", "Bearer test-key-1")
        .contentType("application/json")
        .body(body)
        .when()
        .post("/v1/chat/completions")
        .then();
  }

  @Test
  void chat_calls_carry_the_key_as_a_bearer_token_and_no_sigv4_signature() throws IOException {
    String key = shortTermKey(Instant.now(), Duration.ofHours(12));
    rotateTo(key);
    simulator().clearRequests();

    chat(false).statusCode(200);
    chat(true).statusCode(200).body(containsString("data: [DONE]"));

    List<RecordedRequest> seen = simulator().requests();
    assertThat(seen)
        .extracting(RecordedRequest::operation)
        .containsExactly(RecordedRequest.CONVERSE, RecordedRequest.CONVERSE_STREAM);
    assertThat(seen)
        .allSatisfy(
            r -> {
              assertThat(r.authScheme()).isEqualTo(AuthScheme.BEARER);
              assertThat(r.header("Authorization")).isEqualTo("Bearer " + key);
              assertThat(r.bearerKeyFingerprint()).isEqualTo(SimulatorCredentials.fingerprint(key));
              assertThat(r.header("X-Amz-Date")).as("no SigV4 signature").isNull();
              assertThat(r.header("X-Amz-Security-Token")).isNull();
              assertThat(r.errorType()).isNull();
            });
  }

  @Test
  void model_discovery_lists_models_with_the_same_key() throws Exception {
    String key = shortTermKey(Instant.now(), Duration.ofHours(12));
    rotateTo(key);
    simulator().clearRequests();

    assertThat(discovery.refresh().get(30, TimeUnit.SECONDS))
        .as("both list calls accepted the key")
        .isTrue();

    List<RecordedRequest> seen = simulator().requests();
    assertThat(seen)
        .extracting(RecordedRequest::operation)
        .contains("list-foundation-models", "list-inference-profiles");
    assertThat(seen)
        .allSatisfy(
            r -> {
              assertThat(r.authScheme()).isEqualTo(AuthScheme.BEARER);
              assertThat(r.bearerKeyFingerprint()).isEqualTo(SimulatorCredentials.fingerprint(key));
            });
    given()
        .header("Authorization", "Bearer test-key-1")
        .when()
        .get("/v1/models")
        .then()
        .statusCode(200)
        .body("data.id", hasItem("amazon.nova-pro-v1:0"));
  }

  @Test
  void readiness_reports_the_strategy_and_the_short_term_keys_expiry_never_the_key()
      throws IOException {
    String key = shortTermKey(Instant.now().minus(Duration.ofHours(1)), Duration.ofHours(12));
    rotateTo(key);
    BedrockApiKey parsed = BedrockApiKey.parse(key);

    String health =
        given()
            .when()
            .get("/q/health/ready")
            .then()
            .statusCode(200)
            .body("checks.find { it.name == 'aws-credentials' }.status", equalTo("UP"))
            .body(
                "checks.find { it.name == 'aws-credentials' }.data.strategy",
                equalTo("bedrock-api-key"))
            .body(
                "checks.find { it.name == 'aws-credentials' }.data.keyType", equalTo("short-term"))
            .body(
                "checks.find { it.name == 'aws-credentials' }.data.keyFingerprint",
                equalTo(parsed.fingerprint()))
            .body(
                "checks.find { it.name == 'aws-credentials' }.data.keySource",
                equalTo(KEY_FILE.toString()))
            .body(
                "checks.find { it.name == 'aws-credentials' }.data.expiresAt",
                equalTo(parsed.expiresAt().orElseThrow().toString()))
            .extract()
            .asString();
    assertThat(health).doesNotContain(key).doesNotContain(key.substring(16, 40));
  }

  @Test
  void rotating_the_file_while_requests_run_fails_no_request_and_bedrock_sees_the_new_key()
      throws Exception {
    String before = shortTermKey(Instant.now(), Duration.ofHours(12));
    rotateTo(before);
    String after = shortTermKey(Instant.now().plusSeconds(1), Duration.ofHours(12));
    simulator().clearRequests();
    AtomicBoolean running = new AtomicBoolean(true);
    ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    ExecutorService clients = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> loops = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        boolean stream = i == 2;
        loops.add(
            clients.submit(
                () -> {
                  while (running.get()) {
                    statuses.add(chat(stream).extract().statusCode());
                  }
                }));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> statuses.size() >= 6);
      Files.writeString(KEY_FILE, after + "\n");
      Files.setLastModifiedTime(KEY_FILE, FileTime.from(Instant.now()));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  simulator().requests().stream()
                          .filter(
                              r ->
                                  SimulatorCredentials.fingerprint(after)
                                      .equals(r.bearerKeyFingerprint()))
                          .count()
                      >= 3);
      running.set(false);
      for (Future<?> loop : loops) {
        loop.get(30, TimeUnit.SECONDS);
      }
    } finally {
      running.set(false);
      clients.shutdownNow();
    }

    assertThat(statuses).as("every request during the rotation").isNotEmpty().containsOnly(200);
    List<String> fingerprints =
        simulator().requests().stream()
            .map(RecordedRequest::bearerKeyFingerprint)
            .distinct()
            .toList();
    assertThat(fingerprints)
        .containsExactly(
            SimulatorCredentials.fingerprint(before), SimulatorCredentials.fingerprint(after));
  }

  @Test
  void
      a_refused_key_makes_the_gateway_read_the_file_at_once_and_the_request_succeeds_with_the_new_key()
          throws IOException {
    String revoked = longTermKey(1);
    String replacement = longTermKey(2);
    simulator().credentials().registerApiKey(revoked);
    simulator().credentials().registerApiKey(replacement);
    rotateTo(revoked);
    // The rotation the watch cannot see (same size, same time stamp), then the old key is revoked.
    FileTime stamp = Files.getLastModifiedTime(KEY_FILE);
    Files.writeString(KEY_FILE, replacement + "\n");
    Files.setLastModifiedTime(KEY_FILE, stamp);
    simulator().credentials().removeApiKey(revoked);
    simulator().clearRequests();

    chat(false).statusCode(200);

    List<RecordedRequest> seen = simulator().requests();
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).bearerKeyFingerprint())
        .isEqualTo(SimulatorCredentials.fingerprint(revoked));
    assertThat(seen.get(0).errorType()).isEqualTo(BedrockErrorType.ACCESS_DENIED_EXCEPTION);
    assertThat(seen.get(1).bearerKeyFingerprint())
        .isEqualTo(SimulatorCredentials.fingerprint(replacement));
    assertThat(seen.get(1).errorType()).isNull();
    assertThat(manager.apiKeyState().orElseThrow().key().value()).isEqualTo(replacement);
  }

  @Test
  void
      an_unknown_key_gets_a_clear_error_naming_the_strategy_and_discovery_falls_back_to_the_aliases()
          throws Exception {
    rotateTo(longTermKey(9)); // never registered
    simulator().clearRequests();

    chat(false)
        .statusCode(502)
        .body("error.type", equalTo("api_error"))
        .body("error.code", equalTo("upstream_authentication_failed"))
        .body(
            "error.message",
            containsString(
                "Bedrock refused the gateway's Bedrock API key (credentials strategy "
                    + "'bedrock-api-key'): Authentication failed: Please make sure your API Key is valid. The gateway operator must "
                    + "replace the key."));
    assertThat(simulator().requests())
        .as("the request, and its one retry after reading the file again")
        .hasSize(2)
        .allSatisfy(
            r -> assertThat(r.errorType()).isEqualTo(BedrockErrorType.ACCESS_DENIED_EXCEPTION));

    assertThat(discovery.refresh().get(30, TimeUnit.SECONDS)).isFalse();
    given()
        .header("Authorization", "Bearer test-key-1")
        .when()
        .get("/v1/models")
        .then()
        .statusCode(200)
        .body("data.id", hasItem("gpt-4o"));
  }

  @Test
  void an_expired_short_term_key_turns_readiness_down_and_requests_get_a_clear_error()
      throws IOException {
    String expired = shortTermKey(Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
    rotateTo(expired);
    BedrockApiKey parsed = BedrockApiKey.parse(expired);

    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body("checks.find { it.name == 'aws-credentials' }.status", equalTo("DOWN"))
        .body(
            "checks.find { it.name == 'aws-credentials' }.data.reason",
            equalTo(
                "the Bedrock API key ("
                    + parsed.describe()
                    + ") expired at "
                    + parsed.expiresAt().orElseThrow()
                    + "; Bedrock refuses it until a new key "
                    + "is written to "
                    + KEY_FILE));
    chat(false)
        .statusCode(502)
        .body("error.code", equalTo("upstream_authentication_failed"))
        .body(
            "error.message",
            containsString(
                "Bedrock refused the gateway's Bedrock API key (credentials strategy "
                    + "'bedrock-api-key'): The security token included in the request is expired."));
  }
}
