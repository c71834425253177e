package io.github.bedrockgateway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The directive language and Bedrock's request rules, table-tested without any server. */
class SimulatorReplyScriptTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode body(String userText) {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("messages")
        .addObject()
        .put("role", "user")
        .putArray("content")
        .addObject()
        .put("text", userText);
    return body;
  }

  private static ReplyScript plan(String userText) {
    return ReplyScript.plan(body(userText), "model");
  }

  static Stream<Arguments> rejected_directives() {
    return Stream.of(
        Arguments.of("@sim nonsense", "Unknown simulator directive '@sim nonsense'"),
        Arguments.of("@sim tokens=many", "'@sim tokens' needs a whole number"),
        Arguments.of("@sim reply=", "'@sim reply' needs a value"),
        Arguments.of("@sim tool=bad!name", "needs a tool name"),
        Arguments.of("@sim tool=lookup {not json", "not valid JSON"),
        Arguments.of("@sim tool=lookup [1, 2]", "needs a JSON object"),
        Arguments.of("@sim stop=because", "'@sim stop' needs one of"),
        Arguments.of("@sim error=TeapotException", "'@sim error' needs a Bedrock error type"),
        Arguments.of(
            "@sim error=InvalidSignatureException", "'@sim error' needs a Bedrock error type"),
        Arguments.of(
            "@sim stream-error=accessDeniedException", "'@sim stream-error' needs one of"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected_directives")
  void rejects_a_malformed_directive_as_a_validation_error(String text, String message) {
    BedrockError error = plan(text).error();

    assertThat(error.type()).isEqualTo(BedrockErrorType.VALIDATION_EXCEPTION);
    assertThat(error.message()).contains(message);
  }

  @Test
  void only_whole_lines_starting_with_the_marker_are_directives() {
    ReplyScript script = plan("say @sim reply=no\n  @sim reply=indented is fine  \n@simreply=no");

    assertThat(script.text()).isEqualTo("indented is fine");
  }

  @Test
  void reply_lines_join_and_win_over_tokens_which_win_over_echo() {
    assertThat(plan("echoed\n@sim tokens=2\n@sim reply=one\n@sim reply=two").text())
        .isEqualTo("one\ntwo");
    assertThat(plan("echoed\n@sim tokens=2").text()).isEqualTo("tok1 tok2");
    assertThat(plan("echoed\n@sim echo").text()).isEqualTo("echoed");
    assertThat(plan("@sim echo").text()).isEqualTo("OK");
  }

  @Test
  void echo_together_with_a_tool_keeps_the_text() {
    ReplyScript script = plan("Looking it up.\n@sim echo\n@sim tool=lookup {\"q\":1}");

    assertThat(script.text()).isEqualTo("Looking it up.");
    assertThat(script.toolCalls()).extracting(ReplyScript.ToolCall::name).containsExactly("lookup");
    assertThat(script.stopReason()).isEqualTo("tool_use");
  }

  @Test
  void a_cut_reply_drops_the_tool_calls_it_never_reached_but_a_forced_stop_reason_wins() {
    ObjectNode body = body("@sim tokens=5\n@sim tool=lookup");
    body.putObject("inferenceConfig").put("maxTokens", 2);
    ReplyScript cut = ReplyScript.plan(body, "model");
    assertThat(cut.toolCalls()).isEmpty();
    assertThat(cut.stopReason()).isEqualTo("max_tokens");

    ObjectNode forced = body("@sim tokens=5\n@sim stop=content_filtered");
    forced.putObject("inferenceConfig").put("maxTokens", 2);
    assertThat(ReplyScript.plan(forced, "model").stopReason()).isEqualTo("content_filtered");
  }

  @Test
  void a_stop_sequence_at_the_start_leaves_no_text_block() {
    ObjectNode body = body("@sim reply=END of story");
    ArrayNode stops = body.putObject("inferenceConfig").putArray("stopSequences");
    stops.add("END");

    ReplyScript script = ReplyScript.plan(body, "model");

    assertThat(script.text()).isEmpty();
    assertThat(script.stopReason()).isEqualTo("stop_sequence");
    assertThat(ConverseWire.converseResponse(script, 1).at("/output/message/content")).isEmpty();
  }

  @Test
  void stream_error_defaults_to_the_start_of_the_stream_and_to_the_real_message() {
    ReplyScript script = plan("hello world\n@sim stream-error=serviceUnavailableException");

    List<ConverseWire.StreamEvent> events = ConverseWire.streamEvents(script);

    assertThat(events)
        .extracting(ConverseWire.StreamEvent::type)
        .containsExactly("messageStart", "serviceUnavailableException");
    assertThat(events.get(1).payload().path("message").asText())
        .isEqualTo("Bedrock is unable to process your request.");
  }

  @Test
  void stream_error_after_more_deltas_than_the_reply_has_comes_before_message_stop() {
    ReplyScript script =
        plan("hello world\n@sim stream-error=internalServerException\n@sim stream-error-after=99");

    assertThat(ConverseWire.streamEvents(script))
        .extracting(ConverseWire.StreamEvent::type)
        .containsExactly(
            "messageStart",
            "contentBlockDelta",
            "contentBlockDelta",
            "contentBlockStop",
            "internalServerException");
  }

  @Test
  void tool_arguments_stream_in_two_or_three_fragments_that_join_back() {
    assertThat(ConverseWire.fragments("{}")).containsExactly("{", "}");
    assertThat(ConverseWire.fragments("{\"a\":1}"))
        .hasSize(3)
        .satisfies(f -> assertThat(String.join("", f)).isEqualTo("{\"a\":1}"));
  }

  @Test
  void word_pieces_join_back_to_the_text() {
    String text = "  leading space,\nnew line  and trailing ";
    assertThat(String.join("", ReplyScript.wordPieces(text))).isEqualTo(text);
    assertThat(ReplyScript.wordPieces("a b")).containsExactly("a ", "b");
  }

  @Test
  void the_system_prompt_must_not_hold_blank_text() {
    ObjectNode body = body("hi");
    body.putArray("system").addObject().put("text", " ");

    assertThat(ReplyScript.plan(body, "model").error().message())
        .isEqualTo(
            "The text field in the SystemContentBlock object at system.0 is blank. Add text to the text"
                + " field, and try again.");
  }

  @Test
  void usage_counts_tool_results_and_tool_inputs_of_earlier_turns() throws Exception {
    JsonNode body =
        JSON.readTree(
            """
                {"messages": [
                  {"role": "user", "content": [{"text": "12345678"}]},
                  {"role": "assistant", "content": [{"toolUse": {"toolUseId": "t", "name": "n", "input": {"k": "v"}}}]},
                  {"role": "user", "content": [{"toolResult": {"toolUseId": "t", "content": [{"text": "abcd"}]}}]}
                ]}""");

    ReplyScript script = ReplyScript.plan(body, "model");

    // 8 + 9 ({"k":"v"}) + 4 = 21 characters -> 6 tokens; the tool result is echoed.
    assertThat(script.usage().inputTokens()).isEqualTo(6);
    assertThat(script.text()).isEqualTo("abcd");
  }
}
