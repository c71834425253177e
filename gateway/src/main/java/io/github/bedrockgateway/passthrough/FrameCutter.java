package io.github.bedrockgateway.passthrough;

import io.vertx.core.buffer.Buffer;

/**
 * Cuts an {@code application/vnd.amazon.eventstream} byte stream at frame boundaries without
 * decoding it: each frame starts with its total length (4 bytes, big-endian), so finding the
 * boundaries costs one integer read per frame. The relay forwards only whole frames (a frame split
 * across two network reads waits, usually microseconds, for its end), which lets it end a broken
 * stream with a well-formed exception frame, and keeps a copy of the last frame, where the usage
 * is. One per stream; not thread-safe.
 */
final class FrameCutter {

  /** Smallest frame: prelude (8), prelude CRC (4), message CRC (4). */
  static final int MIN_FRAME = 16;

  /** The event-stream format's limit for one frame. */
  static final int MAX_FRAME = 16 * 1024 * 1024;

  /**
   * A length prefix that cannot start a frame: the stream is not an event stream, or is corrupt.
   */
  static final class BadFrame extends Exception {
    BadFrame(String message) {
      super(message, null, false, false);
    }
  }

  private Buffer partial;
  private byte[] last;
  private long frames;

  /**
   * Takes the next bytes of the stream and answers the whole frames they complete (possibly none,
   * possibly {@code chunk} itself); the bytes of a frame not yet complete are kept for the next
   * call.
   */
  Buffer push(Buffer chunk) throws BadFrame {
    Buffer bytes = partial == null ? chunk : partial.appendBuffer(chunk);
    int length = bytes.length();
    int pos = 0;
    int lastStart = -1;
    int lastLength = 0;
    while (length - pos >= 4) {
      long frameLength = bytes.getUnsignedInt(pos);
      if (frameLength < MIN_FRAME || frameLength > MAX_FRAME) {
        throw new BadFrame("an event-stream frame announced " + frameLength + " bytes");
      }
      if (length - pos < frameLength) {
        break;
      }
      lastStart = pos;
      lastLength = (int) frameLength;
      pos += (int) frameLength;
      frames++;
    }
    if (lastStart >= 0) {
      last = bytes.getBytes(lastStart, lastStart + lastLength);
    }
    if (pos == length) {
      partial = null;
      return bytes;
    }
    partial = bytes.getBuffer(pos, length);
    return pos == 0 ? Buffer.buffer() : bytes.getBuffer(0, pos);
  }

  /** Whether every byte received so far belongs to a whole frame. */
  boolean atBoundary() {
    return partial == null;
  }

  /** A copy of the last whole frame, or null before the first. */
  byte[] lastFrame() {
    return last;
  }

  /** Whole frames seen. */
  long frames() {
    return frames;
  }
}
