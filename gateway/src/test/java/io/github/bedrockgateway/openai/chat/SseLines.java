package io.github.bedrockgateway.openai.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reading a server-sent event stream line by line in tests. */
final class SseLines {

  private SseLines() {}

  /**
   * Reads lines until one contains the marker; fails if the stream ends first. Returns what was
   * read.
   */
  static String readUntil(BufferedReader reader, String marker) {
    StringBuilder seen = new StringBuilder();
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        seen.append(line).append('\n');
        if (line.contains(marker)) {
          return seen.toString();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("stream ended before '" + marker + "'; saw:\n" + seen);
  }
}
