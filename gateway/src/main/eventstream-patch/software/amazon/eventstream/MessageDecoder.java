package software.amazon.eventstream;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import io.github.bedrockgateway.bedrock.EventStreamDecoder;

/**
 * Replaces {@code software.amazon.eventstream:eventstream:1.0.1}'s MessageDecoder in the PACKAGED
 * application (same public API), delegating to {@link EventStreamDecoder}, which starts with a 1 KiB
 * buffer instead of 2 MiB per stream. Compiled at prepare-package only (pom.xml) because in dev and
 * test modes Quarkus loads the SDK in a parent class loader that cannot see application classes; the
 * library's class is removed from the packaged jar by
 * {@code %prod.quarkus.class-loading.removed-resources} (application.properties).
 */
public final class MessageDecoder {

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
