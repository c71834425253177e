package io.github.bedrockgateway.openai.responses;

import static io.github.bedrockgateway.openai.responses.ConverseToResponsesTest.answer;
import static io.github.bedrockgateway.openai.responses.ConverseToResponsesTest.json;
import static io.github.bedrockgateway.openai.responses.ConverseToResponsesTest.request;
import static io.github.bedrockgateway.openai.responses.ConverseToResponsesTest.toolUse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.error.GatewayException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;

/**
 * Stream tests: Bedrock events in, the exact server-sent events out, and the same response as the
 * plain answer.
 */
class ResponsesStreamTranslatorTest {

  private static final String IN_PROGRESS =
      "{\"id\":\"resp_abc\",\"object\":\"response\",\"created_at\":7,"
          + "\"status\":\"in_progress\",\"error\":null,\"incomplete_details\":null,\"model\":\"gpt-4o\",\"output\":[],"
          + "\"service_tier\":\"default\",\"background\":false,\"instructions\":null,"
          + "\"max_output_tokens\":null,\"max_tool_calls\":null,\"parallel_tool_calls\":true,\"previous_response_id\":null,"
          + "\"prompt_cache_key\":null,\"reasoning\":{\"effort\":null,\"summary\":null},\"safety_identifier\":null,"
          + "\"store\":true,\"temperature\":null,\"text\":{\"format\":{\"type\":\"text\"},\"verbosity\":\"medium\"},"
          + "\"tool_choice\":\"auto\",\"tools\":[],\"top_logprobs\":0,\"top_p\":null,\"truncation\":\"disabled\","
          + "\"user\":null,\"metadata\":{},\"usage\":null}";
  private static final String ITEM = "\"item_id\":\"msg_abc_0\",\"output_index\":0";

