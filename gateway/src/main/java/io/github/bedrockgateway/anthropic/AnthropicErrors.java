package io.github.bedrockgateway.anthropic;

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
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * The neutral {@link GatewayException} in Anthropic's shape: {@code {"type": "error", "error":
 * {"type": ..., "message": ...}}} with Anthropic's statuses, as an HTTP answer or as the {@code
 * error} server-sent event of a stream that has begun.
 *
 * <p>Statuses and types: 400 {@code invalid_request_error}, 401 {@code authentication_error}, 403
 * {@code permission_error}, 404 {@code not_found_error}, 413 {@code request_too_large}, 429 {@code
 * rate_limit_error} (with {@code retry-after}), overload 529 {@code overloaded_error} (the
 * gateway's own in-flight limit, Bedrock's {@code ServiceUnavailableException} and {@code
 * ModelNotReadyException}), other 5xx {@code api_error} with their status (502 upstream failure,
 * 504 timeout, 503 shutting down). Anthropic's envelope has no {@code param}: the offending field
 * leads the message instead ({@code "messages.0.content: ..."}), as Anthropic's own messages do.
 */
public final class AnthropicErrors {

  /** Anthropic's status for an overloaded service. */
  public static final int OVERLOADED_STATUS = 529;

  /** GatewayException codes that mean "overloaded, retry shortly". */
  private static final Set<String> OVERLOADED_CODES =
      Set.of("overloaded", "upstream_unavailable", "model_not_ready");

  private AnthropicErrors() {}

  /**
   * The edge's view of an Anthropic protocol: {@code request-id}, x-api-key or bearer, this
   * envelope.
   */
  public static Edge.Protocol protocol(String name) {
    return new Edge.Protocol(
        name, "request-id", KeySource.X_API_KEY_OR_BEARER, AnthropicErrors::send);
  }

  /** The HTTP status Anthropic would answer with. */
  public static int status(GatewayException e) {
    if (e.code() != null && OVERLOADED_CODES.contains(e.code())) {
      return OVERLOADED_STATUS;
    }
    return e.status();
  }

  /** Anthropic's error type for the error. */
  public static String type(GatewayException e) {
    int status = status(e);
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case OVERLOADED_STATUS -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  /** The message, led by the offending field when the message does not name it already. */
  static String message(GatewayException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    String param = e.param();
    if (param == null || param.isEmpty() || message.contains(param)) {
      return message;
    }
    return param + ": " + message;
  }

  /** {@code {"type": "error", "error": {"type", "message"}}} */
  public static byte[] envelope(GatewayException e) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(256);
        JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", "error");
      g.writeObjectFieldStart("error");
      g.writeStringField("type", type(e));
      g.writeStringField("message", message(e));
      g.writeEndObject();
      g.writeEndObject();
      g.flush();
      return out.toByteArray();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /**
   * Answers with the error's status, headers and envelope, unless the response has already begun.
   */
  public static void send(HttpServerResponse response, GatewayException e) {
    if (response.ended() || response.closed() || response.headWritten()) {
      return;
    }
    response.setStatusCode(status(e));
    for (Map.Entry<String, String> h : e.headers().entrySet()) {
      response.putHeader(h.getKey(), h.getValue());
    }
    response.putHeader("content-type", "application/json");
    response.end(Buffer.buffer(envelope(e)));
  }

  /** The error as Anthropic's {@code error} event, for failures after the stream has begun. */
  public static String event(GatewayException e) {
    return "event: error\ndata: " + new String(envelope(e), StandardCharsets.UTF_8) + "\n\n";
  }
}
