package io.github.bedrockgateway.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/** Table tests: a Converse response in, the whole expected Responses API object out. */
class ConverseToResponsesTest {

  static final String ID = "resp_abc";
  static final ReasoningContentBlock SIGNED =
      ReasoningContentBlock.fromReasoningText(
          ReasoningTextBlock.builder().text("Think.").signature("c2ln").build());

  /**
   * The response object of a plain request, with {@code %s} for the status fields, output and
   * usage.
   */
  static final String SHELL =
      """
            {"id": "resp_abc", "object": "response", "created_at": 7, "status": "%s", "background": false,
             "error": null, "incomplete_details": %s, "instructions": null, "max_output_tokens": null,
             "max_tool_calls": null, "model": "gpt-4o", "output": %s, "parallel_tool_calls": true,
             "previous_response_id": null, "prompt_cache_key": null, "reasoning": {"effort": null, "summary": %s},
             "safety_identifier": null, "service_tier": "default", "store": true, "temperature": null,
             "text": {"format": {"type": "%s"}, "verbosity": "medium"}, "tool_choice": "auto", "tools": %s,
             "top_logprobs": 0, "top_p": null, "truncation": "disabled", "usage": %s, "user": null, "metadata": {}}
            """;

  static Stream<Arguments> answers() {
    String usage =
        "{\"input_tokens\": 5, \"input_tokens_details\": {\"cached_tokens\": 0, \"cache_write_tokens\": 0},"
            + " \"output_tokens\": 2, \"output_tokens_details\": {\"reasoning_tokens\": 0}, \"total_tokens\": 7}";
    String weather = "[{\"type\": \"function\", \"name\": \"get_weather\"}]";
    return Stream.of(
        Arguments.of(
            "a text answer is one message with one output_text",
            "{\"model\": \"gpt-4o\", \"input\": \"hi\"}",
            answer(StopReason.END_TURN, ContentBlock.fromText("Hello")),
            SHELL.formatted(
                "completed",
                "null",
                """
                                [{"id": "msg_abc_0", "type": "message", "status": "completed", "role": "assistant",
                                  "content": [{"type": "output_text", "annotations": [], "logprobs": [], "text": "Hello"}]}]
                                """,
                "null",
                "text",
                "[]",
                usage)),
        Arguments.of(
            "text then tool calls: one item each, in order; prompt tokens count the cache",
            "{\"model\": \"gpt-4o\", \"input\": \"hi\", \"tools\": " + weather + "}",
            ConverseResponse.builder()
                .stopReason(StopReason.TOOL_USE)
                .output(
                    o ->
                        o.message(
                            m ->
                                m.role(ConversationRole.ASSISTANT)
                                    .content(
                                        ContentBlock.fromText("Checking."),
                                        toolUse("tooluse_1", "get_weather", "{\"city\":\"Paris\"}"),
                                        toolUse("tooluse_2", "get_weather", "{}"))))
                .usage(
                    u ->
                        u.inputTokens(5)
                            .outputTokens(9)
                            .totalTokens(44)
                            .cacheReadInputTokens(20)
                            .cacheWriteInputTokens(10))
                .build(),
            SHELL.formatted(
                "completed",
                "null",
                """
                                [{"id": "msg_abc_0", "type": "message", "status": "completed", "role": "assistant",
                                  "content": [{"type": "output_text", "annotations": [], "logprobs": [], "text": "Checking."}]},
                                 {"id": "fc_abc_1", "type": "function_call", "status": "completed", "call_id": "tooluse_1",
                                  "name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"},
                                 {"id": "fc_abc_2", "type": "function_call", "status": "completed", "call_id": "tooluse_2",
                                  "name": "get_weather", "arguments": "{}"}]
                                """,
                "null",
                "text",
                weather,
                "{\"input_tokens\": 35, \"input_tokens_details\": {\"cached_tokens\": 20, \"cache_write_tokens\": 10},"
                    + " \"output_tokens\": 9, \"output_tokens_details\": {\"reasoning_tokens\": 0}, \"total_tokens\": 44}")),
        Arguments.of(
            "reasoning: summary when asked, sealed blocks when included; reasoning tokens estimated",
            "{\"model\": \"gpt-4o\", \"input\": \"hi\", \"reasoning\": {\"summary\": \"auto\"},"
                + " \"include\": [\"reasoning.encrypted_content\"]}",
            answer(
                StopReason.END_TURN,
                ContentBlock.fromReasoningContent(SIGNED),
                ContentBlock.fromText("Yes")),
            SHELL.formatted(
                "completed",
                "null",
                """
                                [{"id": "rs_abc_0", "type": "reasoning", "summary": [{"type": "summary_text", "text": "Think."}],
                                  "encrypted_content": "%s"},
                                 {"id": "msg_abc_1", "type": "message", "status": "completed", "role": "assistant",
                                  "content": [{"type": "output_text", "annotations": [], "logprobs": [], "text": "Yes"}]}]
                                """
                    .formatted(SignedReasoning.seal(List.of(SIGNED))),
                "\"auto\"",
                "text",
                "[]",
                usage.replace("\"reasoning_tokens\": 0", "\"reasoning_tokens\": 2"))),
        Arguments.of(
            "reasoning neither summarised nor included shows as an empty reasoning item",
            "{\"model\": \"gpt-4o\", \"input\": \"hi\"}",
            answer(
                StopReason.END_TURN,
                ContentBlock.fromReasoningContent(SIGNED),
                ContentBlock.fromReasoningContent(
                    ReasoningContentBlock.fromRedactedContent(SdkBytes.fromUtf8String("secret"))),
                ContentBlock.fromText("Yes")),
            SHELL.formatted(
                "completed",
                "null",
                """
                                [{"id": "rs_abc_0", "type": "reasoning", "summary": []},
                                 {"id": "rs_abc_1", "type": "reasoning", "summary": []},
                                 {"id": "msg_abc_2", "type": "message", "status": "completed", "role": "assistant",
                                  "content": [{"type": "output_text", "annotations": [], "logprobs": [], "text": "Yes"}]}]
                                """,
                "null",
                "text",
                "[]",
                usage.replace("\"reasoning_tokens\": 0", "\"reasoning_tokens\": 2"))),
        Arguments.of(
            "a free-form tool's call is a custom_tool_call with its raw input",
            "{\"model\": \"gpt-4o\", \"input\": \"hi\", \"tools\": [{\"type\": \"custom\", \"name\": \"apply_patch\"}]}",
            answer(
                StopReason.TOOL_USE,
                toolUse("tooluse_7", "apply_patch", "{\"input\":\"*** Begin Patch\\n\"}")),
            SHELL.formatted(
                "completed",
                "null",
                """
                                [{"id": "ctc_abc_0", "type": "custom_tool_call", "status": "completed", "call_id": "tooluse_7",
                                  "name": "apply_patch", "input": "*** Begin Patch\\n"}]
                                """,
                "null",
                "text",
                "[{\"type\": \"custom\", \"name\": \"apply_patch\"}]",
                usage)),
        Arguments.of(
            "structured output through the tool: its input is the message text; text beside it dropped",
            "{\"model\": \"gpt-4o\", \"input\": \"hi\", \"text\": {\"format\": {\"type\": \"json_object\"}}}",
            answer(
                StopReason.TOOL_USE,
                ContentBlock.fromText("Here you go:"),
                toolUse("tooluse_3", "json_object", "{\"a\":1}")),
            SHELL.formatted(
                "completed",
                "null",
                """
                                [{"id": "msg_abc_0", "type": "message", "status": "completed", "role": "assistant",
                                  "content": [{"type": "output_text", "annotations": [], "logprobs": [], "text": "{\\"a\\":1}"}]}]
                                """,
                "null",
                "json_object",
                "[]",
                usage)),
        Arguments.of(
            "the token limit leaves the response and its last message incomplete",
            "{\"model\": \"gpt-4o\", \"input\": \"hi\"}",
            answer(StopReason.MAX_TOKENS, ContentBlock.fromText("Once upon")),
            SHELL.formatted(
                "incomplete",
                "{\"reason\": \"max_output_tokens\"}",
                """
                                [{"id": "msg_abc_0", "type": "message", "status": "incomplete", "role": "assistant",
                                  "content": [{"type": "output_text", "annotations": [], "logprobs": [], "text": "Once upon"}]}]
                                """,
                "null",
                "text",
                "[]",
                usage)),
        Arguments.of(
            "a guardrail intervention is incomplete for content_filter",
            "{\"model\": \"gpt-4o\", \"input\": \"hi\"}",
            answer(
                StopReason.GUARDRAIL_INTERVENED,
                ContentBlock.fromText("Sorry, I can't help with that.")),
            SHELL.formatted(
                "incomplete",
                "{\"reason\": \"content_filter\"}",
                """
                                [{"id": "msg_abc_0", "type": "message", "status": "incomplete", "role": "assistant",
                                  "content": [{"type": "output_text", "annotations": [], "logprobs": [],
                                               "text": "Sorry, I can't help with that."}]}]
                                """,
                "null",
                "text",
                "[]",
                usage)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void writes_the_whole_expected_response_object(
      String name, String request, ConverseResponse answer, String expected) {
    ConverseToResponses.Result r = ConverseToResponses.response(answer, request(request), ID, 7);
    assertThat(json(r.json())).isEqualTo(json(expected));
  }

  @Test
  void echoes_the_request_settings_as_sent() {
    ResponsesRequest request =
        request(
            """
                {"model": "gpt-4o", "input": "hi", "instructions": "Be brief.", "max_output_tokens": 50,
                 "temperature": 0.5, "top_p": 0.9, "parallel_tool_calls": false, "metadata": {"k": "v"},
                 "tool_choice": "none", "store": false, "truncation": "auto", "user": "u1", "prompt_cache_key": "p",
                 "service_tier": "flex", "reasoning": {"effort": "minimal"}, "previous_response_id": null,
                 "text": {"verbosity": "low"}}
                """);
    JsonNode r =
        json(
            ConverseToResponses.response(
                    answer(StopReason.END_TURN, ContentBlock.fromText("ok")), request, ID, 7)
                .json());
    assertThat(r.get("instructions").asText()).isEqualTo("Be brief.");
    assertThat(r.get("max_output_tokens").asInt()).isEqualTo(50);
    assertThat(r.get("temperature").asDouble()).isEqualTo(0.5);
    assertThat(r.get("top_p").asDouble()).isEqualTo(0.9);
    assertThat(r.get("parallel_tool_calls").asBoolean()).isFalse();
    assertThat(r.get("metadata")).isEqualTo(json("{\"k\": \"v\"}"));
    assertThat(r.get("tool_choice").asText()).isEqualTo("none");
    assertThat(r.get("store").asBoolean()).isFalse();
    assertThat(r.get("truncation").asText()).isEqualTo("auto");
    assertThat(r.get("user").asText()).isEqualTo("u1");
    assertThat(r.get("prompt_cache_key").asText()).isEqualTo("p");
    assertThat(r.get("service_tier").asText()).isEqualTo("flex");
    assertThat(r.get("reasoning").get("effort").asText()).isEqualTo("minimal");
    assertThat(r.get("text"))
        .isEqualTo(json("{\"format\": {\"type\": \"text\"}, \"verbosity\": \"low\"}"));
  }

  @Test
  void the_tier_bedrock_reports_wins_over_the_one_asked_for() {
    ConverseResponse answer =
        answer(StopReason.END_TURN, ContentBlock.fromText("ok")).toBuilder()
            .serviceTier(t -> t.type("priority"))
            .build();
    JsonNode r =
        json(
            ConverseToResponses.response(
                    answer, request("{\"model\": \"m\", \"input\": \"x\"}"), ID, 7)
                .json());
    assertThat(r.get("service_tier").asText()).isEqualTo("priority");
  }

  @Test
  void
      a_stored_conversation_replays_the_output_as_input_items_with_the_sealed_reasoning_always_kept() {
    ResponsesRequest request =
        request(
            "{\"model\": \"gpt-4o\", \"input\": \"hi\", \"tools\": [{\"type\": \"custom\", \"name\": \"p\"}]}");
    ConverseToResponses.Result r =
        ConverseToResponses.response(
            answer(
                StopReason.TOOL_USE,
                ContentBlock.fromReasoningContent(SIGNED),
                ContentBlock.fromText("Patching."),
                toolUse("tooluse_1", "p", "{\"input\":\"diff\"}")),
            request,
            ID,
            7);
    assertThat(json(ResponseJson.conversation(request.conversation(), r.output())))
        .isEqualTo(
            json(
                """
                [{"type": "message", "role": "user", "content": "hi"},
                 {"type": "reasoning", "summary": [], "encrypted_content": "%s"},
                 {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Patching."}]},
                 {"type": "custom_tool_call", "call_id": "tooluse_1", "name": "p", "input": "diff"}]
                """
                    .formatted(SignedReasoning.seal(List.of(SIGNED)))));
  }

  @ParameterizedTest
  @EnumSource(StopReason.class)
  void every_stop_reason_ends_the_response_one_way(StopReason reason) {
    ConverseToResponses.Ending ending = ConverseToResponses.ending(reason);
    assertThat(ending).isNotNull();
    assertThat(ending.status).isIn("completed", "incomplete");
    assertThat(ending.incompleteReason == null).isEqualTo(ending.status.equals("completed"));
  }

  @Test
  void a_custom_call_that_ignored_its_schema_gives_the_client_what_the_model_wrote() {
    assertThat(ConverseToResponses.customInput(Document.mapBuilder().putNumber("x", 1).build()))
        .isEqualTo("{\"x\":1}");
    assertThat(ConverseToResponses.customInput("{\"input\": \"a\\nb\"}")).isEqualTo("a\nb");
    assertThat(ConverseToResponses.customInput("not json")).isEqualTo("not json");
  }

  // ---------------------------------------------------------------- fixtures

  static ResponsesRequest request(String json) {
    return ResponsesToConverse.translate(json(json), UnaryOperator.identity());
  }

  static ConverseResponse answer(StopReason reason, ContentBlock... blocks) {
    return ConverseResponse.builder()
        .stopReason(reason)
        .output(o -> o.message(m -> m.role(ConversationRole.ASSISTANT).content(blocks)))
        .usage(u -> u.inputTokens(5).outputTokens(2).totalTokens(7))
        .build();
  }

  static ContentBlock toolUse(String id, String name, String inputJson) {
    return ContentBlock.fromToolUse(
        ToolUseBlock.builder()
            .toolUseId(id)
            .name(name)
            .input(io.github.bedrockgateway.converse.Documents.fromJson(json(inputJson)))
            .build());
  }

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static JsonNode json(byte[] bytes) {
    return json(new String(bytes, StandardCharsets.UTF_8));
  }
}
