package io.github.bedrockgateway.openai.chat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gateway with tight limits: body size, in-flight calls, stream idle watchdog, message count.
 */
@QuarkusTest
@TestProfile(LimitsAndTimeoutsTest.Tight.class)
class LimitsAndTimeoutsTest {

  public static class Tight implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "gateway.http.max-body-size", "65536",
          "gateway.limits.max-in-flight", "1",
          "gateway.limits.max-messages", "3",
          "gateway.bedrock.stream-idle-timeout", "2s");
    }
  }

  @TestHTTPResource("/v1/chat/completions")
  URL endpoint;

  @Inject EmbeddedSimulator embedded;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpRequest post(String body) throws Exception {
    return HttpRequest.newBuilder(endpoint.toURI())
        .header("Authorization", "Bearer test-key-1")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static String chat(String text, boolean stream) {
    return "{\"model\": \"gpt-4o\", \"stream\": "
        + stream
        + ", \"messages\": [{\"role\": \"user\", \"content\": "
        + Json.MAPPER.valueToTree(text)
        + "}]}";
  }

  @Test
  void a_body_over_the_limit_gets_413_in_the_openai_envelope() {
    embedded.simulator().clearRequests();
    given()
        .header("Authorization", "Bearer test-key-1")
        .contentType("application/json")
        .body(chat("x".repeat(70_000), false))
        .when()
        .post("/v1/chat/completions")
        .then()
        .statusCode(413)
        .body("error.type", equalTo("invalid_request_error"))
        .body("error.code", equalTo("request_too_large"));
    assertThat(embedded.simulator().requests()).isEmpty();
  }

  @Test
  void too_many_messages_get_a_400_naming_messages() {
    given()
        .header("Authorization", "Bearer test-key-1")
        .contentType("application/json")
        .body(
            "{\"model\": \"gpt-4o\", \"messages\": ["
                + "{\"role\": \"user\", \"content\": \"a\"},".repeat(3)
                + "{\"role\": \"user\", \"content\": \"b\"}]}")
        .when()
        .post("/v1/chat/completions")
        .then()
        .statusCode(400)
        .body("error.param", equalTo("messages"));
  }

  @Test
  void beyond_the_in_flight_limit_the_gateway_answers_503_with_retry_after_at_once()
      throws Exception {
    embedded.simulator().resetHolds();
    HttpResponse<InputStream> held =
        http.send(
            post(chat("@sim reply=one two\n@sim hold=busy", true)),
            HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(held.body(), StandardCharsets.UTF_8))) {
      CompletableFuture.supplyAsync(() -> SseLines.readUntil(reader, "one "))
          .get(10, TimeUnit.SECONDS);
      long start = System.nanoTime();
      HttpResponse<String> refused =
          http.send(post(chat("hi", false)), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
      assertThat(Json.MAPPER.readTree(refused.body()).path("error").path("code").asText())
          .isEqualTo("overloaded");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      embedded.simulator().release("busy");
      assertThat(
              CompletableFuture.supplyAsync(() -> SseLines.readUntil(reader, "[DONE]"))
                  .get(10, TimeUnit.SECONDS))
          .contains("two");
    }
    // the slot is free again
    given()
        .header("Authorization", "Bearer test-key-1")
        .contentType("application/json")
        .body(chat("hi", false))
        .when()
        .post("/v1/chat/completions")
        .then()
        .statusCode(200);
  }

  @Test
  void a_stream_bedrock_stops_feeding_ends_with_an_idle_timeout_error_event() throws Exception {
    embedded.simulator().resetHolds();
    // warm the streaming path first, so that only the scripted silence can trip the watchdog
    assertThat(http.send(post(chat("warm up", true)), HttpResponse.BodyHandlers.ofString()).body())
        .contains("[DONE]");
    HttpResponse<String> r =
        http.send(
            post(chat("@sim reply=first then silence\n@sim hold=never-released", true)),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    String[] events = r.body().split("\n\n");
    assertThat(r.body()).contains("first ").doesNotContain("[DONE]");
    JsonNode error =
        Json.MAPPER.readTree(events[events.length - 1].substring("data: ".length())).path("error");
    assertThat(error.path("code").asText()).isEqualTo("upstream_idle_timeout");
    assertThat(embedded.simulator().lastRequest().clientCancelled().get(5, TimeUnit.SECONDS))
        .isTrue();
    embedded.simulator().release("never-released");
  }
}
