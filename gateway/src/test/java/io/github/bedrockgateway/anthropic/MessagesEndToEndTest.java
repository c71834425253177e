package io.github.bedrockgateway.anthropic;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.simulator.BedrockErrorType;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.RecordedRequest;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code /v1/messages} on the wire: headers, authentication, the exact events of a stream, what
 * Bedrock (the simulator) received, and the error envelope, status by status.
 */
@QuarkusTest
class MessagesEndToEndTest {

  static final String KEY = "test-key-1";

  @Inject EmbeddedSimulator embedded;

  BedrockSimulator simulator;

  @BeforeEach
  void reset() {
    simulator = embedded.simulator();
    simulator.clearRequests();
  }

  static RequestSpecification anthropic() {
    return given()
        .header("x-api-key", KEY)
        .header("anthropic-version", "2023-06-01")
        .contentType("application/json");
  }

  /** One server-sent event: its name and its data. */
  record Event(String name, JsonNode data) {}

  static List<Event> events(String sse) throws Exception {
    List<Event> out = new ArrayList<>();
    for (String block : sse.split("\n\n")) {
      if (block.isBlank()) {
        continue;
      }
      String[] lines = block.split("\n");
      assertThat(lines).hasSize(2);
      assertThat(lines[0]).startsWith("event: ");
      assertThat(lines[1]).startsWith("data: ");
      out.add(new Event(lines[0].substring(7), Json.MAPPER.readTree(lines[1].substring(6))));
    }
    return out;
  }

