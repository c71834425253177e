package io.github.bedrockgateway.openai;

import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.edge.ErrorRenderer;
import io.github.bedrockgateway.edge.OpenStream;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.observability.Exchange;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import io.github.bedrockgateway.bedrock.BedrockErrorMapper;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.http.HttpServerResponse;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Relays one ConverseStream to one client as server-sent events, through the protocol's
 * {@link Translator} (chat completion chunks, Responses API events). One per request.
 * <p>
 * Threading: the SDK calls in on its own threads; every callback hops to the request's Vert.x context,
 * so the translator, the response and the flags below are only ever touched on that one thread.
 * Back-pressure: events are requested from the SDK {@value #DEMAND} at a time, and more only while the
 * client's write queue has room, so a slow client slows the upstream read instead of growing a buffer.
 * Chunks translated from one burst of events are written to the client in one write (one syscall),
 * after the event loop's next round of I/O: no timer, so a lone event is written at once (see
 * docs/performance.md).
 */
public final class StreamRelay implements ConverseStreamResponseHandler, OpenStream {

    /**
     * A protocol's stream translation: one object per request, fed the Bedrock events in order on the
     * request's event loop. Each method appends zero or more complete server-sent events to
     * {@code out}, so one upstream burst becomes one write to the client.
     */
    public interface Translator {

        /** Appends what one Bedrock event turns into. */
        void onEvent(ConverseStreamOutput event, StringBuilder out);

        /**
         * Appends what ends a stream Bedrock completed. Returns false, appending nothing, when Bedrock
         * closed the stream before its {@code messageStop}: the relay then sends an error instead of an
         * end that would make a truncated answer look complete.
         */
        boolean complete(StringBuilder out);

        /** Whether any event has been produced (after that, errors travel in the stream). */
        boolean started();

        /** The usage Bedrock reported so far, or null. */
        TokenUsage usage();

        /** Appends the event(s) that end a begun stream with {@code e}. */
        void fail(GatewayException e, StringBuilder out);
    }

    private static final Logger LOG = Logger.getLogger(StreamRelay.class);
    /** Events requested from the SDK at a time; more are asked for when half have arrived. */
    static final int DEMAND = 32;

    private final HttpServerResponse response;
    private final Context context;
    private final Translator translator;
    private final ErrorRenderer errors;
    private final long idleTimeoutNanos;
    private final Exchange exchange;
    private final Edge edge;

    private CompletableFuture<Void> call;
    private volatile Subscription subscription;
    private volatile boolean cancelled;
    private String bedrockRequestId;
    private boolean done;
    private long lastEventNanos;
    private long watchdogTimer = -1;
    /** Events requested and not yet received (set once on the SDK's thread before any event, then on the context). */
    private int outstanding;
    /** Chunks translated and not yet written; written by the flush that the first of them schedules. */
    private final StringBuilder pending = new StringBuilder(512);
    private boolean flushScheduled;
    private final EventLoop loop;
    private final Runnable flushTask;
    private Runnable whenCompleted;

    /**
     * @param errors how the protocol answers an error before the stream has begun (an HTTP status and
     *        its envelope)
     */
    public StreamRelay(HttpServerResponse response, Context context, Translator translator, ErrorRenderer errors,
            Duration idleTimeout, Exchange exchange, Edge edge) {
        this.response = response;
        this.context = context;
        this.translator = translator;
        this.errors = errors;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.exchange = exchange;
        this.edge = edge;
        ContextInternal internal = (ContextInternal) context;
        this.loop = internal.nettyEventLoop();
        // runs on the context's own loop: flush within the context there, without queueing a second task
        this.flushTask = () -> internal.dispatch(v -> flush());
    }

    /** Runs after a stream that Bedrock completed has been written to its end (e.g. to store the answer). */
    public void whenCompleted(Runnable action) {
        this.whenCompleted = action;
    }

    /** Starts watching the client and the upstream; call on the request's context. */
    public void attach(CompletableFuture<Void> call) {
        this.call = call;
        edge.streamOpened(this);
        lastEventNanos = System.nanoTime();
        response.closeHandler(v -> clientGone());
        response.exceptionHandler(e -> clientGone());
        scheduleWatchdog(idleTimeoutNanos);
        call.whenComplete((v, err) -> {
            if (err != null) {
                context.runOnContext(x -> fail(err));
            }
        });
    }

