package io.github.bedrockgateway.openai.chat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.simulator.RecordedRequest;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Metrics, access log and usage attribution, checked after scripted traffic. */
@QuarkusTest
class ObservabilityEndToEndTest {

  @Inject EmbeddedSimulator embedded;

  final List<String> accessLines = Collections.synchronizedList(new ArrayList<>());
  final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          accessLines.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureAccessLog() {
    java.util.logging.Logger.getLogger("gateway.access").addHandler(capture);
    embedded.simulator().clearRequests();
  }

  @AfterEach
  void stopCapture() {
    java.util.logging.Logger.getLogger("gateway.access").removeHandler(capture);
  }

  private static Response chat(String key, String model, String text, boolean stream) {
    return given()
        .header("Authorization", "Bearer " + key)
        .contentType("application/json")
        .body(
            "{\"model\": \""
                + model
                + "\", \"stream\": "
                + stream
                + ", \"messages\": [{\"role\": \"user\", \"content\": \""
                + text
                + "\"}]}")
        .when()
        .post("/v1/chat/completions");
  }

  @Test
  void metrics_count_requests_and_sum_tokens_by_model_key_and_status() {
    Map<String, String> ok =
        Map.of("model", "claude-haiku", "key", "team-a", "stream", "false", "status", "200");
    Map<String, String> throttled =
        Map.of("model", "claude-haiku", "key", "team-a", "stream", "false", "status", "429");
    Map<String, String> streamed =
        Map.of("model", "claude-haiku", "key", "team-a", "stream", "true", "status", "200");
    Map<String, String> output = Map.of("model", "claude-haiku", "key", "team-a", "type", "output");
    Map<String, String> cacheRead =
        Map.of("model", "claude-haiku", "key", "team-a", "type", "cache_read");
    String before = scrape();

    for (int i = 0; i < 3; i++) {
      chat("team-a-secret-key", "claude-haiku", "@sim tokens=7", false).then().statusCode(200);
    }
    chat("team-a-secret-key", "claude-haiku", "@sim tokens=5\\n@sim cache-read=11", true)
        .then()
        .statusCode(200);
    chat("team-a-secret-key", "claude-haiku", "@sim error=ThrottlingException", false)
        .then()
        .statusCode(429);
    // Metrics are recorded when a response has ended on the server, which can be a moment after the
    // client has read it: scrape until the five requests are counted (bounded), then check
    // everything.
    String after =
        scrapeUntil(
            s ->
                sample(s, "gateway_requests_total", ok)
                        - sample(before, "gateway_requests_total", ok)
                        + sample(s, "gateway_requests_total", throttled)
                        - sample(before, "gateway_requests_total", throttled)
                        + sample(s, "gateway_requests_total", streamed)
                        - sample(before, "gateway_requests_total", streamed)
                    >= 5);

    assertThat(
            sample(after, "gateway_requests_total", ok)
                - sample(before, "gateway_requests_total", ok))
        .isEqualTo(3.0);
    assertThat(
            sample(after, "gateway_requests_total", throttled)
                - sample(before, "gateway_requests_total", throttled))
        .isEqualTo(1.0);
    assertThat(
            sample(after, "gateway_requests_total", streamed)
                - sample(before, "gateway_requests_total", streamed))
        .isEqualTo(1.0);
    assertThat(
            sample(after, "gateway_tokens_total", output)
                - sample(before, "gateway_tokens_total", output))
        .isEqualTo(3 * 7 + 5);
    assertThat(
            sample(after, "gateway_tokens_total", cacheRead)
                - sample(before, "gateway_tokens_total", cacheRead))
        .isEqualTo(11);
    Map<String, String> upstreamThrottle =
        Map.of("model", "claude-haiku", "error", "rate_limit_exceeded");
    assertThat(
            sample(after, "gateway_upstream_errors_total", upstreamThrottle)
                - sample(before, "gateway_upstream_errors_total", upstreamThrottle))
        .isEqualTo(1.0);
    assertThat(after)
        .contains("gateway_request_duration_seconds_bucket")
        .contains("gateway_time_to_first_token_seconds_count")
        .contains("gateway_requests_in_flight")
        .contains("gateway_streams_open");
    // raw, unlisted model names never become label values
    chat("team-a-secret-key", "some-raw-model-name-" + System.nanoTime(), "hi", false);
    assertThat(scrapeUntil(m -> m.contains("model=\"unlisted\"")))
        .doesNotContain("some-raw-model-name")
        .contains("model=\"unlisted\"");
    assertThat(after).doesNotContain("team-a-secret-key").doesNotContain("test-key-1");
  }

