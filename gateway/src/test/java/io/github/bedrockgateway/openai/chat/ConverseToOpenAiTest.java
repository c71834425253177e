package io.github.bedrockgateway.openai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.json.Json;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

class ConverseToOpenAiTest {

  private static final Set<String> OPENAI_FINISH_REASONS =
      Set.of("stop", "length", "tool_calls", "content_filter");

  @ParameterizedTest
  @EnumSource(StopReason.class)
  void maps_every_stop_reason_to_an_openai_finish_reason(StopReason reason) {
    assertThat(ConverseToOpenAi.finishReason(reason)).isIn(OPENAI_FINISH_REASONS);
  }

  @Test
  void maps_stop_reasons_deliberately() {
    assertThat(ConverseToOpenAi.finishReason(StopReason.END_TURN)).isEqualTo("stop");
    assertThat(ConverseToOpenAi.finishReason(StopReason.STOP_SEQUENCE)).isEqualTo("stop");
    assertThat(ConverseToOpenAi.finishReason(StopReason.TOOL_USE)).isEqualTo("tool_calls");
    assertThat(ConverseToOpenAi.finishReason(StopReason.MAX_TOKENS)).isEqualTo("length");
    assertThat(ConverseToOpenAi.finishReason(StopReason.MODEL_CONTEXT_WINDOW_EXCEEDED))
        .isEqualTo("length");
    assertThat(ConverseToOpenAi.finishReason(StopReason.GUARDRAIL_INTERVENED))
        .isEqualTo("content_filter");
    assertThat(ConverseToOpenAi.finishReason(StopReason.CONTENT_FILTERED))
        .isEqualTo("content_filter");
    assertThat(ConverseToOpenAi.finishReason(null)).isEqualTo("stop");
    // a value from a newer service model that this SDK does not know
    assertThat(ConverseToOpenAi.finishReason(StopReason.fromValue("something_new")))
        .isEqualTo("stop");
    assertThat(EnumSet.allOf(StopReason.class)).hasSize(10);
  }

