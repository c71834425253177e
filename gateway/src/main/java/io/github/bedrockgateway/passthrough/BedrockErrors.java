package io.github.bedrockgateway.passthrough;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.edge.KeySource;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * The gateway's own errors on {@code /bedrock}, in Bedrock's shape, so that an AWS SDK raises the
 * exception it knows: the status of the Bedrock exception, its name in {@code x-amzn-ErrorType},
 * the body {@code {"message": "..."}}, and the request id in {@code x-amzn-RequestId}. Errors
 * Bedrock itself answered are not rendered here: they pass through as they came. After a stream has
 * begun, an error is an event-stream exception frame ({@link #exceptionFrame}).
 */
public final class BedrockErrors {

  /** The header of the Bedrock exception name. */
  static final String ERROR_TYPE = "x-amzn-ErrorType";

  /** The header of the request id, which the AWS SDKs report as {@code requestId()}. */
  static final String REQUEST_ID = "x-amzn-RequestId";

  /** The gateway's own request id (the same value as {@link #REQUEST_ID} on a gateway error). */
  static final String GATEWAY_REQUEST_ID = "x-request-id";

  /** The code of a body that is not JSON (Bedrock's {@code SerializationException}). */
  static final String SERIALIZATION = "serialization";

  /** The code of a path or method Bedrock does not serve ({@code UnknownOperationException}). */
  static final String UNKNOWN_OPERATION = "unknown_operation";

  /** A Bedrock exception: its name and HTTP status. */
  record Shape(String type, int status) {}

  private BedrockErrors() {}

  /** The edge's view of the pass-through: bearer keys, {@code x-request-id}, this renderer. */
  public static Edge.Protocol protocol() {
    return new Edge.Protocol("bedrock", GATEWAY_REQUEST_ID, KeySource.BEARER, BedrockErrors::send);
  }

  /**
   * The Bedrock exception an error is shown as. A gateway key that is missing or wrong is AWS's
   * answer to credentials it does not recognise (403 {@code UnrecognizedClientException}): Claude
   * Code then reports "AWS authentication failed" instead of probing other models, as it does after
   * an {@code AccessDeniedException} (which means "no access to this model"). Every server-side
   * failure but an overload is an {@code InternalServerException}, which the SDKs retry.
   */
  static Shape shape(GatewayException e) {
    if (UNKNOWN_OPERATION.equals(e.code())) {
      return new Shape("UnknownOperationException", 404);
    }
    if (SERIALIZATION.equals(e.code())) {
      return new Shape("SerializationException", 400);
    }
    return switch (e.status()) {
      case 401 -> new Shape("UnrecognizedClientException", 403);
      case 403 -> new Shape("AccessDeniedException", 403);
      case 404 -> new Shape("ResourceNotFoundException", 404);
      case 408 -> new Shape("ModelTimeoutException", 408);
      case 413 -> new Shape("ValidationException", 413);
      case 429 -> new Shape("ThrottlingException", 429);
      case 503 -> new Shape("ServiceUnavailableException", 503);
      default ->
          e.status() >= 500
              ? new Shape("InternalServerException", 500)
              : new Shape("ValidationException", 400);
    };
  }

  /** {@code {"message": "..."}} */
  static byte[] body(String message) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(128);
        JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("message", message);
      g.writeEndObject();
      g.flush();
      return out.toByteArray();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Answers with the error in Bedrock's shape, unless the response has begun. */
  public static void send(HttpServerResponse response, GatewayException e) {
    if (response.ended() || response.closed() || response.headWritten()) {
      return;
    }
    Shape shape = shape(e);
    response.setStatusCode(shape.status());
    for (Map.Entry<String, String> h : e.headers().entrySet()) {
      response.putHeader(h.getKey(), h.getValue());
    }
    if (response.headers().get(REQUEST_ID) == null) {
      String own = response.headers().get(GATEWAY_REQUEST_ID);
      if (own != null) {
        response.putHeader(REQUEST_ID, own);
      }
    }
    response.putHeader(ERROR_TYPE, shape.type());
    response.putHeader("content-type", "application/json");
    response.end(Buffer.buffer(body(e.getMessage())));
  }

  /**
   * The error as one event-stream frame ({@code :message-type exception}), for a failure after a
   * stream has begun. The exception types are those both streaming operations declare.
   */
  static Buffer exceptionFrame(GatewayException e) {
    String type =
        switch (e.status()) {
          case 400, 413 -> "validationException";
          case 429 -> "throttlingException";
          case 503 -> "serviceUnavailableException";
          case 502, 504 -> "modelStreamErrorException";
          default -> "internalServerException";
        };
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":exception-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("exception"));
    ByteBuffer frame = new Message(headers, body(e.getMessage())).toByteBuffer();
    byte[] bytes = new byte[frame.remaining()];
    frame.get(bytes);
    return Buffer.buffer(bytes);
  }
}
