package io.github.bedrockgateway.hardening;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.json.Json;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Transport faults inside a Bedrock event stream: never a stream that looks complete. */
@QuarkusTest
class UpstreamFaultsTest {

  static String stream(String text) {
    return given()
        .header("Authorization", "Bearer test-key-1")
        .contentType("application/json")
        .body(
            "{\"model\": \"gpt-4o\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \""
                + text
                + "\"}]}")
        .when()
        .post("/v1/chat/completions")
        .then()
        .statusCode(200)
        .extract()
        .asString();
  }

  static JsonNode lastError(String sse) throws Exception {
    String[] events = sse.split("\n\n");
    String last = events[events.length - 1];
    assertThat(last).startsWith("data: {\"error\":");
    return Json.MAPPER.readTree(last.substring("data: ".length())).path("error");
  }

  @Test
  void a_stream_bedrock_closes_before_message_stop_ends_with_a_truncation_error_not_done()
      throws Exception {
    String sse = stream("@sim tokens=10\\n@sim stream-fault=cut\\n@sim stream-error-after=3");
    assertThat(sse)
        .contains("tok1 ")
        .doesNotContain("[DONE]")
        .doesNotContain("finish_reason\":\"stop");
    assertThat(lastError(sse).path("code").asText()).isEqualTo("stream_truncated");
  }

  @Test
  void a_corrupt_event_stream_frame_ends_the_stream_with_an_upstream_error_event()
      throws Exception {
    String sse = stream("@sim tokens=10\\n@sim stream-fault=corrupt\\n@sim stream-error-after=3");
    assertThat(sse).contains("tok1 ").doesNotContain("[DONE]");
    JsonNode error = lastError(sse);
    assertThat(error.path("type").asText()).isEqualTo("api_error");
    assertThat(error.path("code").asText()).isEqualTo("upstream_protocol_error");
    assertThat(error.path("message").asText()).isNotBlank().doesNotContain("\tat ");
  }
}
