package io.github.bedrockgateway.eventstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * The small-buffer decoder returns exactly what the library's encoder wrote, however it is chunked.
 */
class EventStreamDecoderTest {

  private static Message frame(String eventType, String payload) {
    return new Message(
        Map.of(
            ":event-type",
            HeaderValue.fromString(eventType),
            ":content-type",
            HeaderValue.fromString("application/json"),
            ":message-type",
            HeaderValue.fromString("event")),
        payload.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void starts_small_and_decodes_frames_split_anywhere_growing_for_large_ones() {
    List<Message> sent = new ArrayList<>();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (int i = 0; i < 200; i++) {
      // some frames are larger than the initial buffer, so it has to grow
      String text = i % 50 == 7 ? "x".repeat(5000 + i) : "tok" + i + " ";
      Message m =
          frame(
              "contentBlockDelta",
              "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + text + "\"}}");
      sent.add(m);
      ByteBuffer b = m.toByteBuffer();
      wire.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
    }
    byte[] bytes = wire.toByteArray();
    Random random = new Random(42);
    for (int round = 0; round < 20; round++) {
      List<Message> got = new ArrayList<>();
      EventStreamDecoder decoder = new EventStreamDecoder(got::add);
      assertThat(decoder.bufferSize()).isEqualTo(EventStreamDecoder.INITIAL_BUFFER_SIZE);
      int at = 0;
      while (at < bytes.length) {
        int n =
            Math.min(
                bytes.length - at,
                round == 0 ? 1 : round == 1 ? bytes.length : 1 + random.nextInt(700));
        ByteBuffer chunk = ByteBuffer.wrap(bytes, at, n);
        decoder.feed(chunk);
        assertThat(chunk.hasRemaining()).isFalse();
        at += n;
      }
      assertThat(got).hasSize(sent.size());
      for (int i = 0; i < sent.size(); i++) {
        assertThat(got.get(i).getPayload()).isEqualTo(sent.get(i).getPayload());
        assertThat(got.get(i).getHeaders()).isEqualTo(sent.get(i).getHeaders());
      }
    }
  }

  @Test
  void a_corrupted_frame_fails_like_the_library() {
    ByteBuffer b = frame("messageStart", "{\"role\":\"assistant\"}").toByteBuffer();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    bytes[bytes.length - 6] ^= 1; // payload byte: the message CRC no longer matches
    EventStreamDecoder decoder = new EventStreamDecoder(m -> {});
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(bytes)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