  @Test
  void writes_the_exact_event_text_of_a_text_stream() {
    String sse =
        run(
            request("{\"model\": \"gpt-4o\", \"input\": \"hi\"}"),
            start(),
            text(0, "Hel"),
            text(0, "lo \"you\""),
            stop(0),
            messageStop(StopReason.END_TURN),
            metadata());
    String completed =
        IN_PROGRESS
            .replace("\"status\":\"in_progress\"", "\"status\":\"completed\"")
            .replace(
                "\"output\":[]",
                "\"output\":[{\"id\":\"msg_abc_0\",\"type\":\"message\",\"status\":\"completed\","
                    + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],"
                    + "\"text\":\"Hello \\\"you\\\"\"}]}]")
            .replace(
                "\"usage\":null",
                "\"usage\":{\"input_tokens\":5,\"input_tokens_details\":{\"cached_tokens\":0,"
                    + "\"cache_write_tokens\":0},\"output_tokens\":2,\"output_tokens_details\":{\"reasoning_tokens\":0},"
                    + "\"total_tokens\":7}");
    assertThat(sse)
        .isEqualTo(
            "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
                + IN_PROGRESS
                + "}\n\n"
                + "event: response.in_progress\ndata: {\"type\":\"response.in_progress\",\"sequence_number\":1,\"response\":"
                + IN_PROGRESS
                + "}\n\n"
                + "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"sequence_number\":2,"
                + "\"output_index\":0,\"item\":{\"id\":\"msg_abc_0\",\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}\n\n"
                + "event: response.content_part.added\ndata: {\"type\":\"response.content_part.added\",\"sequence_number\":3,"
                + ITEM
                + ",\"content_index\":0,\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"\"}}\n\n"
                + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":4,"
                + ITEM
                + ",\"content_index\":0,\"delta\":\"Hel\",\"logprobs\":[]}\n\n"
                + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":5,"
                + ITEM
                + ",\"content_index\":0,\"delta\":\"lo \\\"you\\\"\",\"logprobs\":[]}\n\n"
                + "event: response.output_text.done\ndata: {\"type\":\"response.output_text.done\",\"sequence_number\":6,"
                + ITEM
                + ",\"content_index\":0,\"text\":\"Hello \\\"you\\\"\",\"logprobs\":[]}\n\n"
                + "event: response.content_part.done\ndata: {\"type\":\"response.content_part.done\",\"sequence_number\":7,"
                + ITEM
                + ",\"content_index\":0,\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"Hello \\\"you\\\"\"}}\n\n"
                + "event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",\"sequence_number\":8,"
                + "\"output_index\":0,\"item\":{\"id\":\"msg_abc_0\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"Hello \\\"you\\\"\"}]}}\n\n"
                + "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":9,\"response\":"
                + completed
                + "}\n\n");
  }

  @Test
  void streams_function_call_arguments_and_closes_the_message_when_the_call_starts() {
    List<String> events =
        names(
            run(
                request(
                    "{\"model\": \"gpt-4o\", \"input\": \"hi\", \"tools\": [{\"type\": \"function\", \"name\": \"w\"}]}"),
                start(),
                text(0, "Checking."),
                toolStart(1, "tooluse_a", "w"),
                toolDelta(1, "{\"city\":"),
                toolDelta(1, "\"Paris\"}"),
                stop(1),
                messageStop(StopReason.TOOL_USE),
                metadata()));
    assertThat(events)
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.done",
            "response.output_item.done",
            "response.completed");
  }

  @Test
  void streams_the_reasoning_summary_and_seals_the_signed_reasoning_in_the_finished_item() {
    String sse =
        run(
            request(
                "{\"model\": \"gpt-4o\", \"input\": \"hi\", \"reasoning\": {\"summary\": \"auto\"},"
                    + " \"include\": [\"reasoning.encrypted_content\"]}"),
            start(),
            reasoning(0, "Thi"),
            reasoning(0, "nk."),
            signature(0, "c2ln"),
            stop(0),
            text(1, "Yes"),
            stop(1),
            messageStop(StopReason.END_TURN),
            metadata());
    assertThat(names(sse))
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.reasoning_summary_part.added",
            "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done",
            "response.reasoning_summary_part.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
    JsonNode done = data(sse).get(8).get("item");
    assertThat(done)
        .isEqualTo(
            json(
                "{\"id\": \"rs_abc_0\", \"type\": \"reasoning\", \"summary\": [{\"type\": \"summary_text\","
                    + " \"text\": \"Think.\"}], \"encrypted_content\": \""
                    + SignedReasoning.seal(List.of(ConverseToResponsesTest.SIGNED))
                    + "\"}"));
  }

  @Test
  void a_custom_tool_call_streams_its_decoded_input() {
    String sse =
        run(
            request(
                "{\"model\": \"gpt-4o\", \"input\": \"hi\", \"tools\": [{\"type\": \"custom\", \"name\": \"apply_patch\"}]}"),
            start(),
            toolStart(0, "tooluse_7", "apply_patch"),
            toolDelta(0, "{\"input\":\"*** Begin"),
            toolDelta(0, " Patch\\n\"}"),
            stop(0),
            messageStop(StopReason.TOOL_USE),
            metadata());
    assertThat(names(sse))
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.custom_tool_call_input.delta",
            "response.custom_tool_call_input.done",
            "response.output_item.done",
            "response.completed");
    assertThat(data(sse).get(3).get("delta").asText()).isEqualTo("*** Begin Patch\n");
    assertThat(data(sse).get(2).get("item"))
        .isEqualTo(
            json(
                "{\"id\": \"ctc_abc_0\", \"type\": \"custom_tool_call\","
                    + " \"status\": \"in_progress\", \"call_id\": \"tooluse_7\", \"name\": \"apply_patch\", \"input\": \"\"}"));
  }

  static Stream<Arguments> sameAnswers() {
    return Stream.of(
        Arguments.of(
            "text",
            "{\"model\": \"gpt-4o\", \"input\": \"hi\"}",
            List.of(
                start(),
                text(0, "Hello "),
                text(0, "there"),
                stop(0),
                messageStop(StopReason.END_TURN),
                metadata()),
            answer(StopReason.END_TURN, ContentBlock.fromText("Hello there"))),
        Arguments.of(
            "text and two tool calls",
            "{\"model\": \"gpt-4o\", \"input\": \"hi\", \"tools\": [{\"type\": \"function\", \"name\": \"w\"}]}",
            List.of(
                start(),
                text(0, "Checking."),
                stop(0),
                toolStart(1, "tooluse_a", "w"),
                toolDelta(1, "{\"city\":\"Paris\"}"),
                stop(1),
                toolStart(2, "tooluse_b", "w"),
                stop(2),
                messageStop(StopReason.TOOL_USE),
                metadata()),
            answer(
                StopReason.TOOL_USE,
                ContentBlock.fromText("Checking."),
                toolUse("tooluse_a", "w", "{\"city\":\"Paris\"}"),
                toolUse("tooluse_b", "w", "{}"))),
        Arguments.of(
            "reasoning then text, summary and sealed blocks",
            "{\"model\": \"gpt-4o\", \"input\": \"hi\", \"reasoning\": {\"summary\": \"auto\"}, \"include\": [\"reasoning.encrypted_content\"]}",
            List.of(
                start(),
                reasoning(0, "Think."),
                signature(0, "c2ln"),
                stop(0),
                text(1, "Yes"),
                stop(1),
                messageStop(StopReason.END_TURN),
                metadata()),
            answer(
                StopReason.END_TURN,
                ContentBlock.fromReasoningContent(ConverseToResponsesTest.SIGNED),
                ContentBlock.fromText("Yes"))),
        Arguments.of(
            "structured output through the tool, text beside it dropped",
            "{\"model\": \"gpt-4o\", \"input\": \"hi\", \"text\": {\"format\": {\"type\": \"json_object\"}}}",
            List.of(
                start(),
                text(0, "Here:"),
                stop(0),
                toolStart(1, "tooluse_s", "json_object"),
                toolDelta(1, "{\"a\":"),
                toolDelta(1, "1}"),
                stop(1),
                messageStop(StopReason.TOOL_USE),
                metadata()),
            answer(
                StopReason.TOOL_USE,
                ContentBlock.fromText("Here:"),
                toolUse("tooluse_s", "json_object", "{\"a\":1}"))),
        Arguments.of(
            "structured output not called: the held text is the answer",
            "{\"model\": \"gpt-4o\", \"input\": \"hi\", \"text\": {\"format\": {\"type\": \"json_object\"}}}",
            List.of(
                start(),
                text(0, "I cannot."),
                stop(0),
                messageStop(StopReason.END_TURN),
                metadata()),
            answer(StopReason.END_TURN, ContentBlock.fromText("I cannot."))),
        Arguments.of(
            "the token limit",
            "{\"model\": \"gpt-4o\", \"input\": \"hi\"}",
            List.of(
                start(),
                text(0, "Once upon"),
                stop(0),
                messageStop(StopReason.MAX_TOKENS),
                metadata()),
            answer(StopReason.MAX_TOKENS, ContentBlock.fromText("Once upon"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sameAnswers")
  void the_stream_ends_with_the_same_response_as_the_plain_answer_and_numbers_every_event(
      String name, String requestJson, List<ConverseStreamOutput> events, ConverseResponse plain) {
    ResponsesRequest request = request(requestJson);
    ResponsesStreamTranslator t = new ResponsesStreamTranslator("resp_abc", 7, request);
    String sse = run(t, events);
    List<JsonNode> data = data(sse);
    for (int i = 0; i < data.size(); i++) {
      assertThat(data.get(i).get("sequence_number").asInt()).isEqualTo(i);
    }
    JsonNode last = data.get(data.size() - 1);
    JsonNode expected = json(ConverseToResponses.response(plain, request, "resp_abc", 7).json());
    assertThat(last.get("response")).isEqualTo(expected);
    assertThat(json(t.finalResponse())).isEqualTo(expected);
    // every finished item was announced with the same content as the final output
    List<JsonNode> doneItems = new ArrayList<>();
    data.stream()
        .filter(d -> d.get("type").asText().equals("response.output_item.done"))
        .forEach(d -> doneItems.add(d.get("item")));
    assertThat(doneItems).containsExactlyElementsOf(expected.get("output"));
  }

  @Test
  void a_stream_that_ends_before_message_stop_is_not_completed() {
    ResponsesStreamTranslator t =
        new ResponsesStreamTranslator(
            "resp_abc", 7, request("{\"model\": \"gpt-4o\", \"input\": \"hi\"}"));
    StringBuilder out = new StringBuilder();
    t.onEvent(start(), out);
    t.onEvent(text(0, "partial"), out);
    StringBuilder end = new StringBuilder();
    assertThat(t.complete(end)).isFalse();
    assertThat(end).isEmpty();
    assertThat(t.finalResponse()).isNull();
  }

  @Test
  void a_failure_after_the_first_event_is_an_error_event_then_response_failed() {
    ResponsesStreamTranslator t =
        new ResponsesStreamTranslator(
            "resp_abc", 7, request("{\"model\": \"gpt-4o\", \"input\": \"hi\"}"));
    StringBuilder out = new StringBuilder();
    t.onEvent(start(), out);
    t.onEvent(text(0, "partial"), out);
    out.setLength(0);
    t.fail(
        new GatewayException(
            429, GatewayException.RATE_LIMIT, "Slow down.", null, "rate_limit_exceeded"),
        out);
    assertThat(names(out.toString())).containsExactly("error", "response.failed");
    List<JsonNode> data = data(out.toString());
    assertThat(data.get(0))
        .isEqualTo(
            json(
                "{\"type\": \"error\", \"sequence_number\": 5, \"code\": \"rate_limit_exceeded\","
                    + " \"message\": \"Slow down.\", \"param\": null}"));
    JsonNode failed = data.get(1).get("response");
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("error"))
        .isEqualTo(json("{\"code\": \"rate_limit_exceeded\", \"message\": \"Slow down.\"}"));
    assertThat(failed.get("output")).isEmpty();
    assertThat(data.get(1).get("sequence_number").asInt()).isEqualTo(6);
  }

  // ---------------------------------------------------------------- fixtures

  private static String run(ResponsesRequest request, ConverseStreamOutput... events) {
    return run(new ResponsesStreamTranslator("resp_abc", 7, request), List.of(events));
  }

  private static String run(ResponsesStreamTranslator t, List<ConverseStreamOutput> events) {
    StringBuilder out = new StringBuilder();
    for (ConverseStreamOutput e : events) {
      t.onEvent(e, out);
    }
    assertThat(t.complete(out)).isTrue();
    return out.toString();
  }

  /** The event names, checking each event's framing and that its data names the same type. */
  private static List<String> names(String sse) {
    List<String> names = new ArrayList<>();
    for (String block : sse.split("\n\n")) {
      String[] lines = block.split("\n");
      assertThat(lines).hasSize(2);
      assertThat(lines[0]).startsWith("event: ");
      assertThat(lines[1]).startsWith("data: ");
      String name = lines[0].substring(7);
      assertThat(json(lines[1].substring(6)).get("type").asText()).isEqualTo(name);
      names.add(name);
    }
    return names;
  }

  private static List<JsonNode> data(String sse) {
    List<JsonNode> data = new ArrayList<>();
    for (String block : sse.split("\n\n")) {
      data.add(json(block.substring(block.indexOf("\ndata: ") + 7)));
    }
    return data;
  }

  static ConverseStreamOutput start() {
    return ConverseStreamOutput.messageStartBuilder().role(ConversationRole.ASSISTANT).build();
  }

  static ConverseStreamOutput text(int index, String text) {
    return ConverseStreamOutput.contentBlockDeltaBuilder()
        .contentBlockIndex(index)
        .delta(ContentBlockDelta.fromText(text))
        .build();
  }

  static ConverseStreamOutput reasoning(int index, String text) {
    return ConverseStreamOutput.contentBlockDeltaBuilder()
        .contentBlockIndex(index)
        .delta(ContentBlockDelta.fromReasoningContent(ReasoningContentBlockDelta.fromText(text)))
        .build();
  }

  static ConverseStreamOutput signature(int index, String signature) {
    return ConverseStreamOutput.contentBlockDeltaBuilder()
        .contentBlockIndex(index)
        .delta(
            ContentBlockDelta.fromReasoningContent(
                ReasoningContentBlockDelta.fromSignature(signature)))
        .build();
  }

  static ConverseStreamOutput toolStart(int index, String id, String name) {
    return ConverseStreamOutput.contentBlockStartBuilder()
        .contentBlockIndex(index)
        .start(s -> s.toolUse(ToolUseBlockStart.builder().toolUseId(id).name(name).build()))
        .build();
  }

  static ConverseStreamOutput toolDelta(int index, String input) {
    return ConverseStreamOutput.contentBlockDeltaBuilder()
        .contentBlockIndex(index)
        .delta(ContentBlockDelta.fromToolUse(ToolUseBlockDelta.builder().input(input).build()))
        .build();
  }

  static ConverseStreamOutput stop(int index) {
    return ConverseStreamOutput.contentBlockStopBuilder().contentBlockIndex(index).build();
  }

  static ConverseStreamOutput messageStop(StopReason reason) {
    return ConverseStreamOutput.messageStopBuilder().stopReason(reason).build();
  }

  static ConverseStreamOutput metadata() {
    return ConverseStreamOutput.metadataBuilder()
        .usage(u -> u.inputTokens(5).outputTokens(2).totalTokens(7))
        .build();
  }
}