  @Test
  void answers_what_claude_code_sends_with_the_body_bedrock_accepts() throws Exception {
    Response r =
        given()
            .header("Authorization", "Bearer " + KEY)
            .header("anthropic-version", "2023-06-01")
            .header(
                "anthropic-beta",
                "claude-code-20250219,interleaved-thinking-2025-05-14,"
                    + "context-management-2025-06-27,per-turn-control-2026-07-01,mid-conversation-tool-changes-2026-07-01,"
                    + "thinking-token-count-2026-05-13,advanced-tool-use-2025-11-20,effort-2025-11-24")
            .header("x-app", "cli")
            .contentType("application/json")
            .body(
                """
            {"model": "claude-sonnet-4-5", "max_tokens": 128000, "stream": true,
             "thinking": {"type": "adaptive"},
             "context_management": {"edits": [{"type": "clear_thinking_20251015", "keep": "all"}]},
             "output_config": {"effort": "medium"}, "metadata": {"user_id": "user_abc_session_1"},
             "system": [{"type": "text", "text": "You are Claude Code.", "cache_control": {"type": "ephemeral"}}],
             "tools": [{"name": "Bash", "description": "Run a command", "input_schema": {"type": "object"}},
                       {"name": "WebFetch", "description": "Fetch", "input_schema": {"type": "object"},
                        "defer_loading": true}],
             "messages": [{"role": "user", "content": [{"type": "text", "text": "@sim reply=Done."}]},
                          {"role": "system", "content": "Reminder: the date is today."}]}
            """)
            .when()
            .post("/v1/messages?beta=true");
    r.then()
        .statusCode(200)
        .contentType(startsWith("text/event-stream"))
        .header("request-id", notNullValue());
    List<Event> events = events(r.asString());
    assertThat(events.stream().map(Event::name))
        .containsSubsequence(
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
    assertThat(events.get(events.size() - 1).data())
        .isEqualTo(Json.MAPPER.readTree("{\"type\":\"message_stop\"}"));
    assertThat(events.get(0).data().path("message").path("model").asText())
        .isEqualTo("claude-sonnet-4-5");
    StringBuilder text = new StringBuilder();
    events.stream()
        .filter(e -> e.name().equals("content_block_delta"))
        .forEach(e -> text.append(e.data().path("delta").path("text").asText("")));
    assertThat(text.toString()).isEqualTo("Done.");

    RecordedRequest received = simulator.lastRequest();
    assertThat(received.operation()).isEqualTo(RecordedRequest.INVOKE_STREAM);
    assertThat(received.modelId()).isEqualTo("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    JsonNode body = received.body();
    assertThat(body.path("anthropic_beta"))
        .isEqualTo(
            Json.MAPPER.readTree(
                """
        ["interleaved-thinking-2025-05-14", "context-management-2025-06-27", "tool-search-tool-2025-10-19",
         "effort-2025-11-24"]"""));
    assertThat(body.path("max_tokens").intValue()).isEqualTo(64000);
    assertThat(body.path("messages")).hasSize(1);
    assertThat(body.path("system").get(1).path("text").asText())
        .isEqualTo("Reminder: the date is today.");
    assertThat(body.path("tools").get(1).path("defer_loading").asBoolean()).isTrue();
    assertThat(body.has("model")).isFalse();
    assertThat(body.has("stream")).isFalse();
    JsonNode metadata = Json.MAPPER.readTree(received.requestMetadata());
    assertThat(metadata.path("gateway-request-id").asText()).isEqualTo(r.header("request-id"));
  }

  @Test
  void streams_converse_models_as_exact_anthropic_events() throws Exception {
    Response r =
        anthropic()
            .body(
                """
        {"model": "amazon.nova-pro-v1:0", "max_tokens": 50, "stream": true,
         "messages": [{"role": "user", "content": "@sim reply=Hi there"}]}
        """)
            .when()
            .post("/v1/messages");
    r.then().statusCode(200);
    String requestId = r.header("request-id");
    List<Event> events = events(r.asString());
    assertThat(events.stream().map(Event::name).toList())
        .containsExactly(
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
    assertThat(events.get(0).data().path("message").path("id").asText())
        .isEqualTo("msg_" + requestId);
    assertThat(events.get(2).data())
        .isEqualTo(
            Json.MAPPER.readTree(
                """
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi "}}"""));
    assertThat(events.get(5).data().path("delta").path("stop_reason").asText())
        .isEqualTo("end_turn");
    assertThat(events.get(5).data().path("usage").path("output_tokens").asInt()).isEqualTo(2);
    assertThat(simulator.lastRequest().operation()).isEqualTo(RecordedRequest.CONVERSE_STREAM);
  }

  @Test
  void a_failure_after_the_first_event_is_an_error_event_and_no_message_stop() throws Exception {
    Response r =
        anthropic()
            .body(
                """
        {"model": "claude-haiku", "max_tokens": 50, "stream": true,
         "messages": [{"role": "user", "content": "@sim tokens=10\\n@sim stream-error=serviceUnavailableException\\n@sim stream-error-after=3"}]}
        """)
            .when()
            .post("/v1/messages");
    r.then().statusCode(200);
    List<Event> events = events(r.asString());
    Event last = events.get(events.size() - 1);
    assertThat(last.name()).isEqualTo("error");
    assertThat(last.data().path("type").asText()).isEqualTo("error");
    assertThat(last.data().path("error").path("type").asText()).isEqualTo("overloaded_error");
    assertThat(events.stream().map(Event::name)).doesNotContain("message_stop");
  }

  @Test
  void accepts_the_key_as_x_api_key_or_bearer_and_refuses_others_in_anthropics_envelope() {
    String body =
        "{\"model\": \"claude-haiku\", \"max_tokens\": 5, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
    given()
        .header("x-api-key", KEY)
        .contentType("application/json")
        .body(body)
        .post("/v1/messages")
        .then()
        .statusCode(200)
        .body("type", equalTo("message"));
    given()
        .header("Authorization", "Bearer " + KEY)
        .contentType("application/json")
        .body(body)
        .post("/v1/messages")
        .then()
        .statusCode(200);
    given()
        .header("x-api-key", "nope")
        .contentType("application/json")
        .body(body)
        .post("/v1/messages")
        .then()
        .statusCode(401)
        .header("request-id", notNullValue())
        .body("type", equalTo("error"))
        .body("error.type", equalTo("authentication_error"));
    given()
        .contentType("application/json")
        .body(body)
        .post("/v1/messages/count_tokens")
        .then()
        .statusCode(401)
        .body("error.type", equalTo("authentication_error"))
        .body("error.message", startsWith("You didn't provide an API key"));
    assertThat(simulator.requests()).hasSize(2);
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of(
            "no max_tokens",
            "{\"model\": \"claude-haiku\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}",
            "max_tokens: Field required"),
        Arguments.of(
            "no model",
            "{\"max_tokens\": 5, \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}",
            "model: Field required"),
        Arguments.of("not JSON", "{\"model\": ", "We could not parse the JSON body"),
        Arguments.of(
            "thinking for a model without it",
            "{\"model\": \"amazon.nova-pro-v1:0\", \"max_tokens\": 5,"
                + " \"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 1024},"
                + " \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}",
            "thinking: extended thinking"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void refuses_bad_requests_with_a_400_in_anthropics_envelope(
      String name, String body, String message) {
    anthropic()
        .body(body)
        .post("/v1/messages")
        .then()
        .statusCode(400)
        .contentType("application/json")
        .body("type", equalTo("error"))
        .body("error.type", equalTo("invalid_request_error"))
        .body("error.message", startsWith(message));
    assertThat(simulator.requests()).isEmpty();
  }

  @Test
  void bedrocks_own_refusal_comes_back_as_invalid_request_error_with_its_message() {
    anthropic()
        .body(
            """
        {"model": "claude-haiku", "max_tokens": 5, "some_field_bedrock_does_not_know": 1,
         "messages": [{"role": "user", "content": "hi"}]}
        """)
        .post("/v1/messages")
        .then()
        .statusCode(400)
        .body("error.type", equalTo("invalid_request_error"))
        .body(
            "error.message",
            org.hamcrest.Matchers.containsString("some_field_bedrock_does_not_know"));
    assertThat(simulator.lastRequest().errorType())
        .isEqualTo(BedrockErrorType.VALIDATION_EXCEPTION);
  }

  @Test
  void maps_bedrock_errors_to_anthropics_statuses() {
    String template =
        "{\"model\": \"claude-haiku\", \"max_tokens\": 5, \"messages\": [{\"role\": \"user\", "
            + "\"content\": \"@sim error=%s\"}]}";
    anthropic()
        .body(template.formatted("ThrottlingException"))
        .post("/v1/messages")
        .then()
        .statusCode(429)
        .header("retry-after", notNullValue())
        .body("error.type", equalTo("rate_limit_error"));
    anthropic()
        .body(template.formatted("ModelNotReadyException"))
        .post("/v1/messages")
        .then()
        .statusCode(529)
        .body("error.type", equalTo("overloaded_error"));
    anthropic()
        .body(template.formatted("AccessDeniedException"))
        .post("/v1/messages")
        .then()
        .statusCode(403)
        .body("error.type", equalTo("permission_error"));
    anthropic()
        .body(template.formatted("InternalServerException"))
        .post("/v1/messages")
        .then()
        .statusCode(502)
        .body("error.type", equalTo("api_error"));
  }

  @Test
  void answers_other_paths_and_methods_in_anthropics_envelope() {
    anthropic()
        .get("/v1/messages")
        .then()
        .statusCode(405)
        .body("type", equalTo("error"))
        .body("error.type", equalTo("invalid_request_error"));
    anthropic()
        .body("{}")
        .post("/v1/messages/batches")
        .then()
        .statusCode(404)
        .body("error.type", equalTo("not_found_error"));
  }

  @Test
  void count_tokens_answers_bedrocks_count_for_claude_and_never_fails_when_it_cannot() {
    anthropic()
        .body(
            """
        {"model": "claude-haiku", "messages": [{"role": "user", "content": "Count me, please."}]}
        """)
        .post("/v1/messages/count_tokens?beta=true")
        .then()
        .statusCode(200)
        .body("input_tokens", equalTo(simulatorCount()));
    RecordedRequest received = simulator.lastRequest();
    assertThat(received.operation()).isEqualTo(RecordedRequest.COUNT_TOKENS);
    assertThat(received.modelId()).isEqualTo("anthropic.claude-3-5-haiku-20241022-v1:0");
    // Bedrock refusing to count (here: a scripted error) still gets the client a number
    anthropic()
        .body(
            """
        {"model": "claude-haiku", "messages": [{"role": "user", "content": "@sim error=ThrottlingException"}]}
        """)
        .post("/v1/messages/count_tokens")
        .then()
        .statusCode(200)
        .body("input_tokens", equalTo(8));
    assertThat(simulator.lastRequest().errorType())
        .isEqualTo(BedrockErrorType.THROTTLING_EXCEPTION);
  }

  @Test
  void records_the_key_model_status_and_token_usage_in_the_metrics() throws Exception {
    Map<String, String> output = Map.of("model", "claude-haiku", "key", "key-1", "type", "output");
    Map<String, String> streamed =
        Map.of("model", "claude-haiku", "key", "key-1", "stream", "true", "status", "200");
    Map<String, String> converse = Map.of("model", "unlisted", "key", "key-1", "type", "output");
    String before = scrape();
    anthropic()
        .body(
            """
        {"model": "claude-haiku", "max_tokens": 50, "stream": true,
         "messages": [{"role": "user", "content": "@sim reply=one two three"}]}
        """)
        .post("/v1/messages")
        .then()
        .statusCode(200);
    anthropic()
        .body(
            """
        {"model": "amazon.nova-pro-v1:0", "max_tokens": 50,
         "messages": [{"role": "user", "content": "@sim reply=four five"}]}
        """)
        .post("/v1/messages")
        .then()
        .statusCode(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String after = scrape();
              assertThat(delta(before, after, "gateway_tokens_total", output)).isEqualTo(3.0);
              assertThat(delta(before, after, "gateway_requests_total", streamed)).isEqualTo(1.0);
              assertThat(delta(before, after, "gateway_tokens_total", converse)).isEqualTo(2.0);
            });
  }

  private static double delta(
      String before, String after, String metric, Map<String, String> labels) {
    return sample(after, metric, labels) - sample(before, metric, labels);
  }

  private static String scrape() {
    return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  /** Sums the samples of a metric whose labels include all the given ones (0 when absent). */
  private static double sample(String exposition, String name, Map<String, String> labels) {
    double sum = 0;
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "(?m)^" + java.util.regex.Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$")
            .matcher(exposition);
    while (m.find()) {
      String labelText = m.group(1);
      if (labels.entrySet().stream()
          .allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  /**
   * The simulator counts a quarter token per character of the text, rounded up: "Count me, please."
   */
  private static int simulatorCount() {
    return (int) Math.ceil("Count me, please.".length() / 4.0);
  }
}
