package io.github.bedrockgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStart;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;

/** ConverseStream events in, the exact Anthropic server-sent events out. */
class ConverseStreamToAnthropicTest {

  private static ConverseStreamOutput start() {
    return ConverseStreamOutput.messageStartBuilder().role("assistant").build();
  }

  private static ConverseStreamOutput text(int index, String text) {
    return ConverseStreamOutput.contentBlockDeltaBuilder()
        .contentBlockIndex(index)
        .delta(ContentBlockDelta.fromText(text))
        .build();
  }

  private static ConverseStreamOutput stop(int index) {
    return ConverseStreamOutput.contentBlockStopBuilder().contentBlockIndex(index).build();
  }

  private static ConverseStreamOutput messageStop(StopReason reason) {
    return ConverseStreamOutput.messageStopBuilder().stopReason(reason).build();
  }

  private static ConverseStreamOutput metadata(int in, int out) {
    return ConverseStreamOutput.metadataBuilder()
        .usage(u -> u.inputTokens(in).outputTokens(out).totalTokens(in + out))
        .metrics(m -> m.latencyMs(5L))
        .build();
  }

  private static String run(ConverseStreamToAnthropic t, ConverseStreamOutput... events) {
    StringBuilder out = new StringBuilder();
    for (ConverseStreamOutput e : events) {
      t.onEvent(e, out);
    }
    assertThat(t.complete(out)).isTrue();
    return out.toString();
  }

  private static final String START =
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
          + "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"nova\",\"content\":[],"
          + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,\"cache_creation_input_tokens\":0,"
          + "\"cache_read_input_tokens\":0,\"output_tokens\":0}}}\n\n";

  @Test
  void streams_text_as_one_block_and_ends_with_the_usage() {
    String sse =
        run(
            new ConverseStreamToAnthropic("msg_1", "nova", List.of()),
            start(),
            text(0, "Hello "),
            text(0, "world"),
            stop(0),
            messageStop(StopReason.END_TURN),
            metadata(7, 2));
    assertThat(sse)
        .isEqualTo(
            START
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                + "{\"type\":\"text\",\"text\":\"\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                + "{\"type\":\"text_delta\",\"text\":\"Hello \"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                + "{\"type\":\"text_delta\",\"text\":\"world\"}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"input_tokens\":7,\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":0,\"output_tokens\":2}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  }

  @Test
  void streams_reasoning_text_and_a_tool_call_as_dense_blocks() {
    ConverseStreamToAnthropic t = new ConverseStreamToAnthropic("msg_1", "nova", List.of());
    String sse =
        run(
            t,
            start(),
            ConverseStreamOutput.contentBlockDeltaBuilder()
                .contentBlockIndex(0)
                .delta(
                    ContentBlockDelta.fromReasoningContent(
                        ReasoningContentBlockDelta.fromText("Think.")))
                .build(),
            ConverseStreamOutput.contentBlockDeltaBuilder()
                .contentBlockIndex(0)
                .delta(
                    ContentBlockDelta.fromReasoningContent(
                        ReasoningContentBlockDelta.fromSignature("sig")))
                .build(),
            stop(0),
            text(1, "Checking \"now\"."),
            // no contentBlockStop for the text: the tool call's start closes it
            ConverseStreamOutput.contentBlockStartBuilder()
                .contentBlockIndex(2)
                .start(
                    ContentBlockStart.fromToolUse(
                        ToolUseBlockStart.builder()
                            .toolUseId("tooluse_9")
                            .name("get_weather")
                            .build()))
                .build(),
            ConverseStreamOutput.contentBlockDeltaBuilder()
                .contentBlockIndex(2)
                .delta(
                    ContentBlockDelta.fromToolUse(
                        ToolUseBlockDelta.builder().input("{\"city\":").build()))
                .build(),
            ConverseStreamOutput.contentBlockDeltaBuilder()
                .contentBlockIndex(2)
                .delta(
                    ContentBlockDelta.fromToolUse(
                        ToolUseBlockDelta.builder().input("\"Paris\"}").build()))
                .build(),
            stop(2),
            messageStop(StopReason.TOOL_USE),
            metadata(3, 9));
    assertThat(sse)
        .isEqualTo(
            START
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                + "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                + "{\"type\":\"thinking_delta\",\"thinking\":\"Think.\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                + "{\"type\":\"signature_delta\",\"signature\":\"sig\"}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
                + "{\"type\":\"text\",\"text\":\"\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
                + "{\"type\":\"text_delta\",\"text\":\"Checking \\\"now\\\".\"}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":"
                + "{\"type\":\"tool_use\",\"id\":\"tooluse_9\",\"name\":\"get_weather\",\"input\":{}}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":2,\"delta\":"
                + "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":2,\"delta\":"
                + "{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":2}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
                + "\"stop_sequence\":null},\"usage\":{\"input_tokens\":3,\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":0,\"output_tokens\":9}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    assertThat(t.usage().outputTokens()).isEqualTo(9);
  }

  @Test
  void a_stream_cut_before_message_stop_is_not_complete() {
    ConverseStreamToAnthropic t = new ConverseStreamToAnthropic("msg_1", "nova", List.of());
    StringBuilder out = new StringBuilder();
    t.onEvent(start(), out);
    t.onEvent(text(0, "Hel"), out);
    int before = out.length();
    assertThat(t.complete(out)).isFalse();
    assertThat(out.length()).isEqualTo(before);
    assertThat(t.started()).isTrue();
  }

  @Test
  void a_stream_without_metadata_still_ends_with_message_delta_and_the_single_stop_sequence() {
    String sse =
        run(
            new ConverseStreamToAnthropic("msg_1", "nova", List.of("END")),
            start(),
            text(0, "a"),
            messageStop(StopReason.STOP_SEQUENCE));
    assertThat(sse)
        .endsWith(
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"stop_sequence\","
                + "\"stop_sequence\":\"END\"},\"usage\":{\"input_tokens\":0,\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":0,\"output_tokens\":0}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  }
}
