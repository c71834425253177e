package io.github.bedrockgateway.openai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStart;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;

class ConverseStreamTranslatorTest {

  private static final String HEAD =
      "data: {\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"gpt-4o\",";

  @Test
  void writes_the_exact_sse_text_of_a_text_stream_with_usage() {
    String sse =
        run(
            true,
            ConverseStreamOutput.messageStartBuilder().role(ConversationRole.ASSISTANT).build(),
            text(0, "Hel"),
            text(0, "lo \"you\""),
            ConverseStreamOutput.contentBlockStopBuilder().contentBlockIndex(0).build(),
            ConverseStreamOutput.messageStopBuilder().stopReason(StopReason.END_TURN).build(),
            ConverseStreamOutput.metadataBuilder()
                .usage(u -> u.inputTokens(3).outputTokens(2).totalTokens(5))
                .build());
    assertThat(sse)
        .isEqualTo(
            HEAD
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
                + HEAD
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
                + HEAD
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo \\\"you\\\"\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
                + HEAD
                + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
                + HEAD
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"cache_write_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n"
                + "data: [DONE]\n\n");
  }

  @Test
  void without_include_usage_no_chunk_has_a_usage_field() {
    String sse =
        run(
            false,
            ConverseStreamOutput.messageStartBuilder().role(ConversationRole.ASSISTANT).build(),
            text(0, "Hi"),
            ConverseStreamOutput.messageStopBuilder().stopReason(StopReason.MAX_TOKENS).build(),
            ConverseStreamOutput.metadataBuilder()
                .usage(u -> u.inputTokens(3).outputTokens(2).totalTokens(5))
                .build());
    assertThat(sse).doesNotContain("usage");
    assertThat(sse).contains("\"finish_reason\":\"length\"").endsWith("data: [DONE]\n\n");
  }

