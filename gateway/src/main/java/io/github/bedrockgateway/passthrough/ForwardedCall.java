package io.github.bedrockgateway.passthrough;

import io.github.bedrockgateway.bedrock.BedrockErrorMapper;
import io.github.bedrockgateway.bedrock.BedrockHttp;
import io.github.bedrockgateway.credentials.CredentialsManager;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.edge.OpenStream;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.observability.Exchange;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * One forwarded call: sends the prepared request to Bedrock and relays the answer to the client.
 * One per request; every callback runs on the request's event loop, so its state needs no locking.
 *
 * <p>A non-streaming answer is read whole and written with its status and Bedrock's headers. A
 * stream is piped as it comes, whole event-stream frames at a time ({@link FrameCutter}), with
 * back-pressure: when the client's write queue is full the upstream read pauses until it drains.
 * Nothing is decoded on the way; the usage is read from the last frame at the end. When a stream
 * breaks after its first frame (Bedrock cut it, went silent for {@code
 * gateway.bedrock.stream-idle-timeout}, or the gateway shuts down) the client gets one exception
 * frame, as Bedrock itself ends a failed stream, never a torn frame.
 */
final class ForwardedCall implements OpenStream {

  private static final Logger LOG = Logger.getLogger(ForwardedCall.class);

  /**
   * Bedrock's answers to signatures it refuses: the gateway's credentials, not the client, are at
   * fault.
   */
  private static final Set<String> CREDENTIALS_REFUSED =
      Set.of(
          "UnrecognizedClientException",
          "InvalidSignatureException",
          "ExpiredTokenException",
          "IncompleteSignatureException",
          "MissingAuthenticationTokenException",
          "InvalidClientTokenId",
          "SignatureDoesNotMatch");

  private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

  private final Context context;
  private final HttpServerResponse response;
  private final Exchange exchange;
  private final Operation operation;
  private final UpstreamRequests.Outbound outbound;
  private final BedrockHttp http;
  private final CredentialsManager credentials;
  private final Edge edge;
  private final Duration requestTimeout;
  private final long idleTimeoutNanos;

  private HttpClientRequest request;
  private HttpClientResponse upstream;
  private FrameCutter frames;
  private boolean done;
  private boolean retried;
  private long timer = -1;
  private long lastDataNanos;

  /**
   * The upstream read is paused until the client's write queue drains (a slow client, not a silent
   * Bedrock).
   */
  private boolean paused;

  ForwardedCall(
      Context context,
      HttpServerResponse response,
      Exchange exchange,
      Operation operation,
      UpstreamRequests.Outbound outbound,
      BedrockHttp http,
      CredentialsManager credentials,
      Edge edge,
      Duration requestTimeout,
      Duration streamIdleTimeout) {
    this.context = context;
    this.response = response;
    this.exchange = exchange;
    this.operation = operation;
    this.outbound = outbound;
    this.http = http;
    this.credentials = credentials;
    this.edge = edge;
    this.requestTimeout = requestTimeout;
    this.idleTimeoutNanos = streamIdleTimeout.toNanos();
  }

  /** Sends the call; on the request's context, after admission. */
  void start() {
    if (operation.streaming) {
      edge.streamOpened(this);
    } else {
      timer =
          context
              .owner()
              .setTimer(
                  Math.max(1, requestTimeout.toMillis()),
                  id -> {
                    timer = -1;
                    fail(
                        new GatewayException(
                            504,
                            GatewayException.SERVER_ERROR,
                            "Bedrock did not answer within "
                                + requestTimeout.toSeconds()
                                + " s (gateway.bedrock.request-timeout).",
                            null,
                            "upstream_timeout"));
                  });
    }
    response.closeHandler(v -> clientGone());
    response.exceptionHandler(e -> clientGone());
    send();
  }

