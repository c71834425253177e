package io.github.bedrockgateway.simulator;

import static io.github.bedrockgateway.simulator.SimulatorClients.DEV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * InvokeModel with Claude's Messages body through the real SDK client: Bedrock's body checks
 * (version, extraneous keys, betas), the Messages answer and Bedrock's headers, the directive
 * language (text, tool calls, thinking, redacted thinking, errors), token counts equal to
 * Converse's, and the request record.
 */
class BedrockSimulatorInvokeTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String OPUS = "us.anthropic.claude-opus-5-5";
  static final String TOOLS =
      "[{\"name\": \"get_weather\", \"description\": \"Weather\", \"input_schema\":"
          + " {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}}]";

  private static BedrockSimulator simulator;
  private static BedrockRuntimeClient client;

  @BeforeAll
  static void start() {
    simulator = new BedrockSimulator(SimulatorOptions.defaults());
    simulator.start();
    client = SimulatorClients.sync(simulator, DEV);
  }

  @AfterAll
  static void stop() {
    client.close();
    simulator.stop();
  }

  @BeforeEach
  void clear() {
    simulator.clearRequests();
  }

  /** A minimal valid body with one user turn, extra top-level fields merged in. */
  static ObjectNode body(String userText, String extraFields) throws Exception {
    ObjectNode body =
        (ObjectNode)
            JSON.readTree(
                "{\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 1000,"
                    + " \"messages\": [{\"role\": \"user\", \"content\": "
                    + JSON.writeValueAsString(userText)
                    + "}]}");
    if (!extraFields.isEmpty()) {
      body.setAll((ObjectNode) JSON.readTree("{" + extraFields + "}"));
    }
    return body;
  }

  private static JsonNode invoke(String modelId, JsonNode body) throws Exception {
    byte[] bytes = JSON.writeValueAsBytes(body);
    InvokeModelResponse response =
        client.invokeModel(r -> r.modelId(modelId).body(SdkBytes.fromByteArray(bytes)));
    return JSON.readTree(response.body().asByteArray());
  }

  @Test
  void answers_the_messages_response_with_bedrocks_token_headers() throws Exception {
    InvokeModelResponse response =
        client.invokeModel(
            r ->
                r.modelId(OPUS)
                    .contentType("application/json")
                    .accept("application/json")
                    .requestMetadata("{\"team\":\"search\"}")
                    .body(
                        SdkBytes.fromUtf8String(
                            "{\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 100,"
                                + " \"messages\": [{\"role\": \"user\", \"content\": \"Hello there\"}]}")));

    JsonNode message = JSON.readTree(response.body().asByteArray());
    assertThat(message.path("id").asText()).startsWith("msg_bdrk_");
    assertThat(message.path("type").asText()).isEqualTo("message");
    assertThat(message.path("role").asText()).isEqualTo("assistant");
    assertThat(message.path("model").asText()).isEqualTo("claude-opus-5-5");
    assertThat(message.path("content")).hasSize(1);
    assertThat(message.path("content").get(0).path("type").asText()).isEqualTo("text");
    assertThat(message.path("content").get(0).path("text").asText()).isEqualTo("Hello there");
    assertThat(message.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(message.get("stop_sequence").isNull()).isTrue();
    JsonNode usage = message.path("usage");
    assertThat(usage.path("input_tokens").asInt()).isEqualTo(3); // ceil(11 characters / 4)
    assertThat(usage.path("output_tokens").asInt()).isEqualTo(2);
    assertThat(usage.path("cache_creation_input_tokens").asInt()).isZero();
    assertThat(usage.path("cache_read_input_tokens").asInt()).isZero();
    assertThat(response.sdkHttpResponse().firstMatchingHeader("X-Amzn-Bedrock-Input-Token-Count"))
        .hasValue("3");
    assertThat(response.sdkHttpResponse().firstMatchingHeader("X-Amzn-Bedrock-Output-Token-Count"))
        .hasValue("2");
    assertThat(response.sdkHttpResponse().firstMatchingHeader("X-Amzn-Bedrock-Invocation-Latency"))
        .isPresent();
    assertThat(response.contentType()).isEqualTo("application/json");

    RecordedRequest seen = simulator.lastRequest();
    assertThat(seen.operation()).isEqualTo(RecordedRequest.INVOKE);
    assertThat(seen.modelId()).isEqualTo(OPUS);
    assertThat(seen.body().path("max_tokens").asInt()).isEqualTo(100);
    assertThat(seen.bodyText()).contains("\"Hello there\"");
    assertThat(seen.requestMetadata()).isEqualTo("{\"team\":\"search\"}");
    assertThat(seen.authScheme()).isEqualTo(RecordedRequest.AuthScheme.SIGV4);
    assertThat(seen.accessKeyId()).isEqualTo(SimulatorCredentials.DEV_ACCESS_KEY_ID);
    assertThat(seen.errorType()).isNull();
  }

  @Test
  void counts_tokens_as_converse_does_for_the_same_conversation() throws Exception {
    String text = "Summarise the plot of Hamlet in two sentences.\n@sim tokens=7";
    JsonNode message = invoke(SimulatorClients.CLAUDE, body(text, "\"system\": \"Be brief.\""));
    ConverseResponse converse =
        client.converse(
            SimulatorClients.converse(text).toBuilder().system(s -> s.text("Be brief.")).build());

    assertThat(message.path("usage").path("input_tokens").asInt())
        .isEqualTo(converse.usage().inputTokens());
    assertThat(message.path("usage").path("output_tokens").asInt())
        .isEqualTo(converse.usage().outputTokens())
        .isEqualTo(7);
    assertThat(message.path("content").get(0).path("text").asText())
        .isEqualTo("tok1 tok2 tok3 tok4 tok5 tok6 tok7");
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(
            "model and stream keys",
            "\"model\": \"claude-opus-5-5\", \"stream\": true",
            "Malformed input request: #: extraneous key [model] is not permitted, #: extraneous key [stream]"
                + " is not permitted, please reformat your input and try again."),
        Arguments.of(
            "the Anthropic API's version",
            "\"anthropic_version\": \"2023-06-01\"",
            "Invalid API version: 2023-06-01"),
        Arguments.of(
            "output_format",
            "\"output_format\": {\"type\": \"json_schema\"}",
            "#: extraneous key [output_format] is not permitted"),
        Arguments.of(
            "a zero max_tokens",
            "\"max_tokens\": 0",
            "#/max_tokens: 0 is not greater or equal to 1"),
        Arguments.of(
            "Claude Code's header beta in the body",
            "\"anthropic_beta\": [\"claude-code-20250219\"]",
            "invalid beta flag"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refuses_what_bedrock_refuses_with_its_message(String name, String fields, String message)
      throws Exception {
    ValidationException refused =
        catchThrowableOfType(ValidationException.class, () -> invoke(OPUS, body("hi", fields)));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.awsErrorDetails().errorMessage()).contains(message);
    assertThat(simulator.lastRequest().errorType())
        .isEqualTo(BedrockErrorType.VALIDATION_EXCEPTION);
  }

  @Test
  void max_tokens_and_messages_are_required() throws Exception {
    ValidationException refused =
        catchThrowableOfType(
            ValidationException.class,
            () -> invoke(OPUS, JSON.readTree("{\"anthropic_version\": \"bedrock-2023-05-31\"}")));
    assertThat(refused.awsErrorDetails().errorMessage())
        .isEqualTo(
            "Malformed input request: #: required key"
                + " [max_tokens] not found, #: required key [messages] not found, please reformat your input and try"
                + " again.");
  }

  @Test
  void accepts_every_known_beta_and_refuses_each_one_real_clients_send_that_bedrock_does_not_know()
      throws Exception {
    String accepted = JSON.writeValueAsString(List.copyOf(ClaudeOnBedrock.ACCEPTED_BETAS));
    assertThat(
            invoke(OPUS, body("ok", "\"anthropic_beta\": " + accepted))
                .path("content")
                .get(0)
                .path("text")
                .asText())
        .isEqualTo("ok");
    assertThat(ClaudeOnBedrock.ACCEPTED_BETAS)
        .contains(
            "interleaved-thinking-2025-05-14",
            "context-1m-2025-08-07",
            "context-management-2025-06-27",
            "tool-search-tool-2025-10-19",
            "effort-2025-11-24",
            "fine-grained-tool-streaming-2025-05-14",
            "token-efficient-tools-2025-02-19",
            "computer-use-2025-01-24",
            "output-128k-2025-02-19");
    for (String beta : ClaudeOnBedrock.REFUSED_BETAS_SEEN_IN_CLIENTS) {
      ValidationException refused =
          catchThrowableOfType(
              ValidationException.class,
              () ->
                  invoke(
                      OPUS,
                      body(
                          "hi",
                          "\"anthropic_beta\": [\"interleaved-thinking-2025-05-14\", \""
                              + beta
                              + "\"]")));
      assertThat(refused.awsErrorDetails().errorMessage())
          .as(beta)
          .isEqualTo(ClaudeOnBedrock.INVALID_BETA_FLAG);
    }
  }

  @Test
  void accepts_what_claude_code_sends_in_bedrock_mode() throws Exception {
    ObjectNode body =
        body(
            "What is 2+2?",
            "\"anthropic_beta\": [\"interleaved-thinking-2025-05-14\","
                + " \"tool-search-tool-2025-10-19\"], \"system\": [{\"type\": \"text\", \"text\": \"You are Claude Code.\","
                + " \"cache_control\": {\"type\": \"ephemeral\"}}], \"tools\": "
                + TOOLS
                + ", \"metadata\": {\"user_id\":"
                + " \"u1\"}, \"thinking\": {\"type\": \"adaptive\"}, \"output_config\": {\"effort\": \"medium\"},"
                + " \"context_management\": {\"edits\": []}");
    body.withArray("messages")
        .addObject()
        .put("role", "system")
        .put("content", "Reminder: be terse.");

    JsonNode message = invoke(OPUS, body);

    assertThat(message.path("content").get(0).path("type").asText()).isEqualTo("thinking");
    assertThat(message.path("content").get(1).path("text").asText()).isEqualTo("What is 2+2?");
    assertThat(message.path("usage").path("cache_creation_input_tokens").asInt()).isPositive();
  }

  @Test
  void tool_directives_answer_tool_use_blocks_and_the_tool_result_turn_is_echoed()
      throws Exception {
    ObjectNode first =
        body(
            "Weather in Paris?\n@sim tool=get_weather {\"city\": \"Paris\"}",
            "\"tools\": " + TOOLS);
    JsonNode call = invoke(OPUS, first);

    assertThat(call.path("stop_reason").asText()).isEqualTo("tool_use");
    JsonNode toolUse = call.path("content").get(0);
    assertThat(toolUse.path("type").asText()).isEqualTo("tool_use");
    assertThat(toolUse.path("id").asText()).startsWith("toolu_bdrk_");
    assertThat(toolUse.path("name").asText()).isEqualTo("get_weather");
    assertThat(toolUse.path("input")).isEqualTo(JSON.readTree("{\"city\": \"Paris\"}"));

    first
        .withArray("messages")
        .addObject()
        .put("role", "assistant")
        .set("content", call.path("content"));
    ObjectNode result = first.withArray("messages").addObject().put("role", "user");
    result
        .putArray("content")
        .addObject()
        .put("type", "tool_result")
        .put("tool_use_id", toolUse.path("id").asText())
        .put("content", "18 degrees and sunny");
    JsonNode answer = invoke(OPUS, first);
    assertThat(answer.path("content").get(0).path("text").asText())
        .isEqualTo("18 degrees and sunny");
    assertThat(answer.path("stop_reason").asText()).isEqualTo("end_turn");
  }

  @Test
  void a_json_reply_answers_a_forced_tool_as_the_structured_output_fallback_needs()
      throws Exception {
    JsonNode message =
        invoke(
            OPUS,
            body(
                "Extract.\n@sim reply={\"name\": \"Ada\", \"born\": 1815}",
                "\"tools\": [{\"name\": \"person\", \"input_schema\": {\"type\": \"object\"}}],"
                    + " \"tool_choice\": {\"type\": \"tool\", \"name\": \"person\"}"));
    assertThat(message.path("content")).hasSize(1);
    assertThat(message.path("content").get(0).path("input"))
        .isEqualTo(JSON.readTree("{\"name\": \"Ada\", \"born\": 1815}"));
  }

  @Test
  void thinking_comes_first_signed_and_is_checked_when_sent_back() throws Exception {
    ObjectNode request =
        body(
            "@sim thinking=Four, obviously.\n@sim reply=4",
            "\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 1024}, \"max_tokens\": 2048");
    JsonNode message = invoke(OPUS, request);
    JsonNode thinking = message.path("content").get(0);
    assertThat(thinking.path("type").asText()).isEqualTo("thinking");
    assertThat(thinking.path("thinking").asText()).isEqualTo("Four, obviously.");
    assertThat(thinking.path("signature").asText()).isNotBlank();
    assertThat(message.path("content").get(1).path("text").asText()).isEqualTo("4");

    ((ObjectNode) thinking).put("signature", "forged");
    request
        .withArray("messages")
        .addObject()
        .put("role", "assistant")
        .set("content", message.path("content"));
    request.withArray("messages").addObject().put("role", "user").put("content", "And 3+3?");
    ValidationException refused =
        catchThrowableOfType(ValidationException.class, () -> invoke(OPUS, request));
    assertThat(refused.awsErrorDetails().errorMessage())
        .contains("Invalid `signature` in `thinking` block");
  }

  @Test
  void redacted_thinking_is_an_opaque_block() throws Exception {
    JsonNode message = invoke(OPUS, body("@sim redacted-thinking\n@sim reply=Done.", ""));
    assertThat(message.path("content").get(0).path("type").asText()).isEqualTo("redacted_thinking");
    assertThat(message.path("content").get(0).path("data").asText()).isNotBlank();
    assertThat(message.path("content").get(1).path("text").asText()).isEqualTo("Done.");
  }

  @Test
  void error_directives_answer_before_any_byte() throws Exception {
    ThrottlingException throttled =
        catchThrowableOfType(
            ThrottlingException.class, () -> invoke(OPUS, body("@sim error=too-many-tokens", "")));
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.awsErrorDetails().errorMessage())
        .isEqualTo("Too many tokens, please wait before trying again.");
    assertThat(simulator.lastRequest().errorType())
        .isEqualTo(BedrockErrorType.THROTTLING_EXCEPTION);
  }

  @Test
  void stop_sequences_cut_the_reply_and_name_the_sequence() throws Exception {
    JsonNode message =
        invoke(OPUS, body("@sim reply=one two END three", "\"stop_sequences\": [\"END\"]"));
    assertThat(message.path("content").get(0).path("text").asText()).isEqualTo("one two ");
    assertThat(message.path("stop_reason").asText()).isEqualTo("stop_sequence");
    assertThat(message.path("stop_sequence").asText()).isEqualTo("END");
  }

  @Test
  void an_application_inference_profile_of_claude_is_claude() throws Exception {
    String arn =
        "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3x9q2example";
    JsonNode message = invoke(arn, body("hi", ""));
    assertThat(message.path("model").asText()).isEqualTo("claude-sonnet-4-20250514");
    assertThat(simulator.lastRequest().modelId()).isEqualTo(arn);
  }

  @Test
  void other_text_models_are_refused() throws Exception {
    ValidationException refused =
        catchThrowableOfType(
            ValidationException.class, () -> invoke("amazon.nova-pro-v1:0", body("hi", "")));
    assertThat(refused.awsErrorDetails().errorMessage())
        .contains("use Converse for amazon.nova-pro-v1:0");
  }
}
