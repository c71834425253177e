package io.github.bedrockgateway.simulator;

import static io.github.bedrockgateway.simulator.SimulatorClients.CLAUDE;
import static io.github.bedrockgateway.simulator.SimulatorClients.DEV;
import static io.github.bedrockgateway.simulator.SimulatorClients.assistant;
import static io.github.bedrockgateway.simulator.SimulatorClients.converse;
import static io.github.bedrockgateway.simulator.SimulatorClients.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ConflictException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** Converse through the real SDK sync client (URLConnection transport) against the simulator. */
class BedrockSimulatorConverseTest {

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

  @Test
  void echoes_the_last_user_message_with_end_turn_and_usage() {
    ConverseResponse response = client.converse(converse("Hello there, simulator"));

    assertThat(response.output().message().role()).isEqualTo(ConversationRole.ASSISTANT);
    assertThat(response.output().message().content())
        .extracting(ContentBlock::text)
        .containsExactly("Hello there, simulator");
    assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
    // 22 characters of input -> ceil(22 / 4) = 6 tokens; 3 words out.
    assertThat(response.usage().inputTokens()).isEqualTo(6);
    assertThat(response.usage().outputTokens()).isEqualTo(3);
    assertThat(response.usage().totalTokens()).isEqualTo(9);
    assertThat(response.usage().cacheReadInputTokens()).isNull();
    assertThat(response.usage().cacheWriteInputTokens()).isNull();
    assertThat(response.metrics().latencyMs()).isPositive();
    assertThat(response.responseMetadata().requestId()).matches("[0-9a-f-]{36}");
  }

