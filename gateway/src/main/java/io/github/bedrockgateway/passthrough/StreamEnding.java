package io.github.bedrockgateway.passthrough;

import java.nio.ByteBuffer;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * How a forwarded stream ended, read from its last frame: normally, or with Bedrock's exception
 * frame. Pure.
 */
final class StreamEnding {

  private StreamEnding() {}

  /** The {@code :exception-type} of the frame when it is an exception frame, else null. */
  static String exceptionType(byte[] frame) {
    if (frame == null) {
      return null;
    }
    try {
      Message message = Message.decode(ByteBuffer.wrap(frame));
      HeaderValue kind = message.getHeaders().get(":message-type");
      if (kind == null || !"exception".equals(kind.getString())) {
        return null;
      }
      HeaderValue type = message.getHeaders().get(":exception-type");
      return type == null ? "exception" : type.getString();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The status the access log records for an in-stream exception (the HTTP status already said
   * 200).
   */
  static int status(String exceptionType) {
    return switch (exceptionType) {
      case "validationException" -> 400;
      case "modelTimeoutException" -> 408;
      case "modelStreamErrorException" -> 424;
      case "throttlingException" -> 429;
      case "serviceUnavailableException" -> 503;
      default -> 500;
    };
  }
}
