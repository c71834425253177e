package io.github.bedrockgateway.openai.chat;

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
import io.github.bedrockgateway.simulator.SimulatorCredentials;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole path: HTTP in, the real AWS SDK client signing and calling the in-repo Bedrock
 * simulator, the answer translated back. Asserts both what the simulator received and what the
 * client got.
 */
@QuarkusTest
class ChatCompletionsEndToEndTest {

  static final String KEY = "test-key-1";

  @Inject EmbeddedSimulator embedded;

  BedrockSimulator simulator;

  @BeforeEach
  void reset() {
    simulator = embedded.simulator();
    simulator.clearRequests();
  }

  static Response chat(String body) {
    return given()
        .header("Authorization", "Bearer " + KEY)
        .contentType("application/json")
        .body(body)
        .when()
        .post("/v1/chat/completions");
  }

  @Test
  void answers_a_chat_completion_in_openai_shape_and_sends_the_translated_request_signed()
      throws Exception {
    Response r =
        chat(
            """
                {"model": "gpt-4o", "max_tokens": 50, "temperature": 0.2,
                 "messages": [{"role": "system", "content": "Be brief."},
                              {"role": "user", "content": "@sim reply=Hello there, friend."}]}
                """);
    r.then()
        .statusCode(200)
        .contentType("application/json")
        .header("x-request-id", notNullValue())
        .header("x-bedrock-request-id", notNullValue())
        .body("id", startsWith("chatcmpl-"))
        .body("object", equalTo("chat.completion"))
        .body("model", equalTo("gpt-4o"))
        .body("choices[0].index", equalTo(0))
        .body("choices[0].message.role", equalTo("assistant"))
        .body("choices[0].message.content", equalTo("Hello there, friend."))
        .body("choices[0].finish_reason", equalTo("stop"))
        .body("choices[0].logprobs", nullValue())
        .body("usage.completion_tokens", equalTo(3))
        .body("usage.prompt_tokens_details.cached_tokens", equalTo(0));
    JsonNode answer = Json.MAPPER.readTree(r.asString());
    assertThat(answer.path("created").asLong()).isPositive();
    assertThat(answer.path("usage").path("total_tokens").asInt())
        .isEqualTo(
            answer.path("usage").path("prompt_tokens").asInt()
                + answer.path("usage").path("completion_tokens").asInt());

    RecordedRequest received = simulator.lastRequest();
    assertThat(received.operation()).isEqualTo(RecordedRequest.CONVERSE);
    assertThat(received.modelId()).isEqualTo("us.anthropic.claude-sonnet-4-20250514-v1:0");
    assertThat(received.rawPath())
        .isEqualTo("/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse");
    assertThat(received.accessKeyId()).isEqualTo(SimulatorCredentials.DEV_ACCESS_KEY_ID);
    assertThat(received.errorType()).isNull();
    assertThat(received.body())
        .isEqualTo(
            Json.MAPPER.readTree(
                """
                {"messages": [{"role": "user", "content": [{"text": "@sim reply=Hello there, friend."}]}],
                 "system": [{"text": "Be brief."}],
                 "inferenceConfig": {"maxTokens": 50, "temperature": 0.2},
                 "requestMetadata": {"gateway-key": "key-1", "gateway-request-id": "%s"}}
                """
                    .formatted(r.header("x-request-id"))));
  }

  @Test
  void reports_cache_reads_and_writes_in_usage() {
    chat("""
                {"model": "claude-haiku", "messages": [{"role": "user", "content": "@sim cache-read=100\\n@sim cache-write=40\\nhi"}]}
                """)
        .then()
        .statusCode(200)
        .body("usage.prompt_tokens_details.cached_tokens", equalTo(100))
        .body("usage.prompt_tokens_details.cache_write_tokens", equalTo(40));
  }

  @Test
  void unknown_model_names_pass_through_as_bedrock_model_ids() {
    chat("""
                {"model": "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123",
                 "messages": [{"role": "user", "content": "hi"}]}
                """)
        .then()
        .statusCode(200)
        .body(
            "model",
            equalTo("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123"));
    assertThat(simulator.lastRequest().modelId())
        .isEqualTo("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123");
  }

