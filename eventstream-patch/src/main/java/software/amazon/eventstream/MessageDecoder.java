package software.amazon.eventstream;

import io.github.bedrockgateway.eventstream.EventStreamDecoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Replaces {@code software.amazon.eventstream:eventstream:1.0.1}'s MessageDecoder (same public
 * API), delegating to {@link EventStreamDecoder}, which starts with a 1 KiB buffer instead of 2 MiB
 * per stream, in the packaged application: the library's own class is hidden there by {@code
 * %prod.quarkus.class-loading.removed-resources} (application.properties), and the gateway's
 * PackagedAppIT checks the packaged jars. In dev and test modes Quarkus loads this module in the
 * application class loader, which the SDK's class loader cannot see, so the library's class is
 * used.
 */
public final class MessageDecoder {

  /** Marks the replacement, so a test can tell it from the library's class. */
  public static final String REPLACED_BY = "bedrock-gateway-eventstream-patch";

  private final EventStreamDecoder decoder;
  private List<Message> bufferedOutput;

  public MessageDecoder() {
    this.bufferedOutput = new ArrayList<>();
    this.decoder = new EventStreamDecoder(m -> bufferedOutput.add(m));
  }

  public MessageDecoder(Consumer<Message> messageConsumer) {
    this.decoder = new EventStreamDecoder(messageConsumer);
  }

  public List<Message> getDecodedMessages() {
    if (bufferedOutput == null) {
      throw new IllegalStateException("");
    }
    List<Message> out = bufferedOutput;
    bufferedOutput = new ArrayList<>();
    return Collections.unmodifiableList(out);
  }

  public void feed(byte[] bytes) {
    feed(ByteBuffer.wrap(bytes));
  }

  public void feed(byte[] bytes, int offset, int length) {
    feed(ByteBuffer.wrap(bytes, offset, length));
  }

  public MessageDecoder feed(ByteBuffer byteBuffer) {
    decoder.feed(byteBuffer);
    return this;
  }

  int currentBufferSize() {
    return decoder.bufferSize();
  }
}