  private void send() {
    http.open(
            new BedrockHttp.Call(
                HttpMethod.POST, outbound.path(), outbound.headers(), outbound.body()))
        .compose(
            r -> {
              if (done) {
                r.reset();
                return io.vertx.core.Future.failedFuture(
                    new GatewayException(
                        499,
                        GatewayException.API_ERROR,
                        "The request was cancelled.",
                        null,
                        "cancelled"));
              }
              request = r;
              return r.send(Buffer.buffer(outbound.body()));
            })
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(ar.cause());
              } else {
                onResponse(ar.result());
              }
            });
  }

  private void onResponse(HttpClientResponse r) {
    if (done) {
      r.request().reset();
      return;
    }
    upstream = r;
    exchange.bedrockRequestId = r.getHeader(BedrockErrors.REQUEST_ID);
    if (r.statusCode() >= 300) {
      r.body()
          .onComplete(
              body -> {
                if (body.failed()) {
                  fail(body.cause());
                } else {
                  request = null; // answered in full: nothing left to cancel
                  onError(r, body.result());
                }
              });
      return;
    }
    String type = r.getHeader("content-type");
    if (operation.streaming
        && type != null
        && type.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM)) {
      pipe(r);
      return;
    }
    r.body()
        .onComplete(
            body -> {
              if (body.failed()) {
                fail(body.cause());
              } else {
                request = null; // answered in full: nothing left to cancel
                onAnswer(r, body.result());
              }
            });
  }

  /** A whole answer (the non-streaming operations). */
  private void onAnswer(HttpClientResponse r, Buffer body) {
    if (done) {
      return;
    }
    end();
    exchange.status = r.statusCode();
    exchange.usage =
        switch (operation) {
          case INVOKE, INVOKE_STREAM -> Usage.fromHeaders(r::getHeader);
          case CONVERSE, CONVERSE_STREAM -> Usage.fromConverseBody(body.getBytes());
          case COUNT_TOKENS -> null;
        };
    copyHeaders(r.headers());
    response.setStatusCode(r.statusCode()).end(body);
  }

  /**
   * An error Bedrock answered: passed through as it came, but for a refusal of the gateway's
   * credentials.
   */
  private void onError(HttpClientResponse r, Buffer body) {
    if (done) {
      return;
    }
    String type = errorType(r.getHeader(BedrockErrors.ERROR_TYPE));
    if (r.statusCode() == 403 && CREDENTIALS_REFUSED.contains(type)) {
      if (!retried) {
        // Bedrock refused credentials the gateway believed valid (revoked, expired early, rotated):
        // refresh them now and try once more; nothing has reached the client yet.
        retried = true;
        LOG.warnf(
            "request %s: Bedrock refused the gateway's AWS credentials (%s); refreshing them and retrying once",
            exchange.requestId, type);
        credentials
            .refreshNow()
            .whenComplete(
                (ok, refreshFailure) ->
                    context.runOnContext(
                        v -> {
                          if (refreshFailure != null) {
                            LOG.warnf(
                                "request %s: credentials refresh failed: %s",
                                exchange.requestId, refreshFailure);
                          }
                          if (!done) {
                            send();
                          }
                        }));
        return;
      }
      fail(
          new GatewayException(
              502,
              GatewayException.API_ERROR,
              "Bedrock refused the gateway's AWS credentials; the gateway operator must fix them. (Bedrock "
                  + type
                  + (exchange.bedrockRequestId == null
                      ? ""
                      : ", request id " + exchange.bedrockRequestId)
                  + ")",
              null,
              BedrockErrorMapper.CREDENTIALS_REFUSED));
      return;
    }
    end();
    exchange.status = r.statusCode();
    exchange.errorCode = type == null ? "upstream_" + r.statusCode() : type;
    copyHeaders(r.headers());
    response.setStatusCode(r.statusCode()).end(body);
  }

  /** A stream: whole frames forwarded as they arrive, with back-pressure. */
  private void pipe(HttpClientResponse r) {
    frames = new FrameCutter();
    lastDataNanos = System.nanoTime();
    scheduleWatchdog(idleTimeoutNanos);
    r.handler(this::onData);
    r.exceptionHandler(this::fail);
    r.endHandler(v -> onStreamEnd());
  }

  private void onData(Buffer chunk) {
    if (done) {
      return;
    }
    lastDataNanos = System.nanoTime();
    Buffer whole;
    try {
      whole = frames.push(chunk);
    } catch (FrameCutter.BadFrame e) {
      fail(
          new GatewayException(
              502,
              GatewayException.API_ERROR,
              "Bedrock's event stream could not be read: " + e.getMessage() + traceSuffix(),
              null,
              "upstream_protocol_error"));
      return;
    }
    if (whole.length() == 0) {
      return;
    }
    ensureHead();
    exchange.firstToken();
    response.write(whole);
    if (response.writeQueueFull()) {
      paused = true;
      upstream.pause();
      response.drainHandler(
          v -> {
            paused = false;
            lastDataNanos = System.nanoTime();
            if (!done) {
              upstream.resume();
            }
          });
    }
  }

  private void onStreamEnd() {
    if (done) {
      return;
    }
    request = null; // answered in full: nothing left to cancel
    if (!frames.atBoundary()) {
      fail(
          new GatewayException(
              502,
              GatewayException.API_ERROR,
              "Bedrock closed the stream in the middle of an event." + traceSuffix(),
              null,
              "stream_truncated"));
      return;
    }
    end();
    exchange.usage = Usage.fromLastFrame(frames.lastFrame());
    String exception = StreamEnding.exceptionType(frames.lastFrame());
    if (exception != null) {
      // Bedrock ended the stream with an exception frame, passed through as it came
      exchange.status = StreamEnding.status(exception);
      exchange.errorCode = exception;
    } else {
      exchange.status = 200;
    }
    ensureHead();
    response.end();
  }

  private void fail(Throwable t) {
    if (done) {
      return;
    }
    end();
    GatewayException e = transportError(t);
    exchange.fail(e);
    if (request != null) {
      request.reset();
    }
    if (e.status() >= 500 && !(t instanceof GatewayException)) {
      LOG.warnf(
          "request %s (%s) failed: %s", exchange.requestId, operation.protocol(), t.toString());
    }
    if (response.closed() || response.ended()) {
      return;
    }
    if (!response.headWritten()) {
      if (exchange.bedrockRequestId != null) {
        response.putHeader(BedrockErrors.REQUEST_ID, exchange.bedrockRequestId);
      }
      BedrockErrors.send(response, e);
    } else {
      // after the first frame the status is gone: the error is the stream's last frame
      response.end(BedrockErrors.exceptionFrame(e));
    }
  }

  private void clientGone() {
    if (!done) {
      end();
      exchange.status = 499;
      exchange.errorCode = "client_closed";
      if (frames != null) {
        exchange.usage = Usage.fromLastFrame(frames.lastFrame());
      }
      LOG.debugf("request %s: client went away, cancelling the Bedrock call", exchange.requestId);
      if (request != null) {
        request.reset();
      }
    }
  }

  /**
   * Ends the stream from outside (shutdown): an exception frame if it has begun, else an error
   * answer.
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
    if (operation.streaming) {
      edge.streamEnded(this);
    }
    if (timer >= 0) {
      context.owner().cancelTimer(timer);
      timer = -1;
    }
  }

  private void scheduleWatchdog(long delayNanos) {
    timer =
        context
            .owner()
            .setTimer(
                Math.max(1, delayNanos / 1_000_000),
                id -> {
                  timer = -1;
                  if (done) {
                    return;
                  }
                  long idle = paused ? 0 : System.nanoTime() - lastDataNanos;
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
      copyHeaders(upstream.headers());
      response.setStatusCode(upstream.statusCode());
      response.setChunked(true);
      // tells nginx-style proxies not to buffer the stream
      response.putHeader("x-accel-buffering", "no");
    }
  }

  /**
   * Bedrock's own response headers: content type, request id, error type and the {@code
   * x-amzn-bedrock-*} ones.
   */
  private void copyHeaders(MultiMap headers) {
    for (Map.Entry<String, String> h : headers) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("content-type")
          || name.equals("x-amzn-requestid")
          || name.equals("x-amzn-errortype")
          || name.equals("retry-after")
          || name.startsWith("x-amzn-bedrock-")) {
        response.headers().add(h.getKey(), h.getValue());
      }
    }
  }

  /**
   * The exception name of an {@code x-amzn-ErrorType} value ({@code Name:http://internal...} or
   * {@code Name}).
   */
  static String errorType(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    int colon = header.indexOf(':');
    return (colon < 0 ? header : header.substring(0, colon)).trim();
  }

  /** A failure of the connection to Bedrock, or the gateway's own error, as the client is told. */
  static GatewayException transportError(Throwable t) {
    if (t instanceof GatewayException e) {
      return e;
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof TimeoutException) {
        return new GatewayException(
            504,
            GatewayException.SERVER_ERROR,
            "Bedrock did not answer in time (gateway.bedrock.read-timeout). Retry the request.",
            null,
            "upstream_timeout");
      }
      if (c instanceof ConnectException) {
        return new GatewayException(
            502,
            GatewayException.API_ERROR,
            "The gateway could not connect to Bedrock. Retry later; if it persists, check the gateway's network and endpoint.",
            null,
            "upstream_unreachable");
      }
    }
    return new GatewayException(
        502,
        GatewayException.API_ERROR,
        "The connection to Bedrock failed before the answer was complete. Retry the request.",
        null,
        "upstream_error");
  }

  private String traceSuffix() {
    return exchange.bedrockRequestId == null
        ? ""
        : " (Bedrock request id " + exchange.bedrockRequestId + ")";
  }
}
