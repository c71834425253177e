package io.github.bedrockgateway.eventstream;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import software.amazon.eventstream.Message;

/**
 * Incremental decoder of {@code application/vnd.amazon.eventstream} frames that starts with a small
 * buffer and grows it to the largest frame seen.
 *
 * <p>Why it exists: the library's {@code software.amazon.eventstream.MessageDecoder} allocates a 2
 * MiB heap buffer per decoder, and the AWS SDK creates one per {@code ConverseStream} call. That is
 * 2 MiB zeroed per stream and 4 GiB of heap for 2000 concurrent streams, while Bedrock frames are a
 * few hundred bytes (docs/performance.md, "Profile"). This module replaces the library class with a
 * shell that delegates here ({@code software.amazon.eventstream.MessageDecoder} in this module).
 *
 * <p>Frames are handed to the consumer as soon as they are complete, whatever the chunking of the
 * input. Decoding and the checks of lengths and CRCs are the library's ({@link
 * Message#decode(ByteBuffer)}).
 */
public final class EventStreamDecoder {

  /** Enough for the frames Bedrock sends (a text delta is about 150 bytes). */
  public static final int INITIAL_BUFFER_SIZE = 1024;

  private static final int PRELUDE_LENGTH = 12;

  /** The event-stream format's limit on one frame (16 MiB of payload plus headers). */
  private static final int MAX_FRAME_LENGTH = 16 * 1024 * 1024 + 128 * 1024 + 16;

  private final Consumer<Message> consumer;
  private ByteBuffer buf;

  /** Length of the frame being read, or -1 before its prelude is complete. */
  private int frameLength = -1;

  public EventStreamDecoder(Consumer<Message> consumer) {
    this.consumer = consumer;
    this.buf = ByteBuffer.allocate(INITIAL_BUFFER_SIZE);
  }

  public void feed(ByteBuffer input) {
    while (input.hasRemaining()) {
      if (frameLength < 0) {
        take(input, PRELUDE_LENGTH - buf.position());
        if (buf.position() < PRELUDE_LENGTH) {
          return;
        }
        frameLength = buf.getInt(0);
        if (frameLength < PRELUDE_LENGTH + 4 || frameLength > MAX_FRAME_LENGTH) {
          // let the library produce its usual error for a corrupt prelude
          Message.decode((ByteBuffer) buf.duplicate().flip());
          throw new IllegalArgumentException("Invalid event-stream frame length " + frameLength);
        }
        if (buf.capacity() < frameLength) {
          ByteBuffer bigger = ByteBuffer.allocate(frameLength);
          buf.flip();
          bigger.put(buf);
          buf = bigger;
        }
      }
      take(input, frameLength - buf.position());
      if (buf.position() < frameLength) {
        return;
      }
      buf.flip();
      Message message = Message.decode(buf);
      buf.clear();
      frameLength = -1;
      consumer.accept(message);
    }
  }

  public int bufferSize() {
    return buf.capacity();
  }

  private void take(ByteBuffer input, int wanted) {
    int n = Math.min(wanted, input.remaining());
    if (n <= 0) {
      return;
    }
    ByteBuffer slice = input.duplicate();
    slice.limit(slice.position() + n);
    buf.put(slice);
    input.position(input.position() + n);
  }
}
