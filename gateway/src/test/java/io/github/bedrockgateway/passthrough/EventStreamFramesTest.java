package io.github.bedrockgateway.passthrough;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bedrockgateway.error.GatewayException;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/** Frame boundaries, the usage of the last frame, and the exception frames the gateway writes. */
class EventStreamFramesTest {

  static byte[] event(String type, String json) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    return bytes(new Message(headers, json.getBytes(UTF_8)));
  }

  static byte[] exception(String type, String message) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":exception-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("exception"));
    return bytes(new Message(headers, ("{\"message\":\"" + message + "\"}").getBytes(UTF_8)));
  }

  static byte[] chunk(String anthropicEventJson) {
    return event(
        "chunk",
        "{\"bytes\":\""
            + Base64.getEncoder().encodeToString(anthropicEventJson.getBytes(UTF_8))
            + "\",\"p\":\"abcd\"}");
  }

  static byte[] bytes(Message m) {
    ByteBuffer b = m.toByteBuffer();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void forwards_whole_frames_only_and_keeps_the_split_one_for_later() throws Exception {
    byte[] a = event("messageStart", "{\"role\":\"assistant\"}");
    byte[] b = event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}");
    byte[] c = event("messageStop", "{\"stopReason\":\"end_turn\"}");
    byte[] stream = concat(a, b, c);
    FrameCutter cutter = new FrameCutter();
    // one network read ends in the middle of b's length prefix, the next in the middle of c
    int cut1 = a.length + 2;
    int cut2 = a.length + b.length + 10;
    Buffer first = cutter.push(Buffer.buffer(java.util.Arrays.copyOfRange(stream, 0, cut1)));
    assertThat(first.getBytes()).isEqualTo(a);
    assertThat(cutter.atBoundary()).isFalse();
    Buffer second = cutter.push(Buffer.buffer(java.util.Arrays.copyOfRange(stream, cut1, cut2)));
    assertThat(second.getBytes()).isEqualTo(b);
    Buffer third =
        cutter.push(Buffer.buffer(java.util.Arrays.copyOfRange(stream, cut2, stream.length)));
    assertThat(third.getBytes()).isEqualTo(c);
    assertThat(cutter.atBoundary()).isTrue();
    assertThat(cutter.frames()).isEqualTo(3);
    assertThat(cutter.lastFrame()).isEqualTo(c);
  }

  @Test
  void a_read_of_whole_frames_goes_out_as_it_came() throws Exception {
    Buffer read = Buffer.buffer(concat(event("messageStart", "{}"), event("messageStop", "{}")));
    assertThat(new FrameCutter().push(read)).isSameAs(read);
  }

  @Test
  void a_length_no_frame_can_have_is_refused() {
    FrameCutter cutter = new FrameCutter();
    assertThatThrownBy(() -> cutter.push(Buffer.buffer("HTTP/1.1 200 OK\r\n")))
        .isInstanceOf(FrameCutter.BadFrame.class);
    assertThatThrownBy(
            () -> new FrameCutter().push(Buffer.buffer(new byte[] {0, 0, 0, 3, 0, 0, 0, 0})))
        .isInstanceOf(FrameCutter.BadFrame.class);
  }

  @Test
  void usage_of_a_converse_stream_is_in_its_metadata_event() {
    byte[] metadata =
        event(
            "metadata",
            "{\"usage\":{\"inputTokens\":12,\"outputTokens\":5,\"totalTokens\":20,"
                + "\"cacheReadInputTokens\":3},\"metrics\":{\"latencyMs\":4}}");
    assertThat(Usage.fromLastFrame(metadata))
        .isEqualTo(
            TokenUsage.builder()
                .inputTokens(12)
                .outputTokens(5)
                .totalTokens(20)
                .cacheReadInputTokens(3)
                .build());
  }

  @Test
  void usage_of_an_invoke_stream_is_in_the_invocation_metrics_of_its_last_chunk() {
    byte[] last =
        chunk(
            "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":30,"
                + "\"outputTokenCount\":7,\"invocationLatency\":120,\"firstByteLatency\":40,\"cacheWriteInputTokenCount\":2}}");
    assertThat(Usage.fromLastFrame(last))
        .isEqualTo(
            TokenUsage.builder()
                .inputTokens(30)
                .outputTokens(7)
                .totalTokens(39)
                .cacheWriteInputTokens(2)
                .build());
  }

  @Test
  void frames_without_usage_give_none() {
    assertThat(Usage.fromLastFrame(chunk("{\"type\":\"content_block_stop\",\"index\":0}")))
        .isNull();
    assertThat(Usage.fromLastFrame(exception("throttlingException", "slow down"))).isNull();
    assertThat(Usage.fromLastFrame(null)).isNull();
  }

  @Test
  void usage_of_whole_answers_comes_from_headers_or_the_converse_body() {
    Map<String, String> headers =
        Map.of("X-Amzn-Bedrock-Input-Token-Count", "11", "X-Amzn-Bedrock-Output-Token-Count", "4");
    assertThat(Usage.fromHeaders(headers::get))
        .isEqualTo(TokenUsage.builder().inputTokens(11).outputTokens(4).totalTokens(15).build());
    assertThat(Usage.fromHeaders(name -> null)).isNull();
    byte[] converse =
        ("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"{\\\"usage\\\":1}\"}]}},"
                + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":9,\"outputTokens\":2,\"totalTokens\":11}}")
            .getBytes(UTF_8);
    assertThat(Usage.fromConverseBody(converse))
        .isEqualTo(TokenUsage.builder().inputTokens(9).outputTokens(2).totalTokens(11).build());
  }

  @Test
  void an_exception_frame_at_the_end_is_recognised() {
    byte[] frame = exception("throttlingException", "Too many tokens");
    assertThat(StreamEnding.exceptionType(frame)).isEqualTo("throttlingException");
    assertThat(StreamEnding.status("throttlingException")).isEqualTo(429);
    assertThat(StreamEnding.exceptionType(event("messageStop", "{}"))).isNull();
  }

  @Test
  void the_gateways_exception_frame_is_a_valid_frame_an_sdk_reads() {
    Buffer frame =
        BedrockErrors.exceptionFrame(
            new GatewayException(
                503,
                GatewayException.SERVER_ERROR,
                "The gateway is shutting down; retry the request.",
                null,
                "shutting_down"));
    Message decoded = Message.decode(ByteBuffer.wrap(frame.getBytes()));
    assertThat(decoded.getHeaders().get(":message-type").getString()).isEqualTo("exception");
    assertThat(decoded.getHeaders().get(":exception-type").getString())
        .isEqualTo("serviceUnavailableException");
    assertThat(new String(decoded.getPayload(), UTF_8))
        .isEqualTo("{\"message\":\"The gateway is shutting down; retry the request.\"}");
  }
}