  @Test
  void records_the_request_with_decoded_model_id_signing_key_and_body() {
    client.converse(converse("record me"));

    RecordedRequest seen = simulator.lastRequest();
    assertThat(seen.operation()).isEqualTo("converse");
    assertThat(seen.modelId()).isEqualTo(CLAUDE);
    assertThat(seen.rawPath())
        .isEqualTo("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse");
    assertThat(seen.accessKeyId()).isEqualTo(SimulatorCredentials.DEV_ACCESS_KEY_ID);
    assertThat(seen.errorType()).isNull();
    assertThat(seen.header("AUTHORIZATION"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/");
    assertThat(seen.body().at("/messages/0/content/0/text").asText()).isEqualTo("record me");
    assertThat(seen.clientCancelled()).isCompletedWithValue(false);
  }

  @Test
  void echo_strips_directive_lines_and_counts_system_text_as_input() {
    ConverseRequest request =
        ConverseRequest.builder()
            .modelId(CLAUDE)
            .system(SystemContentBlock.fromText("12345678"))
            .messages(
                user("@sim echo\nline one\n@sim cache-read=100\nline two\n@sim cache-write=20"))
            .build();

    ConverseResponse response = client.converse(request);

    assertThat(response.output().message().content().get(0).text()).isEqualTo("line one\nline two");
    // 8 system characters + 67 message characters (directive lines included) = 75 -> 19 input
    // tokens.
    assertThat(response.usage().inputTokens()).isEqualTo(19);
    assertThat(response.usage().outputTokens()).isEqualTo(4);
    assertThat(response.usage().cacheReadInputTokens()).isEqualTo(100);
    assertThat(response.usage().cacheWriteInputTokens()).isEqualTo(20);
    assertThat(response.usage().totalTokens()).isEqualTo(19 + 4 + 100 + 20);
  }

  @Test
  void reply_and_tokens_directives_choose_the_text() {
    assertThat(
            client
                .converse(converse("ignored\n@sim reply=Exactly this, please."))
                .output()
                .message()
                .content()
                .get(0)
                .text())
        .isEqualTo("Exactly this, please.");

    ConverseResponse tokens = client.converse(converse("@sim tokens=5"));
    assertThat(tokens.output().message().content().get(0).text())
        .isEqualTo("tok1 tok2 tok3 tok4 tok5");
    assertThat(tokens.usage().outputTokens()).isEqualTo(5);
  }

  @Test
  void tool_directives_become_parallel_tool_use_blocks_after_the_text() {
    ConverseResponse response =
        client.converse(
            converse(
                """
                @sim reply=Let me check both cities.
                @sim tool=get_weather {"city": "Paris", "unit": "celsius"}
                @sim tool=get_weather {"city": "Oslo"}"""));

    List<ContentBlock> content = response.output().message().content();
    assertThat(content).hasSize(3);
    assertThat(content.get(0).text()).isEqualTo("Let me check both cities.");
    ToolUseBlock paris = content.get(1).toolUse();
    ToolUseBlock oslo = content.get(2).toolUse();
    assertThat(paris.name()).isEqualTo("get_weather");
    assertThat(paris.input())
        .isEqualTo(
            Document.fromMap(
                Map.of(
                    "city", Document.fromString("Paris"), "unit", Document.fromString("celsius"))));
    assertThat(oslo.input().asMap().get("city").asString()).isEqualTo("Oslo");
    assertThat(paris.toolUseId()).startsWith("tooluse_").hasSize(30).isNotEqualTo(oslo.toolUseId());
    assertThat(response.stopReason()).isEqualTo(StopReason.TOOL_USE);
    // 5 words + ceil(34 / 4) + ceil(15 / 4) argument tokens.
    assertThat(response.usage().outputTokens()).isEqualTo(5 + 9 + 4);

    ConverseResponse again =
        client.converse(
            converse(
                """
                @sim reply=Let me check both cities.
                @sim tool=get_weather {"city": "Paris", "unit": "celsius"}
                @sim tool=get_weather {"city": "Oslo"}"""));
    assertThat(again.output().message().content().get(1).toolUse().toolUseId())
        .isEqualTo(paris.toolUseId());
  }

  @Test
  void a_tool_call_alone_has_no_text_block_and_the_tool_result_turn_echoes_the_result() {
    ConverseResponse call =
        client.converse(
            converse("What is the weather?\n@sim tool=get_weather {\"city\":\"Paris\"}"));
    assertThat(call.output().message().content()).hasSize(1);
    ToolUseBlock toolUse = call.output().message().content().get(0).toolUse();

    ConverseRequest followUp =
        ConverseRequest.builder()
            .modelId(CLAUDE)
            .messages(
                user("What is the weather?\n@sim tool=get_weather {\"city\":\"Paris\"}"),
                call.output().message(),
                Message.builder()
                    .role(ConversationRole.USER)
                    .content(
                        ContentBlock.fromToolResult(
                            ToolResultBlock.builder()
                                .toolUseId(toolUse.toolUseId())
                                .content(ToolResultContentBlock.fromText("Sunny, 24 C"))
                                .build()))
                    .build())
            .build();
    ConverseResponse answer = client.converse(followUp);

    assertThat(answer.output().message().content().get(0).text()).isEqualTo("Sunny, 24 C");
    assertThat(answer.stopReason()).isEqualTo(StopReason.END_TURN);
  }

  @Test
  void reasoning_comes_first_with_a_deterministic_signature() {
    ConverseResponse response =
        client.converse(converse("@sim reasoning=Think about it twice.\n@sim reply=Done."));

    List<ContentBlock> content = response.output().message().content();
    assertThat(content).hasSize(2);
    assertThat(content.get(0).reasoningContent().reasoningText().text())
        .isEqualTo("Think about it twice.");
    assertThat(content.get(0).reasoningContent().reasoningText().signature()).isNotBlank();
    assertThat(content.get(1).text()).isEqualTo("Done.");
    assertThat(response.usage().outputTokens()).isEqualTo(1 + 4);
    assertThat(
            client
                .converse(converse("@sim reasoning=Think about it twice.\n@sim reply=Done."))
                .output()
                .message()
                .content()
                .get(0)
                .reasoningContent()
                .reasoningText()
                .signature())
        .isEqualTo(content.get(0).reasoningContent().reasoningText().signature());
  }

  @Test
  void stop_directive_forces_any_stop_reason() {
    for (String reason : Directives.STOP_REASONS) {
      ConverseResponse response = client.converse(converse("hi\n@sim stop=" + reason));
      assertThat(response.stopReasonAsString()).isEqualTo(reason);
      assertThat(response.stopReason()).isNotEqualTo(StopReason.UNKNOWN_TO_SDK_VERSION);
    }
  }

  @Test
  void max_tokens_cuts_the_reply_to_that_many_words() {
    ConverseRequest request =
        converse("@sim tokens=10").toBuilder().inferenceConfig(c -> c.maxTokens(3)).build();

    ConverseResponse response = client.converse(request);

    assertThat(response.output().message().content().get(0).text()).isEqualTo("tok1 tok2 tok3");
    assertThat(response.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
    assertThat(response.usage().outputTokens()).isEqualTo(3);
  }

  @Test
  void stop_sequences_cut_before_the_earliest_match() {
    ConverseRequest request =
        converse("@sim reply=alpha beta STOP gamma END delta").toBuilder()
            .inferenceConfig(c -> c.stopSequences("END", "STOP"))
            .build();

    ConverseResponse response = client.converse(request);

    assertThat(response.output().message().content().get(0).text()).isEqualTo("alpha beta ");
    assertThat(response.stopReason()).isEqualTo(StopReason.STOP_SEQUENCE);
  }

  @Test
  void model_ids_with_colons_and_inference_profile_arns_are_routed_and_decoded() {
    String arn =
        "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6";
    for (String modelId : List.of("us.anthropic.claude-sonnet-4-20250514-v1:0", arn)) {
      ConverseResponse response =
          client.converse(converse("routed").toBuilder().modelId(modelId).build());
      assertThat(response.output().message().content().get(0).text()).isEqualTo("routed");
      assertThat(simulator.lastRequest().modelId()).isEqualTo(modelId);
    }
    assertThat(simulator.lastRequest().rawPath())
        .isEqualTo(
            "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fa1b2c3d4e5f6"
                + "/converse");
  }

  static Stream<Arguments> scripted_errors() {
    return Stream.of(
        Arguments.of("ValidationException", ValidationException.class, 400),
        Arguments.of("ServiceQuotaExceededException", ServiceQuotaExceededException.class, 400),
        Arguments.of("ConflictException", ConflictException.class, 400),
        Arguments.of("AccessDeniedException", AccessDeniedException.class, 403),
        Arguments.of("ResourceNotFoundException", ResourceNotFoundException.class, 404),
        Arguments.of("ModelTimeoutException", ModelTimeoutException.class, 408),
        Arguments.of("ModelErrorException", ModelErrorException.class, 424),
        Arguments.of("ModelStreamErrorException", ModelStreamErrorException.class, 424),
        Arguments.of("ThrottlingException", ThrottlingException.class, 429),
        Arguments.of("ModelNotReadyException", ModelNotReadyException.class, 429),
        Arguments.of("InternalServerException", InternalServerException.class, 500),
        Arguments.of("ServiceUnavailableException", ServiceUnavailableException.class, 503));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripted_errors")
  void error_directive_surfaces_as_the_sdk_exception_with_its_status(
      String type, Class<? extends BedrockRuntimeException> exception, int status) {
    BedrockRuntimeException thrown =
        catchThrowableOfType(exception, () -> client.converse(converse("@sim error=" + type)));

    assertThat(thrown.statusCode()).isEqualTo(status);
    assertThat(thrown.awsErrorDetails().errorCode()).isEqualTo(type);
    assertThat(thrown.awsErrorDetails().errorMessage())
        .isEqualTo(BedrockErrorType.fromName(type).orElseThrow().defaultMessage());
    assertThat(thrown.requestId()).matches("[0-9a-f-]{36}");
    assertThat(simulator.lastRequest().errorType().wireName()).isEqualTo(type);
  }

  @Test
  void error_directives_carry_the_real_messages_and_custom_ones() {
    assertThat(
            catchThrowableOfType(
                    ThrottlingException.class,
                    () -> client.converse(converse("@sim error=throttling")))
                .awsErrorDetails()
                .errorMessage())
        .isEqualTo("Too many requests, please wait before trying again.");
    ValidationException invalidModel =
        catchThrowableOfType(
            ValidationException.class, () -> client.converse(converse("@sim error=invalid-model")));
    assertThat(invalidModel.statusCode()).isEqualTo(400);
    assertThat(invalidModel.awsErrorDetails().errorMessage())
        .isEqualTo("The provided model identifier is invalid.");
    assertThat(
            catchThrowableOfType(
                    ValidationException.class,
                    () -> client.converse(converse("@sim error=inference-profile-required")))
                .awsErrorDetails()
                .errorMessage())
        .isEqualTo(
            "Invocation of model ID "
                + CLAUDE
                + " with on-demand throughput isn't supported. Retry your"
                + " request with the ID or ARN of an inference profile that contains this model.");
    assertThat(
            catchThrowableOfType(
                    ThrottlingException.class,
                    () ->
                        client.converse(
                            converse(
                                "@sim error=ThrottlingException\n@sim error-message=Too many tokens!")))
                .awsErrorDetails()
                .errorMessage())
        .isEqualTo("Too many tokens!");
  }

  @Test
  void rejects_conversations_bedrock_rejects() {
    ValidationException emptyText =
        catchThrowableOfType(
            ValidationException.class,
            () ->
                client.converse(
                    ConverseRequest.builder().modelId(CLAUDE).messages(user("")).build()));
    assertThat(emptyText.statusCode()).isEqualTo(400);
    assertThat(emptyText.awsErrorDetails().errorMessage())
        .isEqualTo(
            "The text field in the ContentBlock object at"
                + " messages.0.content.0 is blank. Add text to the text field, and try again.");

    assertThat(
            catchThrowableOfType(
                    ValidationException.class,
                    () ->
                        client.converse(
                            ConverseRequest.builder()
                                .modelId(CLAUDE)
                                .messages(
                                    Message.builder()
                                        .role(ConversationRole.USER)
                                        .content(List.of())
                                        .build())
                                .build()))
                .awsErrorDetails()
                .errorMessage())
        .isEqualTo(
            "The content field in the Message object at"
                + " messages.0 is empty. Add a ContentBlock object to the content field and try again.");

    assertThat(
            catchThrowableOfType(
                    ValidationException.class,
                    () ->
                        client.converse(
                            ConverseRequest.builder()
                                .modelId(CLAUDE)
                                .messages(assistant("hi"), user("hello"))
                                .build()))
                .awsErrorDetails()
                .errorMessage())
        .isEqualTo(
            "A conversation must start with a user message. Try again with a conversation that starts"
                + " with a user message.");

    assertThat(
            catchThrowableOfType(
                    ValidationException.class,
                    () ->
                        client.converse(
                            ConverseRequest.builder()
                                .modelId(CLAUDE)
                                .messages(user("one"), user("two"))
                                .build()))
                .awsErrorDetails()
                .errorMessage())
        .isEqualTo(
            "A conversation must alternate between user and assistant roles. Make sure the conversation"
                + " alternates between user and assistant roles and try again.");
  }

  @Test
  void an_unknown_directive_is_a_validation_error_naming_it() {
    ValidationException thrown =
        catchThrowableOfType(
            ValidationException.class, () -> client.converse(converse("@sim tokns=3")));
    assertThat(thrown.awsErrorDetails().errorMessage()).contains("'@sim tokns'");
  }

  @Test
  void latency_delays_the_answer() {
    long start = System.nanoTime();
    ConverseResponse response = client.converse(converse("slow\n@sim latency=300"));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(elapsedMs).isGreaterThanOrEqualTo(300);
    assertThat(response.metrics().latencyMs()).isGreaterThanOrEqualTo(300);
  }
}
