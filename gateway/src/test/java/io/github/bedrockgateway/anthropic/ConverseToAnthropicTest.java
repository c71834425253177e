package io.github.bedrockgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.json.Json;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/** Converse responses in Anthropic's shape; every stop reason mapped. */
class ConverseToAnthropicTest {

  private static final Set<String> ANTHROPIC_STOP_REASONS =
      Set.of(
          "end_turn",
          "max_tokens",
          "stop_sequence",
          "tool_use",
          "pause_turn",
          "refusal",
          "model_context_window_exceeded");

  @ParameterizedTest
  @EnumSource(StopReason.class)
  void maps_every_stop_reason_to_an_anthropic_stop_reason(StopReason reason) {
    assertThat(ConverseToAnthropic.stopReason(reason)).isIn(ANTHROPIC_STOP_REASONS);
  }

  @Test
  void maps_stop_reasons_deliberately() {
    assertThat(ConverseToAnthropic.stopReason(StopReason.END_TURN)).isEqualTo("end_turn");
    assertThat(ConverseToAnthropic.stopReason(StopReason.TOOL_USE)).isEqualTo("tool_use");
    assertThat(ConverseToAnthropic.stopReason(StopReason.MAX_TOKENS)).isEqualTo("max_tokens");
    assertThat(ConverseToAnthropic.stopReason(StopReason.STOP_SEQUENCE)).isEqualTo("stop_sequence");
    assertThat(ConverseToAnthropic.stopReason(StopReason.GUARDRAIL_INTERVENED))
        .isEqualTo("refusal");
    assertThat(ConverseToAnthropic.stopReason(StopReason.CONTENT_FILTERED)).isEqualTo("refusal");
    assertThat(ConverseToAnthropic.stopReason(StopReason.MODEL_CONTEXT_WINDOW_EXCEEDED))
        .isEqualTo("model_context_window_exceeded");
    assertThat(ConverseToAnthropic.stopReason(null)).isEqualTo("end_turn");
  }

  @Test
  void the_stop_sequence_is_named_when_the_request_had_only_one() {
    assertThat(ConverseToAnthropic.stopSequence(StopReason.STOP_SEQUENCE, List.of("END")))
        .isEqualTo("END");
    assertThat(ConverseToAnthropic.stopSequence(StopReason.STOP_SEQUENCE, List.of("A", "B")))
        .isNull();
    assertThat(ConverseToAnthropic.stopSequence(StopReason.END_TURN, List.of("END"))).isNull();
  }

  @Test
  void writes_the_whole_anthropic_message() throws Exception {
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
                                            ReasoningTextBlock.builder().text("Hmm.").build())),
                                    ContentBlock.fromReasoningContent(
                                        ReasoningContentBlock.fromRedactedContent(
                                            SdkBytes.fromUtf8String("secret"))),
                                    ContentBlock.fromText("Let me check."),
                                    ContentBlock.fromToolUse(
                                        ToolUseBlock.builder()
                                            .toolUseId("tooluse_1")
                                            .name("get_weather")
                                            .input(
                                                Document.mapBuilder()
                                                    .putString("city", "Paris")
                                                    .build())
                                            .build()))))
            .stopReason(StopReason.TOOL_USE)
            .usage(
                TokenUsage.builder()
                    .inputTokens(10)
                    .outputTokens(5)
                    .cacheReadInputTokens(3)
                    .cacheWriteInputTokens(2)
                    .totalTokens(20)
                    .build())
            .build();
    assertThat(
            Json.MAPPER.readTree(
                ConverseToAnthropic.message(response, "msg_abc", "nova", List.of())))
        .isEqualTo(
            Json.MAPPER.readTree(
                """
            {"id": "msg_abc", "type": "message", "role": "assistant", "model": "nova",
             "content": [{"type": "thinking", "thinking": "Hmm.", "signature": ""},
                         {"type": "redacted_thinking", "data": "c2VjcmV0"},
                         {"type": "text", "text": "Let me check."},
                         {"type": "tool_use", "id": "tooluse_1", "name": "get_weather", "input": {"city": "Paris"}}],
             "stop_reason": "tool_use", "stop_sequence": null,
             "usage": {"input_tokens": 10, "cache_creation_input_tokens": 2, "cache_read_input_tokens": 3,
                       "output_tokens": 5}}
            """));
  }
}