    @Override
    public void responseReceived(ConverseStreamResponse r) {
        String id = r.responseMetadata() == null ? null : r.responseMetadata().requestId();
        context.runOnContext(v -> {
            bedrockRequestId = id;
            exchange.bedrockRequestId = id;
        });
    }

    @Override
    public void onEventStream(SdkPublisher<ConverseStreamOutput> publisher) {
        publisher.subscribe(new Subscriber<ConverseStreamOutput>() {
            @Override
            public void onSubscribe(Subscription s) {
                subscription = s;
                if (cancelled) {
                    s.cancel();
                } else {
                    outstanding = DEMAND;
                    s.request(DEMAND);
                }
            }

            @Override
            public void onNext(ConverseStreamOutput event) {
                context.runOnContext(v -> onEvent(event));
            }

            @Override
            public void onError(Throwable t) {
                context.runOnContext(v -> fail(t));
            }

            @Override
            public void onComplete() {
                context.runOnContext(v -> finish());
            }
        });
    }

    @Override
    public void exceptionOccurred(Throwable t) {
        context.runOnContext(v -> fail(t));
    }

    @Override
    public void complete() {
        // the subscriber's onComplete ends the response; nothing more to do here
    }

    private void onEvent(ConverseStreamOutput event) {
        if (done) {
            return;
        }
        lastEventNanos = System.nanoTime();
        outstanding--;
        int before = pending.length();
        translator.onEvent(event, pending);
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

    /** Writes the chunks of the burst of events handled since the last write. */
    private void flush() {
        flushScheduled = false;
        if (done || pending.length() == 0) {
            return;
        }
        ensureHead();
        exchange.firstToken();
        response.write(pending.toString());
        pending.setLength(0);
        if (response.writeQueueFull()) {
            response.drainHandler(v -> requestMore());
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
            fail(new GatewayException(502, GatewayException.API_ERROR,
                    "Bedrock closed the stream before the answer was complete." + traceSuffix(),
                    null, "stream_truncated"));
            return;
        }
        end();
        exchange.status = 200;
        exchange.usage = translator.usage();
        if (translator.started()) {
            exchange.firstToken(); // when the whole answer came in one burst, before any flush
        }
        ensureHead();
        response.end(out.toString());
        if (whenCompleted != null) {
            whenCompleted.run();
        }
    }

    private void fail(Throwable t) {
        if (done) {
            return;
        }
        end();
        cancelUpstream();
        GatewayException e = BedrockErrorMapper.map(t);
        exchange.fail(e);
        exchange.usage = translator.usage();
        if (e.status() >= 500 && !(t instanceof GatewayException)) {
            LOG.warnf("stream %s failed: %s", exchange.requestId, t.toString());
        }
        if (response.closed() || response.ended()) {
            return;
        }
        if (!response.headWritten() && pending.length() == 0) {
            if (bedrockRequestId != null) {
                response.putHeader(BedrockErrorMapper.REQUEST_ID_HEADER, bedrockRequestId);
            }
            errors.send(response, e);
        } else {
            // After the first event the status is gone: the error travels in the stream, which ends
            // without its normal end, so no client mistakes it for a complete answer.
            ensureHead();
            if (pending.length() > 0) {
                exchange.firstToken();
            }
            translator.fail(e, pending);
            response.end(pending.toString());
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

    /** Ends the stream from outside (shutdown): an error event if it has begun, else an error answer. */
    @Override
    public void abort(GatewayException e, Runnable whenEnded) {
        context.runOnContext(v -> {
            fail(e);
            whenEnded.run();
        });
    }

    private void end() {
        done = true;
        edge.streamEnded(this);
        // A pending timer would hold this relay, the SDK call and its buffers until it fires, minutes later.
        if (watchdogTimer >= 0) {
            context.owner().cancelTimer(watchdogTimer);
            watchdogTimer = -1;
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
        watchdogTimer = context.owner().setTimer(Math.max(1, delayNanos / 1_000_000), id -> {
            watchdogTimer = -1;
            if (done) {
                return;
            }
            long idle = System.nanoTime() - lastEventNanos;
            if (idle >= idleTimeoutNanos) {
                fail(new GatewayException(504, GatewayException.SERVER_ERROR, "Bedrock sent nothing for "
                        + Duration.ofNanos(idleTimeoutNanos).toSeconds() + " s; the stream was abandoned."
                        + traceSuffix(), null, "upstream_idle_timeout"));
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
