package io.github.bedrockgateway.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * How one route writes a planned answer: Converse's JSON and event stream ({@link
 * ConverseWire#WIRE}), Claude's Messages body and {@code chunk} frames ({@link AnthropicWire}), or
 * a fixed JSON body ({@link #json}). {@link Exchange} decides when; the wire decides what the bytes
 * are.
 */
interface Wire {

  /** Writes the whole non-streaming answer (status, headers, body) and ends the response. */
  void answer(HttpServerResponse response, ReplyScript script, long latencyMs);

  /** Every event of a streamed answer, in order; the last one ends the response. */
  List<ConverseWire.StreamEvent> streamEvents(ReplyScript script);

  /**
   * The bytes of one frame as it is written, with the timing figures known only then filled in.
   *
   * @param elapsedMs since the request arrived
   * @param firstByteMs from the request's arrival to the first frame written
   */
  byte[] frame(ConverseWire.StreamEvent event, long elapsedMs, long firstByteMs);

  /**
   * A fixed JSON answer (embeddings, CountTokens), never streamed, with headers made once the
   * latency is known.
   */
  static Wire json(ObjectNode body, LongFunction<Map<String, String>> headers) {
    return new Wire() {
      @Override
      public void answer(HttpServerResponse response, ReplyScript script, long latencyMs) {
        headers.apply(latencyMs).forEach(response::putHeader);
        response
            .setStatusCode(200)
            .putHeader("Content-Type", "application/json")
            .end(Buffer.buffer(ConverseWire.bytes(body)));
      }

      @Override
      public List<ConverseWire.StreamEvent> streamEvents(ReplyScript script) {
        throw new IllegalStateException("a JSON answer is never streamed");
      }

      @Override
      public byte[] frame(ConverseWire.StreamEvent event, long elapsedMs, long firstByteMs) {
        throw new IllegalStateException("a JSON answer is never streamed");
      }
    };
  }
}
