package io.github.bedrockgateway.bedrock;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * One OpenTelemetry client span per Bedrock Runtime call ({@code Bedrock Runtime Converse} / {@code
 * Bedrock Runtime ConverseStream}), a child of the span current when the call was made (the
 * request's server span: the SDK runs {@link #beforeExecution} on the calling thread, the gateway's
 * event loop, where Quarkus keeps the request's OpenTelemetry context).
 *
 * <p>The span ends when the SDK reports the call done: for {@code ConverseStream} that is after the
 * event stream has been read to its end, so the span covers the whole stream. Failures set the
 * error status; a stream that Bedrock ends with an exception event gets that event's type. Only
 * added to the client when tracing is on ({@link BedrockClientProducer}): with the OpenTelemetry
 * SDK disabled the Bedrock calls carry no tracing code at all.
 */
final class BedrockTracingInterceptor implements ExecutionInterceptor {

  static final AttributeKey<String> GEN_AI_SYSTEM = AttributeKey.stringKey("gen_ai.system");
  static final AttributeKey<String> GEN_AI_OPERATION =
      AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> GEN_AI_REQUEST_MODEL =
      AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<Long> GEN_AI_INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> GEN_AI_OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<java.util.List<String>> GEN_AI_FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<String> AWS_REQUEST_ID = AttributeKey.stringKey("aws.request_id");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> GATEWAY_REQUEST_ID =
      AttributeKey.stringKey("gateway.request_id");

  private static final ExecutionAttribute<Call> CALL =
      new ExecutionAttribute<>("gateway.tracing.call");
  private static final String STREAM = "ConverseStream";

  private final Tracer tracer;

  BedrockTracingInterceptor(Tracer tracer) {
    this.tracer = tracer;
  }

  /** The span of one call, ended exactly once whichever of the SDK's paths gets there first. */
  private static final class Call {
    final Span span;
    final boolean stream;
    private final AtomicBoolean ended = new AtomicBoolean();

    /**
     * Set when the event stream carried an exception event: that, not the cancellation after it, is
     * the error.
     */
    private volatile boolean errored;

    Call(Span span, boolean stream) {
      this.span = span;
      this.stream = stream;
    }

    void end() {
      if (ended.compareAndSet(false, true)) {
        span.end();
      }
    }

    void streamError(String type) {
      if (!errored) {
        errored = true;
        span.setAttribute(ERROR_TYPE, type);
        span.setStatus(StatusCode.ERROR, "Bedrock ended the stream with " + type);
      }
    }

    void fail(Throwable t) {
      if (ended.get()) {
        return;
      }
      if (errored) {
        end();
        return;
      }
      if (isCancellation(t)) {
        // the gateway gave up on the call (client gone, idle timeout, shutdown): not a Bedrock
        // error
        span.addEvent("cancelled");
        end();
        return;
      }
      if (t instanceof AwsServiceException e) {
        if (e.requestId() != null) {
          span.setAttribute(AWS_REQUEST_ID, e.requestId());
        }
        if (e.statusCode() > 0) {
          span.setAttribute(HTTP_STATUS, (long) e.statusCode());
        }
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        span.setAttribute(ERROR_TYPE, code != null ? code : t.getClass().getSimpleName());
      } else {
        span.setAttribute(ERROR_TYPE, t.getClass().getSimpleName());
      }
      span.setStatus(StatusCode.ERROR, String.valueOf(t.getMessage()));
      span.recordException(t);
      end();
    }
  }

  private static boolean isCancellation(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.util.concurrent.CancellationException
          || c instanceof software.amazon.awssdk.http.SdkCancellationException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    SdkRequest request = context.request();
    String model = null;
    Map<String, String> metadata = null;
    if (request instanceof ConverseRequest r) {
      model = r.modelId();
      metadata = r.hasRequestMetadata() ? r.requestMetadata() : null;
    } else if (request instanceof ConverseStreamRequest r) {
      model = r.modelId();
      metadata = r.hasRequestMetadata() ? r.requestMetadata() : null;
    }
    var builder =
        tracer
            .spanBuilder("Bedrock Runtime " + operation)
            .setSpanKind(SpanKind.CLIENT)
            .setParent(io.opentelemetry.context.Context.current())
            .setAttribute(GEN_AI_SYSTEM, "aws.bedrock")
            .setAttribute(RPC_SYSTEM, "aws-api")
            .setAttribute(RPC_SERVICE, "BedrockRuntime")
            .setAttribute(RPC_METHOD, operation);
    if (model != null) {
      builder.setAttribute(GEN_AI_OPERATION, "chat").setAttribute(GEN_AI_REQUEST_MODEL, model);
    }
    String requestId = metadata == null ? null : metadata.get("gateway-request-id");
    if (requestId != null) {
      builder.setAttribute(GATEWAY_REQUEST_ID, requestId);
    }
    attributes.putAttribute(CALL, new Call(builder.startSpan(), STREAM.equals(operation)));
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    Call call = attributes.getAttribute(CALL);
    if (call == null) {
      return;
    }
    call.span.setAttribute(HTTP_STATUS, (long) context.httpResponse().statusCode());
    context
        .httpResponse()
        .firstMatchingHeader("x-amzn-RequestId")
        .ifPresent(id -> call.span.setAttribute(AWS_REQUEST_ID, id));
  }

  @Override
  public Optional<Publisher<ByteBuffer>> modifyAsyncHttpResponseContent(
      Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    Call call = attributes.getAttribute(CALL);
    Optional<Publisher<ByteBuffer>> body = context.responsePublisher();
    if (call == null || !call.stream || body.isEmpty() || !context.httpResponse().isSuccessful()) {
      return body;
    }
    Publisher<ByteBuffer> upstream = body.get();
    return Optional.of(
        subscriber -> upstream.subscribe(new ExceptionEventWatcher(subscriber, call)));
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    Call call = attributes.getAttribute(CALL);
    if (call == null) {
      return;
    }
    if (context.response() instanceof ConverseResponse r) {
      TokenUsage usage = r.usage();
      if (usage != null) {
        if (usage.inputTokens() != null) {
          call.span.setAttribute(GEN_AI_INPUT_TOKENS, usage.inputTokens().longValue());
        }
        if (usage.outputTokens() != null) {
          call.span.setAttribute(GEN_AI_OUTPUT_TOKENS, usage.outputTokens().longValue());
        }
      }
      if (r.stopReasonAsString() != null) {
        call.span.setAttribute(GEN_AI_FINISH_REASONS, java.util.List.of(r.stopReasonAsString()));
      }
    }
    call.end();
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    Call call = attributes.getAttribute(CALL);
    if (call != null) {
      call.fail(context.exception());
    }
  }

  private static final byte[] EXCEPTION_TYPE =
      ":exception-type".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * Passes the event stream's bytes through untouched, watching for an exception event (a {@code
   * :exception-type} header, e.g. {@code throttlingException}), which Bedrock sends when a stream
   * fails midway: the SDK reports that to the gateway, and to this interceptor only as the
   * cancellation that follows.
   */
  private static final class ExceptionEventWatcher implements Subscriber<ByteBuffer> {
    private final Subscriber<? super ByteBuffer> downstream;
    private final Call call;

    ExceptionEventWatcher(Subscriber<? super ByteBuffer> downstream, Call call) {
      this.downstream = downstream;
      this.call = call;
    }

    @Override
    public void onSubscribe(Subscription s) {
      downstream.onSubscribe(s);
    }

    @Override
    public void onNext(ByteBuffer b) {
      if (!call.errored) {
        String type = exceptionType(b);
        if (type != null) {
          call.streamError(Character.toUpperCase(type.charAt(0)) + type.substring(1));
        }
      }
      downstream.onNext(b);
    }

    @Override
    public void onError(Throwable t) {
      downstream.onError(t);
    }

    @Override
    public void onComplete() {
      downstream.onComplete();
    }
  }

  /**
   * The value of an {@code :exception-type} event-stream header in this buffer, if any (header
   * encoding: name length byte, name, type byte 7 = string, two-byte value length, value). Reads
   * absolute positions, leaving the buffer as it was.
   */
  static String exceptionType(ByteBuffer b) {
    int end = b.limit() - EXCEPTION_TYPE.length - 3;
    outer:
    for (int i = b.position() + 1; i < end; i++) {
      for (int k = 0; k < EXCEPTION_TYPE.length; k++) {
        if (b.get(i + k) != EXCEPTION_TYPE[k]) {
          continue outer;
        }
      }
      if (b.get(i - 1) != EXCEPTION_TYPE.length || b.get(i + EXCEPTION_TYPE.length) != 7) {
        continue;
      }
      int at = i + EXCEPTION_TYPE.length + 1;
      int length = b.getShort(at) & 0xffff;
      if (length == 0 || at + 2 + length > b.limit()) {
        return null;
      }
      byte[] value = new byte[length];
      for (int k = 0; k < length; k++) {
        value[k] = b.get(at + 2 + k);
      }
      return new String(value, java.nio.charset.StandardCharsets.UTF_8);
    }
    return null;
  }
}