  static Stream<Arguments> bedrockErrors() {
    return Stream.of(
        Arguments.of("ValidationException", 400, "invalid_request_error", null),
        Arguments.of("invalid-model", 404, "not_found_error", "model_not_found"),
        Arguments.of("ResourceNotFoundException", 404, "not_found_error", "model_not_found"),
        Arguments.of("AccessDeniedException", 403, "permission_error", "model_access_denied"),
        Arguments.of("ThrottlingException", 429, "rate_limit_error", "rate_limit_exceeded"),
        Arguments.of(
            "ServiceQuotaExceededException", 429, "rate_limit_error", "insufficient_quota"),
        Arguments.of("ModelNotReadyException", 503, "server_error", "model_not_ready"),
        Arguments.of("ConflictException", 400, "invalid_request_error", null),
        Arguments.of("ModelTimeoutException", 504, "server_error", "model_timeout"),
        Arguments.of("ModelErrorException", 502, "api_error", "model_error"),
        Arguments.of("ModelStreamErrorException", 502, "api_error", "model_error"),
        Arguments.of("InternalServerException", 502, "api_error", "upstream_error"),
        Arguments.of("ServiceUnavailableException", 503, "server_error", "upstream_unavailable"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("bedrockErrors")
  void maps_each_bedrock_error_to_a_deliberate_status_and_envelope(
      String type, int status, String openAiType, String code) throws Exception {
    Response r =
        chat(
            "{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"@sim error="
                + type
                + "\"}]}");
    r.then().statusCode(status).contentType("application/json");
    JsonNode error = Json.MAPPER.readTree(r.asString()).path("error");
    assertThat(error.path("type").asText()).isEqualTo(openAiType);
    assertThat(error.path("code").isNull() ? null : error.path("code").asText()).isEqualTo(code);
    assertThat(error.has("param")).isTrue();
    String bedrockRequestId = r.header("x-bedrock-request-id");
    assertThat(bedrockRequestId).isNotBlank();
    assertThat(error.path("message").asText()).contains(bedrockRequestId);
    if (status == 429 || status == 503) {
      assertThat(r.header("Retry-After")).isNotBlank();
    }
    assertThat(simulator.requests()).hasSize(1);
  }

  @Test
  void a_missing_or_wrong_key_is_refused_with_401_and_never_reaches_bedrock() {
    String body =
        "{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
    given()
        .contentType("application/json")
        .body(body)
        .when()
        .post("/v1/chat/completions")
        .then()
        .statusCode(401)
        .body("error.type", equalTo("authentication_error"))
        .body("error.code", equalTo("invalid_api_key"));
    given()
        .header("Authorization", "Bearer not-a-key")
        .contentType("application/json")
        .body(body)
        .when()
        .post("/v1/chat/completions")
        .then()
        .statusCode(401)
        .body("error.code", equalTo("invalid_api_key"))
        .body(
            "error.message",
            org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("not-a-key")));
    given()
        .header("Authorization", "Basic dGVzdC1rZXktMQ==")
        .contentType("application/json")
        .body(body)
        .when()
        .post("/v1/chat/completions")
        .then()
        .statusCode(401);
    given().when().get("/v1/models").then().statusCode(401);
    assertThat(simulator.requests()).isEmpty();
  }

  @Test
  void a_key_configured_as_a_sha256_digest_is_accepted() {
    given()
        .header("Authorization", "Bearer team-a-secret-key")
        .contentType("application/json")
        .body("{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
        .when()
        .post("/v1/chat/completions")
        .then()
        .statusCode(200);
  }

  @Test
  void bad_input_gets_a_400_naming_the_param_and_bedrock_is_never_called() {
    chat("{\"model\": \"gpt-4o\", \"messages\": [")
        .then()
        .statusCode(400)
        .body("error.type", equalTo("invalid_request_error"))
        .body("error.message", startsWith("We could not parse the JSON body"));
    chat("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
        .then()
        .statusCode(400)
        .body("error.param", equalTo("model"));
    chat("{\"model\": \"gpt-4o\"}").then().statusCode(400).body("error.param", equalTo("messages"));
    chat("{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"n\": 3}")
        .then()
        .statusCode(400)
        .body("error.param", equalTo("n"));
    chat("{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": \"many\"}")
        .then()
        .statusCode(400)
        .body("error.param", equalTo("max_tokens"));
    chat("").then().statusCode(400);
    chat("[".repeat(200) + "]".repeat(200))
        .then()
        .statusCode(400)
        .body("error.message", org.hamcrest.Matchers.containsString("nests"));
    given()
        .header("Authorization", "Bearer " + KEY)
        .contentType("text/plain")
        .body("hello")
        .when()
        .post("/v1/chat/completions")
        .then()
        .statusCode(415)
        .body("error.type", equalTo("invalid_request_error"));
    given()
        .header("Authorization", "Bearer " + KEY)
        .when()
        .get("/v1/chat/completions")
        .then()
        .statusCode(405);
    given()
        .header("Authorization", "Bearer " + KEY)
        .when()
        .get("/v1/nothing-here")
        .then()
        .statusCode(404)
        .body("error.type", equalTo("not_found_error"));
    assertThat(simulator.requests()).isEmpty();
  }

  @Test
  void lists_and_gets_configured_models() {
    given()
        .header("Authorization", "Bearer " + KEY)
        .when()
        .get("/v1/models")
        .then()
        .statusCode(200)
        .body("object", equalTo("list"))
        .body("data[0].id", equalTo("gpt-4o"))
        .body("data[0].object", equalTo("model"))
        .body("data[0].owned_by", equalTo("anthropic"))
        .body("data[1].id", equalTo("claude-haiku"));
    given()
        .header("Authorization", "Bearer " + KEY)
        .when()
        .get("/v1/models/claude-haiku")
        .then()
        .statusCode(200)
        .body("id", equalTo("claude-haiku"))
        .body("object", equalTo("model"));
    given()
        .header("Authorization", "Bearer " + KEY)
        .when()
        .get("/v1/models/nope")
        .then()
        .statusCode(404)
        .body("error.code", equalTo("model_not_found"));
  }

  @Test
  void health_endpoints_need_no_key() {
    given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }
}
