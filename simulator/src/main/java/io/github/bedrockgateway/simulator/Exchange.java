package io.github.bedrockgateway.simulator;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Answers one request from its {@link ReplyScript}: waits the scripted latency, then sends the
 * error, the body, or the stream events one by one (pausing between them, at a hold, or while the
 * client's socket is full), and stops as soon as the client goes away. The {@link Wire} of the
 * route (Converse, Claude's InvokeModel, a fixed JSON answer) decides what the bytes are.
 *
 * <p>One per request, not thread-safe: every method runs on the request's event loop (a release
 * from a test thread hops back onto it through {@link Context#runOnContext}).
 */
final class Exchange implements HoldGates.Parked {

  static final Duration HOLD_SAFETY_TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final Context context;
  private final HttpServerResponse response;
  private final RecordedRequest record;
  private final ReplyScript script;
  private final Wire wire;
  private final HoldGates holds;
  private final long chunkDelayMs;
  private final long startNanos;

  private List<ConverseWire.StreamEvent> events;
  private int holdIndex = -1;
  private int resumeAt;
  private long timerId = -1;
  private long firstByteMs = -1;
  private boolean finished;
  private boolean clientGone;

  Exchange(
      Vertx vertx,
      HttpServerResponse response,
      RecordedRequest record,
      ReplyScript script,
      Wire wire,
      HoldGates holds,
      Duration defaultChunkDelay,
      long startNanos) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.response = response;
    this.record = record;
    this.script = script;
    this.wire = wire;
    this.holds = holds;
    this.chunkDelayMs =
        script.chunkDelayMs() != null ? script.chunkDelayMs() : defaultChunkDelay.toMillis();
    this.startNanos = startNanos;
  }

  void start() {
    response.closeHandler(v -> onClientGone());
    response.exceptionHandler(e -> onClientGone());
    if (script.latencyMs() > 0) {
      timerId =
          vertx.setTimer(
              script.latencyMs(),
              t -> {
                timerId = -1;
                answer();
              });
    } else {
      answer();
    }
  }

  private void answer() {
    if (clientGone) {
      return;
    }
    if (script.error() != null) {
      BedrockSimulator.sendError(response, script.error());
      finish();
    } else if (record.streaming()) {
      response
          .setStatusCode(200)
          .putHeader("Content-Type", ConverseWire.EVENT_STREAM_CONTENT_TYPE)
          .setChunked(true);
      events = wire.streamEvents(script);
      holdIndex = script.holdName() == null ? -1 : holdPoint(events);
      writeFrom(0);
    } else {
      wire.answer(response, script, elapsedMs());
      finish();
    }
  }

  /**
   * After the first text delta, or after the first delta of any kind when the reply has no text.
   */
  private static int holdPoint(List<ConverseWire.StreamEvent> events) {
    int firstDelta = -1;
    for (int i = 0; i < events.size() - 1; i++) {
      if (events.get(i).textDelta()) {
        return i;
      }
      if (firstDelta < 0 && events.get(i).contentDelta()) {
        firstDelta = i;
      }
    }
    return firstDelta;
  }

  private void writeFrom(int index) {
    int i = index;
    while (i < events.size()) {
      if (clientGone) {
        return;
      }
      if (response.writeQueueFull()) {
        int resume = i;
        response.drainHandler(
            v -> {
              response.drainHandler(null);
              writeFrom(resume);
            });
        return;
      }
      if (firstByteMs < 0) {
        firstByteMs = elapsedMs();
      }
      Buffer frame = Buffer.buffer(wire.frame(events.get(i), elapsedMs(), firstByteMs));
      if (i == events.size() - 1) {
        response.end(frame);
        finish();
        return;
      }
      Future<Void> written = response.write(frame);
      int next = i + 1;
      if (i == holdIndex) {
        // Park only once the delta has left the socket, so a test that sees the hold can rely on
        // it.
        written.onComplete(ar -> park(next));
        return;
      }
      if (chunkDelayMs > 0) {
        timerId =
            vertx.setTimer(
                chunkDelayMs,
                t -> {
                  timerId = -1;
                  writeFrom(next);
                });
        return;
      }
      i = next;
    }
  }

  private void park(int next) {
    if (clientGone) {
      return;
    }
    resumeAt = next;
    if (!holds.park(script.holdName(), this)) {
      writeFrom(next);
      return;
    }
    timerId =
        vertx.setTimer(
            HOLD_SAFETY_TIMEOUT.toMillis(),
            t -> {
              timerId = -1;
              if (holds.unpark(script.holdName(), this)) {
                writeFrom(resumeAt);
              }
            });
  }

  @Override
  public void resume() {
    context.runOnContext(
        v -> {
          cancelTimer();
          writeFrom(resumeAt);
        });
  }

  private void onClientGone() {
    if (finished || clientGone) {
      return;
    }
    clientGone = true;
    cancelTimer();
    if (script.holdName() != null) {
      holds.unpark(script.holdName(), this);
    }
    record.clientCancelled().complete(true);
  }

  private void finish() {
    finished = true;
    record.clientCancelled().complete(false);
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private long elapsedMs() {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }
}
