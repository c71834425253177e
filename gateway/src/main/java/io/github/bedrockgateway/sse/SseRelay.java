package io.github.bedrockgateway.sse;

import io.github.bedrockgateway.bedrock.BedrockErrorMapper;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.edge.ErrorRenderer;
import io.github.bedrockgateway.edge.OpenStream;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.observability.Exchange;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.impl.ContextInternal;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jboss.logging.Logger;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Relays one Bedrock event stream (ConverseStream, InvokeModelWithResponseStream) to one client as
 * server-sent events, in whichever protocol the {@link Translator} and the {@link Style} speak. One
 * per request.
 *
 * <p>Threading: the SDK calls in on its own threads; every callback hops to the request's Vert.x
 * context, so the translator, the response and the flags below are only ever touched on that one
 * thread. Back-pressure: events are requested from the SDK {@value #DEMAND} at a time, and more
 * only while the client's write queue has room, so a slow client slows the upstream read instead of
 * growing a buffer. Events translated from one burst are written to the client in one write (one
 * syscall), after the event loop's next round of I/O: no timer, so a lone event is written at once
 * (see docs/performance.md). An idle watchdog abandons an upstream that has gone silent; a protocol
 * with keep-alive events (Anthropic's {@code ping}) gets one written after each interval in which
 * nothing else was.
 *
 * @param <E> the SDK's event type
 */
public final class SseRelay<E> implements OpenStream {

  private static final Logger LOG = Logger.getLogger(SseRelay.class);

  /** Events requested from the SDK at a time; more are asked for when half have arrived. */
  public static final int DEMAND = 32;

  /**
   * Turns upstream events into the protocol's server-sent events. One per request, not thread-safe:
   * it holds the stream's state. Each method appends zero or more complete events to the builder.
   *
   * @param <E> the SDK's event type
   */
  public interface Translator<E> {

    /** Appends the events one upstream event turns into. */
    void onEvent(E event, StringBuilder out);

    /**
     * Appends what ends a stream that Bedrock completed, or returns false, appending nothing, when
     * Bedrock closed it before the answer was complete (the relay then sends an error event, never
     * an ending that would make a truncated answer look complete).
     */
    boolean complete(StringBuilder out);

    /** Whether any event has been produced. */
    boolean started();

    /** The token usage seen so far (for the access log and the metrics), or null. */
    TokenUsage usage();

    /**
     * The error an upstream event reported and {@link #onEvent} already relayed as an event (a
     * stream that ends that way is complete, but failed), or null.
     */
    default GatewayException relayedError() {
      return null;
    }
  }

  /**
   * How a protocol writes a stream's errors and keep-alives.
   *
   * @param errors the error answer while nothing has been written yet
   * @param errorEvent the error as one complete server-sent event, once the stream has begun
   * @param keepAlive how long the client may go without a byte before a keep-alive event is
   *     written; null for none
   * @param keepAliveEvent that event (one complete server-sent event)
   */
  public record Style(
      ErrorRenderer errors,
      Function<GatewayException, String> errorEvent,
      Duration keepAlive,
      String keepAliveEvent) {

    public Style {
      Objects.requireNonNull(errors, "errors");
      Objects.requireNonNull(errorEvent, "errorEvent");
      if (keepAlive != null) {
        Objects.requireNonNull(keepAliveEvent, "keepAliveEvent");
      }
    }

    /** A protocol without keep-alive events. */
    public static Style of(ErrorRenderer errors, Function<GatewayException, String> errorEvent) {
      return new Style(errors, errorEvent, null, null);
    }
  }

  private final HttpServerResponse response;
  private final Context context;
  private final Translator<E> translator;
  private final Style style;
  private final long idleTimeoutNanos;
  private final Exchange exchange;
  private final Edge edge;

  private CompletableFuture<Void> call;
  private boolean opened;

  /**
   * The upstream call being relayed: callbacks of an abandoned one (a retried call) are ignored.
   */
  private volatile int attempt;

  private final Upstream first = new Upstream(0);
  private Predicate<GatewayException> retryWhen;
  private Runnable retry;
  private boolean retried;
  private Runnable whenCompleted;
  private volatile Subscription subscription;
  private volatile boolean cancelled;
  private String bedrockRequestId;
  private boolean done;
  private long lastEventNanos;
  private long lastWriteNanos;
  private long watchdogTimer = -1;
  private long keepAliveTimer = -1;

  /**
   * Events requested and not yet received (set once on the SDK's thread before any event, then on
   * the context).
   */
  private int outstanding;

  /**
   * Events translated and not yet written; written by the flush that the first of them schedules.
   */
  private final StringBuilder pending = new StringBuilder(512);

  private boolean flushScheduled;
  private final EventLoop loop;
  private final Runnable flushTask;

  public SseRelay(
      HttpServerResponse response,
      Context context,
      Translator<E> translator,
      Style style,
      Duration idleTimeout,
      Exchange exchange,
      Edge edge) {
    this.response = response;
    this.context = context;
    this.translator = translator;
    this.style = style;
    this.idleTimeoutNanos = idleTimeout.toNanos();
    this.exchange = exchange;
    this.edge = edge;
    ContextInternal internal = (ContextInternal) context;
    this.loop = internal.nettyEventLoop();
    // runs on the context's own loop: flush within the context there, without queueing a second
    // task
    this.flushTask = () -> internal.dispatch(v -> flush());
  }

  /**
   * Relays {@code call}, the Bedrock call whose SDK handler forwards to this relay (or to the
   * {@link #upstream()} taken just before it); the first call also starts watching the client. Call
   * on the request's context.
   */
  public void attach(CompletableFuture<Void> call) {
    open();
    int id = attempt;
    this.call = call;
    call.whenComplete(
        (v, err) -> {
          if (err != null) {
            context.runOnContext(
                x -> {
                  if (id == attempt) {
                    fail(err);
                  }
                });
          }
        });
  }

  private void open() {
    if (opened) {
      return;
    }
    opened = true;
    edge.streamOpened(this);
    lastEventNanos = System.nanoTime();
    lastWriteNanos = lastEventNanos;
    response.closeHandler(v -> clientGone());
    response.exceptionHandler(e -> clientGone());
    scheduleWatchdog(idleTimeoutNanos);
    if (style.keepAlive() != null) {
      long period = Math.max(1, style.keepAlive().toMillis());
      keepAliveTimer = context.owner().setPeriodic(period, id -> keepAlive());
    }
  }

  /**
   * Once, when a failure before anything was written matches {@code when} (the gateway's own AWS
   * credentials refused), runs {@code retry} instead of answering: it must start a new call with
   * {@link #upstream()} and {@link #attach}, or end the relay. Call before the first {@link
   * #attach}.
   */
  public void retryOnce(Predicate<GatewayException> when, Runnable retry) {
    this.retryWhen = when;
    this.retry = retry;
  }

  /**
   * Runs {@code action} on the context once a stream that Bedrock completed, without an error
   * relayed in it, has been written to its end (e.g. to store the answer). Call before the first
   * {@link #attach}.
   */
  public void whenCompleted(Runnable action) {
    this.whenCompleted = action;
  }

  /** Whether the relay has ended (answered, failed, or the client left). */
  public boolean ended() {
    return done;
  }

  /**
   * The SDK-facing side of the current call; take it on the context, just before making the call.
   */
  public Upstream upstream() {
    return new Upstream(attempt);
  }

  /** The SDK has the response's headers: keeps Bedrock's request id. Any thread. */
  public void responseReceived(String requestId) {
    first.responseReceived(requestId);
  }

  /** The SDK hands over the event stream. Any thread. */
  public void subscribe(SdkPublisher<? extends E> publisher) {
    first.subscribe(publisher);
  }

  /** The SDK reports a failure of the call. Any thread. */
  public void exceptionOccurred(Throwable t) {
    first.exceptionOccurred(t);
  }

  /**
   * What one Bedrock call's SDK handler forwards to (any thread): the response, the event stream, a
   * failure. Everything hops to the request's context, and is dropped there if the call has been
   * abandoned for a retry.
   */
  public final class Upstream {
    private final int id;

    private Upstream(int id) {
      this.id = id;
    }

    public void responseReceived(String requestId) {
      context.runOnContext(
          v -> {
            if (id == attempt) {
              bedrockRequestId = requestId;
              exchange.bedrockRequestId = requestId;
            }
          });
    }

    public void subscribe(SdkPublisher<? extends E> publisher) {
      publisher.subscribe(
          new Subscriber<E>() {
            @Override
            public void onSubscribe(Subscription s) {
              if (cancelled || id != attempt) {
                s.cancel();
                return;
              }
              subscription = s;
              outstanding = DEMAND;
              s.request(DEMAND);
            }

            @Override
            public void onNext(E event) {
              context.runOnContext(
                  v -> {
                    if (id == attempt) {
                      onEvent(event);
                    }
                  });
            }

            @Override
            public void onError(Throwable t) {
              context.runOnContext(
                  v -> {
                    if (id == attempt) {
                      fail(t);
                    }
                  });
            }

            @Override
            public void onComplete() {
              context.runOnContext(
                  v -> {
                    if (id == attempt) {
                      finish();
                    }
                  });
            }
          });
    }

    public void exceptionOccurred(Throwable t) {
      context.runOnContext(
          v -> {
            if (id == attempt) {
              fail(t);
            }
          });
    }
  }

  private void onEvent(E event) {
    if (done) {
      return;
    }
    lastEventNanos = System.nanoTime();
    outstanding--;
    int before = pending.length();
    try {
      translator.onEvent(event, pending);
    } catch (RuntimeException e) {
      fail(e); // an event the translator cannot read (a GatewayException says why)
      return;
    }
    if (pending.length() > before && !flushScheduled) {
      flushScheduled = true;
      // After the event loop's next round of I/O, not right after this task: the events that
      // arrived meanwhile (a burst comes in one upstream segment per event) go out in the same
      // write. A due-now scheduled task runs after the next (non-blocking) select, so a lone
      // event waits microseconds, not a timer tick.
      loop.schedule(flushTask, 0, TimeUnit.NANOSECONDS);
    }
    requestMore();
  }

  /** Writes the events of the burst handled since the last write. */
  private void flush() {
    flushScheduled = false;
    if (done || pending.length() == 0) {
      return;
    }
    ensureHead();
    exchange.firstToken();
    response.write(pending.toString());
    lastWriteNanos = System.nanoTime();
    pending.setLength(0);
    if (response.writeQueueFull()) {
      response.drainHandler(v -> requestMore());
    }
  }

  /** A keep-alive event when nothing has been written for a whole interval (pauses upstream). */
  private void keepAlive() {
    if (done || response.closed()) {
      return;
    }
    if (System.nanoTime() - lastWriteNanos >= style.keepAlive().toNanos()
        && pending.length() == 0
        && !response.writeQueueFull()) {
      ensureHead();
      response.write(style.keepAliveEvent());
      lastWriteNanos = System.nanoTime();
    }
  }

  /** Tops the SDK's demand up once half of it has arrived, unless the client is not keeping up. */
  private void requestMore() {
    Subscription s = subscription;
    if (!done && s != null && outstanding <= DEMAND / 2 && !response.writeQueueFull()) {
      int more = DEMAND - outstanding;
      outstanding = DEMAND;
      s.request(more);
    }
  }

  private void finish() {
    if (done) {
      return;
    }
    StringBuilder out = pending;
    if (!translator.complete(out)) {
      fail(
          new GatewayException(
              502,
              GatewayException.API_ERROR,
              "Bedrock closed the stream before the answer was complete." + traceSuffix(),
              null,
              "stream_truncated"));
      return;
    }
    end();
    GatewayException relayed = translator.relayedError();
    if (relayed != null) {
      exchange.fail(relayed);
    } else {
      exchange.status = 200;
    }
    exchange.usage = translator.usage();
    if (translator.started()) {
      exchange.firstToken(); // when the whole answer came in one burst, before any flush
    }
    ensureHead();
    response.end(out.toString());
    if (relayed == null && whenCompleted != null) {
      whenCompleted.run();
    }
  }

  private void fail(Throwable t) {
    if (done) {
      return;
    }
    GatewayException e = BedrockErrorMapper.map(t, exchange.requestId);
    if (retryWhen != null
        && !retried
        && !response.headWritten()
        && pending.length() == 0
        && !translator.started()
        && retryWhen.test(e)) {
      // Nothing has reached the client: abandon this call and let the route make it again.
      retried = true;
      cancelUpstream();
      attempt++;
      cancelled = false;
      subscription = null;
      outstanding = 0;
      call = null;
      lastEventNanos = System.nanoTime();
      retry.run();
      return;
    }
    end();
    cancelUpstream();
    exchange.fail(e);
    exchange.usage = translator.usage();
    if (e.status() >= 500 && !(t instanceof GatewayException)) {
      LOG.warnf(t, "stream %s failed: %s", exchange.requestId, t.toString());
    }
    if (response.closed() || response.ended()) {
      return;
    }
    if (!response.headWritten() && pending.length() == 0) {
      if (bedrockRequestId != null) {
        response.putHeader(BedrockErrorMapper.REQUEST_ID_HEADER, bedrockRequestId);
      }
      style.errors().send(response, e);
    } else {
      // After the first event the status is gone: the error travels as one event and the stream
      // ends without its normal ending, so no client mistakes it for a complete answer.
      ensureHead();
      if (pending.length() > 0) {
        exchange.firstToken();
      }
      String event = style.errorEvent().apply(e);
      response.end(pending.length() == 0 ? event : pending + event);
    }
  }

  private void clientGone() {
    if (!done) {
      end();
      exchange.status = 499;
      exchange.errorCode = "client_closed";
      exchange.usage = translator.usage();
      LOG.debugf("stream %s: client went away, cancelling the Bedrock call", exchange.requestId);
      cancelUpstream();
    }
  }

  /**
   * Ends the stream from outside (shutdown): an error event if it has begun, else an error answer.
   */
  @Override
  public void abort(GatewayException e, Runnable whenEnded) {
    context.runOnContext(
        v -> {
          fail(e);
          whenEnded.run();
        });
  }

  private void end() {
    done = true;
    edge.streamEnded(this);
    // A pending timer would hold this relay, the SDK call and its buffers until it fires, minutes
    // later.
    if (watchdogTimer >= 0) {
      context.owner().cancelTimer(watchdogTimer);
      watchdogTimer = -1;
    }
    if (keepAliveTimer >= 0) {
      context.owner().cancelTimer(keepAliveTimer);
      keepAliveTimer = -1;
    }
  }

  private void cancelUpstream() {
    cancelled = true;
    Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    if (call != null) {
      call.cancel(true);
    }
  }

  private void scheduleWatchdog(long delayNanos) {
    watchdogTimer =
        context
            .owner()
            .setTimer(
                Math.max(1, delayNanos / 1_000_000),
                id -> {
                  watchdogTimer = -1;
                  if (done) {
                    return;
                  }
                  long idle = System.nanoTime() - lastEventNanos;
                  if (idle >= idleTimeoutNanos) {
                    fail(
                        new GatewayException(
                            504,
                            GatewayException.SERVER_ERROR,
                            "Bedrock sent nothing for "
                                + Duration.ofNanos(idleTimeoutNanos).toSeconds()
                                + " s; the stream was abandoned."
                                + traceSuffix(),
                            null,
                            "upstream_idle_timeout"));
                  } else {
                    scheduleWatchdog(idleTimeoutNanos - idle);
                  }
                });
  }

  private void ensureHead() {
    if (!response.headWritten()) {
      response.setStatusCode(200);
      response.setChunked(true);
      response.putHeader("content-type", "text/event-stream; charset=utf-8");
      response.putHeader("cache-control", "no-cache");
      // tells nginx-style proxies not to buffer the stream
      response.putHeader("x-accel-buffering", "no");
      if (bedrockRequestId != null) {
        response.putHeader(BedrockErrorMapper.REQUEST_ID_HEADER, bedrockRequestId);
      }
    }
  }

  private String traceSuffix() {
    return bedrockRequestId == null ? "" : " (Bedrock request id " + bedrockRequestId + ")";
  }
}