  @Test
  void writes_one_access_line_per_request_with_no_secret_in_it() {
    Response r = chat("test-key-1", "gpt-4o", "@sim tokens=4", false);
    r.then().statusCode(200);
    String requestId = r.header("x-request-id");
    String line = accessLineOf(requestId);
    assertThat(line)
        .contains("request_id=" + requestId)
        .contains("key=key-1")
        .contains("model=gpt-4o")
        .contains("bedrock_model=us.anthropic.claude-sonnet-4-20250514-v1:0")
        .contains("status=200")
        .contains("output_tokens=4")
        .contains("latency_ms=")
        .contains("bedrock_request_id=" + r.header("x-bedrock-request-id"));
    assertThat(line).doesNotContain("test-key-1");
    assertThat(accessLines.stream().filter(l -> l.contains(requestId))).hasSize(1);
  }

  private String scrapeUntil(Predicate<String> done) {
    return pollUntil(ObservabilityEndToEndTest::scrape, done);
  }

  /**
   * The access line of a request. It is written when the response has ended on the server, which
   * can be a moment after the client has read the whole answer: wait for it (bounded).
   */
  private String accessLineOf(String requestId) {
    String line =
        pollUntil(
            () -> {
              synchronized (accessLines) {
                return accessLines.stream()
                    .filter(l -> l.contains(requestId))
                    .findFirst()
                    .orElse(null);
              }
            },
            Objects::nonNull);
    assertThat(line).as("access line of request %s; lines: %s", requestId, accessLines).isNotNull();
    return line;
  }

  /** Reads until {@code done} holds or 10 s have passed; returns the last value read. */
  private static <T> T pollUntil(Supplier<T> read, Predicate<T> done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    T value = read.get();
    while (!done.test(value) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      value = read.get();
    }
    return value;
  }

  @Test
  void sends_the_key_name_and_request_id_to_bedrock_as_request_metadata() {
    Response r =
        given()
            .header("Authorization", "Bearer team-a-secret-key")
            .header("x-request-id", "trace-0123456789")
            .contentType("application/json")
            .body(
                "{\"model\": \"gpt-4o\", \"metadata\": {\"app\": \"search\"}, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
            .when()
            .post("/v1/chat/completions");
    r.then().statusCode(200);
    assertThat(r.header("x-request-id")).isEqualTo("trace-0123456789");
    RecordedRequest received = embedded.simulator().lastRequest();
    assertThat(received.body().path("requestMetadata").path("gateway-key").asText())
        .isEqualTo("team-a");
    assertThat(received.body().path("requestMetadata").path("gateway-request-id").asText())
        .isEqualTo("trace-0123456789");
    assertThat(received.body().path("requestMetadata").path("app").asText()).isEqualTo("search");
  }

  static String scrape() {
    return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  /** Sums the samples of a metric whose labels include all the given ones (0 when absent). */
  static double sample(String exposition, String name, Map<String, String> labels) {
    double sum = 0;
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$")
            .matcher(exposition);
    while (m.find()) {
      String labelText = m.group(1);
      boolean all =
          labels.entrySet().stream()
              .allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""));
      if (all) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }
}