  @Test
  void streams_tool_call_arguments_across_deltas_with_dense_index() throws Exception {
    // Bedrock content blocks: 0 = text, 1 = first tool, 2 = second tool. OpenAI indexes count tool
    // calls only.
    String sse =
        run(
            false,
            ConverseStreamOutput.messageStartBuilder().role(ConversationRole.ASSISTANT).build(),
            text(0, "Checking."),
            toolStart(1, "tooluse_a", "get_weather"),
            toolDelta(1, "{\"city\":"),
            toolDelta(1, "\"Paris\"}"),
            toolStart(2, "tooluse_b", "get_time"),
            toolDelta(2, "{}"),
            ConverseStreamOutput.messageStopBuilder().stopReason(StopReason.TOOL_USE).build());
    List<JsonNode> chunks = chunks(sse);
    JsonNode firstCall =
        chunks.get(2).path("choices").path(0).path("delta").path("tool_calls").path(0);
    assertThat(firstCall.path("index").asInt()).isEqualTo(0);
    assertThat(firstCall.path("id").asText()).isEqualTo("tooluse_a");
    assertThat(firstCall.path("type").asText()).isEqualTo("function");
    assertThat(firstCall.path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(firstCall.path("function").path("arguments").asText()).isEmpty();
    JsonNode fragment =
        chunks.get(3).path("choices").path(0).path("delta").path("tool_calls").path(0);
    assertThat(fragment.has("id")).isFalse();
    assertThat(fragment.has("type")).isFalse();
    assertThat(fragment.path("function").has("name")).isFalse();
    assertThat(fragment.path("index").asInt()).isEqualTo(0);
    assertThat(fragment.path("function").path("arguments").asText()).isEqualTo("{\"city\":");
    JsonNode secondCall =
        chunks.get(5).path("choices").path(0).path("delta").path("tool_calls").path(0);
    assertThat(secondCall.path("index").asInt()).isEqualTo(1);
    assertThat(secondCall.path("id").asText()).isEqualTo("tooluse_b");
    assertThat(chunks.get(chunks.size() - 1).path("choices").path(0).path("finish_reason").asText())
        .isEqualTo("tool_calls");
  }

  @Test
  void reasoning_goes_to_reasoning_content_never_content() throws Exception {
    String sse =
        run(
            false,
            ConverseStreamOutput.messageStartBuilder().role(ConversationRole.ASSISTANT).build(),
            ConverseStreamOutput.contentBlockDeltaBuilder()
                .contentBlockIndex(0)
                .delta(
                    ContentBlockDelta.fromReasoningContent(
                        ReasoningContentBlockDelta.fromText("hmm")))
                .build(),
            text(1, "Answer"),
            ConverseStreamOutput.messageStopBuilder().stopReason(StopReason.END_TURN).build());
    List<JsonNode> chunks = chunks(sse);
    assertThat(
            chunks.get(1).path("choices").path(0).path("delta").path("reasoning_content").asText())
        .isEqualTo("hmm");
    assertThat(chunks.get(1).path("choices").path(0).path("delta").has("content")).isFalse();
    assertThat(chunks.get(2).path("choices").path(0).path("delta").path("content").asText())
        .isEqualTo("Answer");
  }

  @Test
  void a_stream_that_ends_before_message_stop_is_not_completed() {
    ConverseStreamTranslator t = new ConverseStreamTranslator("chatcmpl-x", 7, "gpt-4o", false);
    StringBuilder out = new StringBuilder();
    t.onEvent(
        ConverseStreamOutput.messageStartBuilder().role(ConversationRole.ASSISTANT).build(), out);
    t.onEvent(text(0, "partial"), out);
    StringBuilder end = new StringBuilder();
    assertThat(t.complete(end)).isFalse();
    assertThat(end).isEmpty();
  }

  @Test
  void tool_call_index_counts_calls_from_zero_never_minus_one_nor_the_bedrock_block_index()
      throws Exception {
    // blocks: 0 reasoning, 1 text, 2 and 3 tools: the calls are 0 and 1
    String sse =
        run(
            false,
            ConverseStreamOutput.messageStartBuilder().role(ConversationRole.ASSISTANT).build(),
            reasoning(0, "Two."),
            signature(0, "sig"),
            stop(0),
            text(1, "Checking both."),
            stop(1),
            toolStart(2, "tooluse_a", "w"),
            toolDelta(2, "{}"),
            stop(2),
            toolStart(3, "tooluse_b", "w"),
            toolDelta(3, "{}"),
            stop(3),
            ConverseStreamOutput.messageStopBuilder().stopReason(StopReason.TOOL_USE).build());
    List<Integer> indexes = new java.util.ArrayList<>();
    StringBuilder content = new StringBuilder();
    for (JsonNode chunk : chunks(sse)) {
      JsonNode delta = chunk.path("choices").path(0).path("delta");
      delta.path("tool_calls").forEach(call -> indexes.add(call.path("index").asInt()));
      content.append(delta.path("content").asText(""));
    }
    assertThat(indexes).containsExactly(0, 0, 1, 1);
    assertThat(content).hasToString("Checking both.");
  }

  @Test
  void the_first_tool_call_after_signed_reasoning_carries_it_in_its_id_as_in_the_plain_answer()
      throws Exception {
    String sse =
        run(
            false,
            ConverseStreamOutput.messageStartBuilder().role(ConversationRole.ASSISTANT).build(),
            reasoning(0, "Need "),
            reasoning(0, "weather."),
            signature(0, "c2ln"),
            stop(0),
            toolStart(1, "tooluse_a", "w"),
            toolDelta(1, "{}"),
            stop(1),
            ConverseStreamOutput.messageStopBuilder().stopReason(StopReason.TOOL_USE).build());
    String id =
        chunks(sse)
            .get(3)
            .path("choices")
            .path(0)
            .path("delta")
            .path("tool_calls")
            .path(0)
            .path("id")
            .asText();
    SignedReasoning.Decoded decoded = SignedReasoning.decode(id);
    assertThat(decoded.toolUseId()).isEqualTo("tooluse_a");
    assertThat(decoded.reasoning())
        .containsExactly(
            software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock
                .fromReasoningText(
                    software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock
                        .builder()
                        .text("Need weather.")
                        .signature("c2ln")
                        .build()));
  }

  @Test
  void the_structured_output_tool_streams_as_content_and_finishes_with_stop() throws Exception {
    ConverseStreamTranslator t =
        new ConverseStreamTranslator(
            "chatcmpl-x", 7, new ChatRequest("gpt-4o", true, true, null, "answer_format", null));
    StringBuilder out = new StringBuilder();
    for (ConverseStreamOutput e :
        List.of(
            ConverseStreamOutput.messageStartBuilder().role(ConversationRole.ASSISTANT).build(),
            text(0, "Sure: "),
            stop(0),
            toolStart(1, "tooluse_s", "answer_format"),
            toolDelta(1, "{\"answer\":"),
            toolDelta(1, " \"42\"}"),
            stop(1),
            ConverseStreamOutput.messageStopBuilder().stopReason(StopReason.TOOL_USE).build(),
            ConverseStreamOutput.metadataBuilder()
                .usage(u -> u.inputTokens(3).outputTokens(4).totalTokens(7))
                .build())) {
      t.onEvent(e, out);
    }
    assertThat(t.complete(out)).isTrue();
    StringBuilder content = new StringBuilder();
    String finish = null;
    for (JsonNode chunk : chunks(out.toString())) {
      JsonNode choice = chunk.path("choices").path(0);
      assertThat(choice.path("delta").has("tool_calls")).isFalse();
      content.append(choice.path("delta").path("content").asText(""));
      finish =
          choice.path("finish_reason").isTextual() ? choice.path("finish_reason").asText() : finish;
    }
    assertThat(content).hasToString("{\"answer\": \"42\"}");
    assertThat(finish).isEqualTo("stop");
  }

  @Test
  void text_held_for_structured_output_is_sent_when_the_tool_is_not_called() throws Exception {
    ConverseStreamTranslator t =
        new ConverseStreamTranslator(
            "chatcmpl-x", 7, new ChatRequest("gpt-4o", true, false, null, "answer_format", null));
    StringBuilder out = new StringBuilder();
    t.onEvent(
        ConverseStreamOutput.messageStartBuilder().role(ConversationRole.ASSISTANT).build(), out);
    t.onEvent(text(0, "I cannot "), out);
    t.onEvent(text(0, "answer that."), out);
    t.onEvent(
        ConverseStreamOutput.messageStopBuilder().stopReason(StopReason.END_TURN).build(), out);
    assertThat(t.complete(out)).isTrue();
    List<JsonNode> chunks = chunks(out.toString());
    assertThat(chunks).hasSize(3);
    assertThat(chunks.get(1).path("choices").path(0).path("delta").path("content").asText())
        .isEqualTo("I cannot answer that.");
  }

  @Test
  void usage_in_a_stream_counts_cache_reads_and_writes_and_estimates_reasoning_tokens()
      throws Exception {
    String sse =
        run(
            true,
            ConverseStreamOutput.messageStartBuilder().role(ConversationRole.ASSISTANT).build(),
            reasoning(0, "12345678"),
            stop(0),
            text(1, "Hi"),
            ConverseStreamOutput.messageStopBuilder().stopReason(StopReason.END_TURN).build(),
            ConverseStreamOutput.metadataBuilder()
                .usage(
                    u ->
                        u.inputTokens(3)
                            .outputTokens(6)
                            .totalTokens(129)
                            .cacheReadInputTokens(100)
                            .cacheWriteInputTokens(20))
                .build());
    List<JsonNode> chunks = chunks(sse);
    JsonNode usage = chunks.get(chunks.size() - 1).path("usage");
    assertThat(usage)
        .isEqualTo(
            Json.MAPPER.readTree(
                """
                {"prompt_tokens": 123, "completion_tokens": 6, "total_tokens": 129,
                 "prompt_tokens_details": {"cached_tokens": 100, "cache_write_tokens": 20},
                 "completion_tokens_details": {"reasoning_tokens": 2}}
                """));
  }

  @Test
  void the_last_chunk_carries_the_requested_model_response_fields() throws Exception {
    String sse =
        run(
            false,
            ConverseStreamOutput.messageStartBuilder().role(ConversationRole.ASSISTANT).build(),
            text(0, "Hi"),
            ConverseStreamOutput.messageStopBuilder()
                .stopReason(StopReason.STOP_SEQUENCE)
                .additionalModelResponseFields(
                    software.amazon.awssdk.core.document.Document.mapBuilder()
                        .putString("stop_sequence", "END")
                        .build())
                .build());
    List<JsonNode> chunks = chunks(sse);
    JsonNode last = chunks.get(chunks.size() - 1);
    assertThat(last.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(last.path("additionalModelResponseFields").path("stop_sequence").asText())
        .isEqualTo("END");
  }

  // ---------------------------------------------------------------- helpers

  private static ConverseStreamOutput reasoning(int index, String text) {
    return ConverseStreamOutput.contentBlockDeltaBuilder()
        .contentBlockIndex(index)
        .delta(ContentBlockDelta.fromReasoningContent(ReasoningContentBlockDelta.fromText(text)))
        .build();
  }

  private static ConverseStreamOutput signature(int index, String signature) {
    return ConverseStreamOutput.contentBlockDeltaBuilder()
        .contentBlockIndex(index)
        .delta(
            ContentBlockDelta.fromReasoningContent(
                ReasoningContentBlockDelta.fromSignature(signature)))
        .build();
  }

  private static ConverseStreamOutput stop(int index) {
    return ConverseStreamOutput.contentBlockStopBuilder().contentBlockIndex(index).build();
  }

  private static String run(boolean includeUsage, ConverseStreamOutput... events) {
    ConverseStreamTranslator t =
        new ConverseStreamTranslator("chatcmpl-x", 7, "gpt-4o", includeUsage);
    StringBuilder out = new StringBuilder();
    for (ConverseStreamOutput e : events) {
      t.onEvent(e, out);
    }
    assertThat(t.complete(out)).isTrue();
    return out.toString();
  }

  private static List<JsonNode> chunks(String sse) throws Exception {
    List<JsonNode> out = new java.util.ArrayList<>();
    for (String event : sse.split("\n\n")) {
      assertThat(event).startsWith("data: ");
      String data = event.substring(6);
      if (!data.equals("[DONE]")) {
        out.add(Json.MAPPER.readTree(data));
      }
    }
    return out;
  }

  private static ConverseStreamOutput text(int index, String text) {
    return ConverseStreamOutput.contentBlockDeltaBuilder()
        .contentBlockIndex(index)
        .delta(ContentBlockDelta.fromText(text))
        .build();
  }

  private static ConverseStreamOutput toolStart(int index, String id, String name) {
    return ConverseStreamOutput.contentBlockStartBuilder()
        .contentBlockIndex(index)
        .start(
            ContentBlockStart.fromToolUse(
                ToolUseBlockStart.builder().toolUseId(id).name(name).build()))
        .build();
  }

  private static ConverseStreamOutput toolDelta(int index, String fragment) {
    return ConverseStreamOutput.contentBlockDeltaBuilder()
        .contentBlockIndex(index)
        .delta(ContentBlockDelta.fromToolUse(ToolUseBlockDelta.builder().input(fragment).build()))
        .build();
  }
}
