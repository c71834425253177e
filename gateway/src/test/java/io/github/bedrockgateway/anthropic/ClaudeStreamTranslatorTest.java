package io.github.bedrockgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bedrockgateway.error.GatewayException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;

/** InvokeModelWithResponseStream chunks in, the exact Anthropic server-sent events out. */
class ClaudeStreamTranslatorTest {

  private static ResponseStream chunk(String json) {
    return ResponseStream.chunkBuilder()
        .bytes(SdkBytes.fromString(json, StandardCharsets.UTF_8))
        .build();
  }

  @Test
  void re_emits_each_chunk_as_its_event_with_the_clients_model_and_without_bedrocks_metrics() {
    ClaudeStreamTranslator t = new ClaudeStreamTranslator("claude-sonnet-4-5");
    StringBuilder out = new StringBuilder();
    String[] chunks = {
      "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_01\",\"type\":\"message\",\"role\":\"assistant\","
          + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
          + "\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":4,\"cache_read_input_tokens\":6,"
          + "\"output_tokens\":1}}}",
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}",
      "{\"type\":\"content_block_stop\",\"index\":0}",
      "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
          + "\"usage\":{\"output_tokens\":3}}",
      "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":12,"
          + "\"outputTokenCount\":3,\"invocationLatency\":40,\"firstByteLatency\":10}}"
    };
    for (String c : chunks) {
      t.onEvent(chunk(c), out);
    }
    assertThat(t.complete(out)).isTrue();
    assertThat(out.toString())
        .isEqualTo(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_01\",\"type\":"
                + "\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":4,"
                + "\"cache_read_input_tokens\":6,\"output_tokens\":1}}}\n\n"
                + "event: content_block_start\ndata: "
                + chunks[1]
                + "\n\n"
                + "event: content_block_delta\ndata: "
                + chunks[2]
                + "\n\n"
                + "event: content_block_stop\ndata: "
                + chunks[3]
                + "\n\n"
                + "event: message_delta\ndata: "
                + chunks[4]
                + "\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    assertThat(t.usage().inputTokens()).isEqualTo(12);
    assertThat(t.usage().outputTokens()).isEqualTo(3);
    assertThat(t.usage().cacheReadInputTokens()).isEqualTo(6);
    assertThat(t.usage().cacheWriteInputTokens()).isEqualTo(4);
    assertThat(t.relayedError()).isNull();
  }

  @Test
  void a_stream_without_message_stop_is_not_complete() {
    ClaudeStreamTranslator t = new ClaudeStreamTranslator("m");
    StringBuilder out = new StringBuilder();
    t.onEvent(
        chunk("{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":1}}}"), out);
    assertThat(t.complete(out)).isFalse();
    assertThat(t.started()).isTrue();
  }

  @Test
  void usage_falls_back_to_bedrocks_invocation_metrics() {
    ClaudeStreamTranslator t = new ClaudeStreamTranslator("m");
    StringBuilder out = new StringBuilder();
    t.onEvent(
        chunk(
            "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":8,"
                + "\"outputTokenCount\":2}}"),
        out);
    assertThat(t.usage().inputTokens()).isEqualTo(8);
    assertThat(t.usage().outputTokens()).isEqualTo(2);
  }

  @Test
  void an_error_event_is_relayed_and_ends_the_stream_as_failed() {
    ClaudeStreamTranslator t = new ClaudeStreamTranslator("m");
    StringBuilder out = new StringBuilder();
    String error =
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";
    t.onEvent(chunk(error), out);
    assertThat(out.toString()).isEqualTo("event: error\ndata: " + error + "\n\n");
    assertThat(t.complete(out)).isTrue();
    assertThat(t.relayedError().status()).isEqualTo(503);
    assertThat(AnthropicErrors.status(t.relayedError())).isEqualTo(529);
  }

  @Test
  void a_multi_line_chunk_is_compacted_to_one_data_line() {
    ClaudeStreamTranslator t = new ClaudeStreamTranslator("m");
    StringBuilder out = new StringBuilder();
    t.onEvent(chunk("{\n  \"type\": \"ping\"\n}"), out);
    assertThat(out.toString()).isEqualTo("event: ping\ndata: {\"type\":\"ping\"}\n\n");
  }

  @Test
  void refuses_a_chunk_that_is_not_an_anthropic_event() {
    ClaudeStreamTranslator t = new ClaudeStreamTranslator("m");
    for (String bad : new String[] {"not json", "[1]", "{\"x\":1}", "{\"type\":\"a b\"}"}) {
      assertThatThrownBy(() -> t.onEvent(chunk(bad), new StringBuilder()))
          .isInstanceOfSatisfying(
              GatewayException.class, e -> assertThat(e.status()).isEqualTo(502));
    }
  }
}