  @Test
  void
      writes_the_whole_chat_completion_with_cache_tokens_counted_in_prompt_tokens_and_reasoning_estimated()
          throws Exception {
    ConverseResponse response =
        ConverseResponse.builder()
            .output(
                o ->
                    o.message(
                        m ->
                            m.role(ConversationRole.ASSISTANT)
                                .content(
                                    ContentBlock.fromReasoningContent(
                                        ReasoningContentBlock.fromReasoningText(
                                            ReasoningTextBlock.builder()
                                                .text("thinking")
                                                .signature("sig")
                                                .build())),
                                    ContentBlock.fromText("Hello "),
                                    ContentBlock.fromText("world"))))
            .stopReason(StopReason.END_TURN)
            .usage(
                TokenUsage.builder()
                    .inputTokens(10)
                    .outputTokens(5)
                    .totalTokens(45)
                    .cacheReadInputTokens(20)
                    .cacheWriteInputTokens(10)
                    .build())
            .build();
    JsonNode actual =
        Json.MAPPER.readTree(
            ConverseToOpenAi.completion(response, "chatcmpl-1", 1700000000L, "gpt-4o"));
    JsonNode expected =
        Json.MAPPER.readTree(
            """
                {"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "gpt-4o",
                 "choices": [{"index": 0,
                   "message": {"role": "assistant", "content": "Hello world", "reasoning_content": "thinking", "refusal": null},
                   "logprobs": null, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 40, "completion_tokens": 5, "total_tokens": 45,
                   "prompt_tokens_details": {"cached_tokens": 20, "cache_write_tokens": 10},
                   "completion_tokens_details": {"reasoning_tokens": 2}}}
                """);
    // "thinking": 8 characters, so ceil(8 / 4) = 2 reasoning tokens out of the 5 Bedrock counted
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void keeps_text_and_tool_calls_together_and_keeps_tool_calls_when_stopped_for_length()
      throws Exception {
    ConverseResponse response =
        ConverseResponse.builder()
            .output(
                o ->
                    o.message(
                        m ->
                            m.role(ConversationRole.ASSISTANT)
                                .content(
                                    ContentBlock.fromText("Checking."),
                                    ContentBlock.fromToolUse(
                                        ToolUseBlock.builder()
                                            .toolUseId("tooluse_1")
                                            .name("get_weather")
                                            .input(
                                                Document.mapBuilder()
                                                    .putString("city", "Paris")
                                                    .putNumber("days", 3)
                                                    .build())
                                            .build()))))
            .stopReason(StopReason.MAX_TOKENS)
            .usage(TokenUsage.builder().inputTokens(3).outputTokens(4).totalTokens(7).build())
            .build();
    JsonNode message =
        Json.MAPPER
            .readTree(ConverseToOpenAi.completion(response, "c", 1L, "m"))
            .path("choices")
            .path(0);
    assertThat(message.path("finish_reason").asText()).isEqualTo("length");
    assertThat(message.path("message").path("content").asText()).isEqualTo("Checking.");
    JsonNode call = message.path("message").path("tool_calls").path(0);
    assertThat(call.path("id").asText()).isEqualTo("tooluse_1");
    assertThat(call.path("type").asText()).isEqualTo("function");
    assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(Json.MAPPER.readTree(call.path("function").path("arguments").asText()))
        .isEqualTo(Json.MAPPER.readTree("{\"city\":\"Paris\",\"days\":3}"));
  }

  @Test
  void content_is_null_when_the_turn_is_only_tool_calls() throws Exception {
    ConverseResponse response =
        ConverseResponse.builder()
            .output(
                o ->
                    o.message(
                        m ->
                            m.role(ConversationRole.ASSISTANT)
                                .content(
                                    ContentBlock.fromToolUse(
                                        ToolUseBlock.builder()
                                            .toolUseId("t")
                                            .name("f")
                                            .input(Document.mapBuilder().build())
                                            .build()))))
            .stopReason(StopReason.TOOL_USE)
            .build();
    JsonNode message =
        Json.MAPPER
            .readTree(ConverseToOpenAi.completion(response, "c", 1L, "m"))
            .path("choices")
            .path(0)
            .path("message");
    assertThat(message.get("content").isNull()).isTrue();
    assertThat(message.path("tool_calls").path(0).path("function").path("arguments").asText())
        .isEqualTo("{}");
  }

  @Test
  void the_structured_output_tool_input_is_the_content_and_the_turn_finishes_with_stop()
      throws Exception {
    ConverseResponse response =
        ConverseResponse.builder()
            .output(
                o ->
                    o.message(
                        m ->
                            m.role(ConversationRole.ASSISTANT)
                                .content(
                                    ContentBlock.fromText("Here you go:"),
                                    ContentBlock.fromToolUse(
                                        ToolUseBlock.builder()
                                            .toolUseId("t")
                                            .name("answer_format")
                                            .input(
                                                Document.mapBuilder()
                                                    .putString("answer", "42")
                                                    .build())
                                            .build()))))
            .stopReason(StopReason.TOOL_USE)
            .build();
    ChatRequest request = new ChatRequest("gpt-4o", false, false, null, "answer_format", null);
    JsonNode choice =
        Json.MAPPER
            .readTree(ConverseToOpenAi.completion(response, request, "c", 1L))
            .path("choices")
            .path(0);
    assertThat(choice.path("message").path("content").asText()).isEqualTo("{\"answer\":\"42\"}");
    assertThat(choice.path("message").has("tool_calls")).isFalse();
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void a_tool_call_after_signed_reasoning_carries_it_in_its_id_and_other_calls_do_not()
      throws Exception {
    ReasoningContentBlock signed =
        ReasoningContentBlock.fromReasoningText(
            ReasoningTextBlock.builder().text("Two cities.").signature("sig").build());
    ConverseResponse response =
        ConverseResponse.builder()
            .output(
                o ->
                    o.message(
                        m ->
                            m.role(ConversationRole.ASSISTANT)
                                .content(
                                    ContentBlock.fromReasoningContent(signed),
                                    ContentBlock.fromToolUse(
                                        ToolUseBlock.builder()
                                            .toolUseId("tooluse_1")
                                            .name("w")
                                            .input(Document.mapBuilder().build())
                                            .build()),
                                    ContentBlock.fromToolUse(
                                        ToolUseBlock.builder()
                                            .toolUseId("tooluse_2")
                                            .name("w")
                                            .input(Document.mapBuilder().build())
                                            .build()))))
            .stopReason(StopReason.TOOL_USE)
            .usage(TokenUsage.builder().inputTokens(1).outputTokens(9).totalTokens(10).build())
            .build();
    JsonNode message =
        Json.MAPPER
            .readTree(ConverseToOpenAi.completion(response, "c", 1L, "m"))
            .path("choices")
            .path(0)
            .path("message");
    String first = message.path("tool_calls").path(0).path("id").asText();
    assertThat(first).isEqualTo(SignedReasoning.encode("tooluse_1", java.util.List.of(signed)));
    assertThat(SignedReasoning.decode(first).reasoning()).containsExactly(signed);
    assertThat(message.path("tool_calls").path(1).path("id").asText()).isEqualTo("tooluse_2");
    assertThat(message.path("reasoning_content").asText()).isEqualTo("Two cities.");
  }

  @Test
  void reports_the_service_tier_and_the_requested_model_response_fields() throws Exception {
    ConverseResponse response =
        ConverseResponse.builder()
            .output(
                o ->
                    o.message(
                        m ->
                            m.role(ConversationRole.ASSISTANT)
                                .content(ContentBlock.fromText("ok"))))
            .stopReason(StopReason.STOP_SEQUENCE)
            .serviceTier(t -> t.type("priority"))
            .additionalModelResponseFields(
                Document.mapBuilder().putString("stop_sequence", "END").build())
            .build();
    JsonNode answer = Json.MAPPER.readTree(ConverseToOpenAi.completion(response, "c", 1L, "m"));
    assertThat(answer.path("service_tier").asText()).isEqualTo("priority");
    assertThat(answer.path("additionalModelResponseFields"))
        .isEqualTo(Json.MAPPER.readTree("{\"stop_sequence\": \"END\"}"));
  }
}
