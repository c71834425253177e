package io.github.bedrockgateway.openai.responses;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.RecordedRequest;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/responses} on the wire: HTTP in, the real AWS SDK client signing and calling the
 * in-repo Bedrock simulator, the answer translated back. Asserts both what the simulator received
 * and what the client got.
 */
@QuarkusTest
class ResponsesEndToEndTest {

  static final String KEY = "test-key-1";

  /** The plaintext of the {@code team-a=sha256:...} key of the test profile. */
  static final String TEAM_A_KEY = "team-a-secret-key";

  @Inject EmbeddedSimulator embedded;

  BedrockSimulator simulator;

  @BeforeEach
  void reset() {
    simulator = embedded.simulator();
    simulator.clearRequests();
  }

  static Response post(String body) {
    return post(KEY, body);
  }

  static Response post(String key, String body) {
    return given()
        .header("Authorization", "Bearer " + key)
        .contentType("application/json")
        .body(body)
        .when()
        .post("/v1/responses");
  }

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  @Test
  void answers_in_the_responses_shape_and_sends_the_translated_request_signed() {
    Response r =
        post(
            """
                {"model": "gpt-4o", "instructions": "Be brief.", "max_output_tokens": 50,
                 "input": "@sim reply=Hello there, friend.", "metadata": {"team": "search"}}
                """);
    r.then()
        .statusCode(200)
        .contentType("application/json")
        .header("x-request-id", notNullValue())
        .header("x-bedrock-request-id", notNullValue())
        .body("id", startsWith("resp_"))
        .body("object", equalTo("response"))
        .body("status", equalTo("completed"))
        .body("model", equalTo("gpt-4o"))
        .body("error", nullValue())
        .body("incomplete_details", nullValue())
        .body("instructions", equalTo("Be brief."))
        .body("output[0].type", equalTo("message"))
        .body("output[0].id", startsWith("msg_"))
        .body("output[0].role", equalTo("assistant"))
        .body("output[0].content[0].type", equalTo("output_text"))
        .body("output[0].content[0].text", equalTo("Hello there, friend."))
        .body("usage.output_tokens", equalTo(3))
        .body("usage.input_tokens_details.cached_tokens", equalTo(0))
        .body("usage.output_tokens_details.reasoning_tokens", equalTo(0))
        .body("metadata.team", equalTo("search"));
    JsonNode answer = json(r.asString());
    assertThat(answer.path("created_at").asLong()).isPositive();
    assertThat(answer.path("usage").path("total_tokens").asInt())
        .isEqualTo(
            answer.path("usage").path("input_tokens").asInt()
                + answer.path("usage").path("output_tokens").asInt());

    RecordedRequest seen = simulator.lastRequest();
    assertThat(seen.operation()).isEqualTo("converse");
    assertThat(seen.modelId()).isEqualTo("us.anthropic.claude-sonnet-4-20250514-v1:0");
    assertThat(seen.accessKeyId()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
    assertThat(seen.body().path("system").get(0).path("text").asText()).isEqualTo("Be brief.");
    assertThat(seen.body().path("inferenceConfig").path("maxTokens").asInt()).isEqualTo(50);
    assertThat(seen.body().path("requestMetadata").path("team").asText()).isEqualTo("search");
    assertThat(seen.body().path("requestMetadata").path("gateway-key").asText()).isEqualTo("key-1");
    assertThat(seen.body().path("requestMetadata").path("gateway-request-id").asText())
        .isEqualTo(r.getHeader("x-request-id"));
  }

  @Test
  void streams_the_event_sequence_with_sequence_numbers_and_ends_with_the_whole_response() {
    Response r =
        post(
            """
                {"model": "claude-haiku", "stream": true, "input": "@sim reply=One two three."}
                """);
    r.then().statusCode(200).contentType(startsWith("text/event-stream"));
    List<String> names = new ArrayList<>();
    List<JsonNode> data = new ArrayList<>();
    for (String block : r.asString().split("\n\n")) {
      String[] lines = block.split("\n");
      assertThat(lines[0]).startsWith("event: ");
      assertThat(lines[1]).startsWith("data: ");
      names.add(lines[0].substring(7));
      data.add(json(lines[1].substring(6)));
    }
    assertThat(names.subList(0, 4))
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added");
    assertThat(names)
        .contains(
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done");
    assertThat(names.get(names.size() - 1)).isEqualTo("response.completed");
    for (int i = 0; i < data.size(); i++) {
      assertThat(data.get(i).path("sequence_number").asInt()).isEqualTo(i);
      assertThat(data.get(i).path("type").asText()).isEqualTo(names.get(i));
    }
    StringBuilder deltas = new StringBuilder();
    data.stream()
        .filter(d -> d.path("type").asText().equals("response.output_text.delta"))
        .forEach(d -> deltas.append(d.path("delta").asText()));
    assertThat(deltas).hasToString("One two three.");
    JsonNode completed = data.get(data.size() - 1).path("response");
    assertThat(completed.path("status").asText()).isEqualTo("completed");
    assertThat(completed.path("model").asText()).isEqualTo("claude-haiku");
    assertThat(completed.path("output").get(0).path("content").get(0).path("text").asText())
        .isEqualTo("One two three.");
    assertThat(completed.path("usage").path("output_tokens").asInt()).isEqualTo(3);
    assertThat(simulator.lastRequest().operation()).isEqualTo("converse-stream");
  }

  @Test
  void takes_what_codex_sends_hosted_tools_dropped_developer_messages_as_system() {
    Response r =
        post(
            """
                {"model": "gpt-4o", "stream": true, "store": false, "parallel_tool_calls": true, "tool_choice": "auto",
                 "reasoning": {"summary": "auto"}, "include": ["reasoning.encrypted_content"],
                 "prompt_cache_key": "01a23b1f", "client_metadata": {"x-codex-installation-id": "7d74"},
                 "tools": [
                   {"type": "function", "name": "exec_command", "description": "Runs a command", "strict": false,
                    "parameters": {"type": "object", "properties": {"cmd": {"type": "string"}}, "required": ["cmd"],
                                   "additionalProperties": false}},
                   {"type": "namespace", "name": "multi_agent_v1", "description": "Sub-agents",
                    "tools": [{"type": "function", "name": "close_agent", "strict": false, "parameters": {"type": "object"}}]},
                   {"type": "web_search", "external_web_access": false}],
                 "input": [
                   {"type": "message", "id": "msg_0", "role": "developer", "content": [{"type": "input_text", "text": "You are Codex."}]},
                   {"type": "message", "id": "msg_1", "role": "user", "content": [{"type": "input_text", "text": "<environment_context/>"}]},
                   {"type": "message", "id": "msg_2", "role": "user", "content": [{"type": "input_text", "text": "@sim reply=Hi from Bedrock."}]}]}
                """);
    r.then().statusCode(200);
    assertThat(r.asString()).contains("event: response.completed").contains("Hi from Bedrock.");
    JsonNode sent = simulator.lastRequest().body();
    assertThat(sent.path("system").get(0).path("text").asText()).isEqualTo("You are Codex.");
    assertThat(sent.path("toolConfig").path("tools")).hasSize(1);
    assertThat(sent.path("toolConfig").path("tools").get(0).path("toolSpec").path("name").asText())
        .isEqualTo("exec_command");
    assertThat(sent.path("messages")).hasSize(1);
  }

  @Test
  void stored_responses_are_retrieved_continued_and_deleted_by_the_key_that_made_them() {
    String first =
        post("""
                {"model": "claude-haiku", "input": "@sim reply=Remember 42."}
                """)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    String id = json(first).path("id").asText();

    given()
        .header("Authorization", "Bearer " + KEY)
        .when()
        .get("/v1/responses/" + id)
        .then()
        .statusCode(200)
        .contentType("application/json")
        .body("id", equalTo(id));
    assertThat(
            json(
                given()
                    .header("Authorization", "Bearer " + KEY)
                    .when()
                    .get("/v1/responses/" + id)
                    .asString()))
        .isEqualTo(json(first));
    // another client key sees nothing
    given()
        .header("Authorization", "Bearer " + TEAM_A_KEY)
        .when()
        .get("/v1/responses/" + id)
        .then()
        .statusCode(404)
        .body("error.code", equalTo("response_not_found"));
    post(
            TEAM_A_KEY,
            "{\"model\": \"claude-haiku\", \"previous_response_id\": \""
                + id
                + "\", \"input\": \"x\"}")
        .then()
        .statusCode(404)
        .body("error.param", equalTo("previous_response_id"));

    simulator.clearRequests();
    post("{\"model\": \"claude-haiku\", \"previous_response_id\": \""
            + id
            + "\", \"input\": \"What did I say?\"}")
        .then()
        .statusCode(200)
        .body("previous_response_id", equalTo(id));
    JsonNode messages = simulator.lastRequest().body().path("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.get(0).path("content").get(0).path("text").asText())
        .isEqualTo("@sim reply=Remember 42.");
    assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
    assertThat(messages.get(1).path("content").get(0).path("text").asText())
        .isEqualTo("Remember 42.");
    assertThat(messages.get(2).path("content").get(0).path("text").asText())
        .isEqualTo("What did I say?");

    given()
        .header("Authorization", "Bearer " + KEY)
        .when()
        .delete("/v1/responses/" + id)
        .then()
        .statusCode(200)
        .body("id", equalTo(id))
        .body("deleted", equalTo(true));
    given()
        .header("Authorization", "Bearer " + KEY)
        .when()
        .get("/v1/responses/" + id)
        .then()
        .statusCode(404);
  }

  @Test
  void a_streamed_response_is_stored_too_and_store_false_keeps_nothing() {
    String sse =
        post("{\"model\": \"claude-haiku\", \"stream\": true, \"input\": \"@sim reply=Streamed.\"}")
            .asString();
    String id =
        json(sse.substring(sse.indexOf("data: ") + 6, sse.indexOf("\n\n")))
            .path("response")
            .path("id")
            .asText();
    given()
        .header("Authorization", "Bearer " + KEY)
        .when()
        .get("/v1/responses/" + id)
        .then()
        .statusCode(200)
        .body("status", equalTo("completed"))
        .body("output[0].content[0].text", equalTo("Streamed."));

    String unstored =
        post("{\"model\": \"claude-haiku\", \"store\": false, \"input\": \"@sim reply=Gone.\"}")
            .then()
            .statusCode(200)
            .body("store", equalTo(false))
            .extract()
            .path("id");
    given()
        .header("Authorization", "Bearer " + KEY)
        .when()
        .get("/v1/responses/" + unstored)
        .then()
        .statusCode(404);
  }

  @Test
  void errors_come_in_the_openai_envelope_with_the_right_status() {
    post("{\"model\": \"claude-haiku\", \"previous_response_id\": \"resp_nope\", \"input\": \"x\"}")
        .then()
        .statusCode(404)
        .body("error.type", equalTo("not_found_error"))
        .body("error.param", equalTo("previous_response_id"))
        .body("error.code", equalTo("previous_response_not_found"));
    post("{\"model\": \"claude-haiku\", \"input\": [{\"type\": \"telepathy\"}]}")
        .then()
        .statusCode(400)
        .body("error.type", equalTo("invalid_request_error"))
        .body("error.param", equalTo("input[0].type"));
    post("{\"model\": \"claude-haiku\", \"input\": \"@sim error=ThrottlingException\"}")
        .then()
        .statusCode(429)
        .header("Retry-After", notNullValue())
        .body("error.code", equalTo("rate_limit_exceeded"));
    post("{\"model\": \"claude-haiku\", \"stream\": true, \"input\": \"@sim error=ThrottlingException\"}")
        .then()
        .statusCode(429)
        .contentType("application/json")
        .body("error.type", equalTo("rate_limit_error"));
    given()
        .contentType("application/json")
        .body("{\"model\": \"m\", \"input\": \"x\"}")
        .when()
        .post("/v1/responses")
        .then()
        .statusCode(401)
        .body("error.code", equalTo("invalid_api_key"));
    given()
        .header("Authorization", "Bearer " + KEY)
        .when()
        .put("/v1/responses")
        .then()
        .statusCode(405)
        .body("error.type", equalTo("invalid_request_error"));
    given()
        .header("Authorization", "Bearer " + KEY)
        .contentType("text/plain")
        .body("hi")
        .when()
        .post("/v1/responses")
        .then()
        .statusCode(415);
    given()
        .header("Authorization", "Bearer " + KEY)
        .when()
        .get("/v1/responses/resp_x/input_items")
        .then()
        .statusCode(404)
        .body("error.code", equalTo("unknown_url"));
    assertThat(simulator.requests()).hasSize(2); // only the two throttled calls reached Bedrock
  }

  @Test
  void a_mid_stream_failure_is_an_error_event_then_response_failed_and_never_completed() {
    String sse =
        post("""
                {"model": "claude-haiku", "stream": true,
                 "input": "@sim tokens=20\\n@sim stream-error=modelStreamErrorException\\n@sim stream-error-after=3"}
                """)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(sse).contains("event: response.output_text.delta");
    assertThat(sse).contains("event: error\ndata: {\"type\":\"error\"");
    assertThat(sse).contains("\"code\":\"model_error\"");
    assertThat(sse).endsWith("\n\n").contains("event: response.failed");
    assertThat(sse.indexOf("event: error")).isLessThan(sse.indexOf("event: response.failed"));
    assertThat(sse).doesNotContain("response.completed");
  }

  @Test
  void the_token_limit_makes_the_response_incomplete() {
    post("{\"model\": \"claude-haiku\", \"max_output_tokens\": 3, \"input\": \"@sim tokens=10\"}")
        .then()
        .statusCode(200)
        .body("status", equalTo("incomplete"))
        .body("incomplete_details.reason", equalTo("max_output_tokens"))
        .body("output[0].status", equalTo("incomplete"))
        .body("output[0].content[0].text", equalTo("tok1 tok2 tok3"));
  }

  @Test
  void a_remote_image_at_an_internal_address_is_refused_before_bedrock() {
    post("""
                {"model": "claude-haiku", "input": [{"role": "user", "content": [
                  {"type": "input_text", "text": "What is it?"},
                  {"type": "input_image", "image_url": "http://169.254.169.254/latest/meta-data/cat.png"}]}]}
                """)
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_image_url"))
        .body("error.param", equalTo("input[0].content[1].image_url"));
    assertThat(simulator.requests()).isEmpty();
  }

  @Test
  void a_function_call_round_trip_through_the_wire() {
    String tools =
        "[{\"type\": \"function\", \"name\": \"get_weather\", \"parameters\": {\"type\": \"object\","
            + " \"properties\": {\"city\": {\"type\": \"string\"}}}}]";
    JsonNode first =
        json(
            post("{\"model\": \"claude-haiku\", \"tools\": "
                    + tools
                    + ", \"input\": \"Weather?\\n"
                    + "@sim tool=get_weather {\\\"city\\\": \\\"Paris\\\"}\"}")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    JsonNode call = first.path("output").get(0);
    assertThat(call.path("type").asText()).isEqualTo("function_call");
    assertThat(call.path("id").asText()).startsWith("fc_");
    assertThat(call.path("call_id").asText()).startsWith("tooluse_");
    assertThat(json(call.path("arguments").asText())).isEqualTo(json("{\"city\": \"Paris\"}"));
    String second =
        "{\"model\": \"claude-haiku\", \"tools\": "
            + tools
            + ", \"input\": ["
            + "{\"role\": \"user\", \"content\": \"Weather?\"}, "
            + call
            + ", "
            + "{\"type\": \"function_call_output\", \"call_id\": \""
            + call.path("call_id").asText()
            + "\", \"output\": \"18C and sunny\"}]}";
    post(second).then().statusCode(200).body("output[0].content[0].text", equalTo("18C and sunny"));
    JsonNode messages = simulator.lastRequest().body().path("messages");
    assertThat(messages.get(1).path("content").get(0).path("toolUse").path("toolUseId").asText())
        .isEqualTo(call.path("call_id").asText());
    assertThat(messages.get(2).path("content").get(0).path("toolResult").path("toolUseId").asText())
        .isEqualTo(call.path("call_id").asText());
  }
}
