package io.github.bedrockgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway.anthropic.* settings at work: ping interval, beta allow-list, output limits. */
@QuarkusTest
@TestProfile(MessagesConfiguredTest.Settings.class)
class MessagesConfiguredTest {

  public static class Settings implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "gateway.anthropic.ping-interval", "PT0.2S",
          "gateway.anthropic.betas",
              "interleaved-thinking-2025-05-14,context-management-2025-06-27@claude-3-5-haiku",
          "gateway.anthropic.max-output-tokens", "claude-3-5-haiku=100");
    }
  }

  @Inject EmbeddedSimulator embedded;

  BedrockSimulator simulator;

  @BeforeEach
  void reset() {
    simulator = embedded.simulator();
    simulator.clearRequests();
  }

  @Test
  void writes_pings_while_bedrock_pauses_and_keeps_the_events_intact() throws Exception {
    Response r =
        MessagesEndToEndTest.anthropic()
            .body(
                """
        {"model": "claude-haiku", "max_tokens": 50, "stream": true,
         "messages": [{"role": "user", "content": "@sim tokens=3\\n@sim chunk-delay=700"}]}
        """)
            .post("/v1/messages");
    r.then().statusCode(200);
    List<MessagesEndToEndTest.Event> events = MessagesEndToEndTest.events(r.asString());
    List<String> names = events.stream().map(MessagesEndToEndTest.Event::name).toList();
    assertThat(names).contains("ping");
    assertThat(names.stream().filter(n -> !n.equals("ping")).toList())
        .containsSubsequence(
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
    assertThat(names.get(names.size() - 1)).isEqualTo("message_stop");
    events.stream()
        .filter(e -> e.name().equals("ping"))
        .forEach(
            e ->
                assertThat(e.data()).isEqualTo(Json.MAPPER.createObjectNode().put("type", "ping")));
  }

  @Test
  void forwards_only_the_configured_betas_and_clamps_to_the_configured_limit() throws Exception {
    MessagesEndToEndTest.anthropic()
        .header(
            "anthropic-beta",
            "interleaved-thinking-2025-05-14,context-1m-2025-08-07,context-management-2025-06-27")
        .body(
            """
            {"model": "claude-haiku", "max_tokens": 5000, "messages": [{"role": "user", "content": "hi"}]}
            """)
        .post("/v1/messages")
        .then()
        .statusCode(200);
    JsonNode body = simulator.lastRequest().body();
    assertThat(body.path("anthropic_beta"))
        .isEqualTo(
            Json.MAPPER.readTree(
                "[\"interleaved-thinking-2025-05-14\", \"context-management-2025-06-27\"]"));
    assertThat(body.path("max_tokens").intValue()).isEqualTo(100);
  }
}
