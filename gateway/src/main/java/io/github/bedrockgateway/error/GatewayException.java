package io.github.bedrockgateway.error;

import java.util.Map;

/**
 * An error the gateway answers with, in the OpenAI envelope {@code {"error": {"message", "type",
 * "param", "code"}}}. Every failure path ends in one of these: request validation throws it
 * directly, {@code bedrock.BedrockErrorMapper} builds it from SDK failures. It carries no stack
 * trace because it is an answer, not a bug.
 */
public class GatewayException extends RuntimeException {

  public static final String INVALID_REQUEST = "invalid_request_error";
  public static final String AUTHENTICATION = "authentication_error";
  public static final String PERMISSION = "permission_error";
  public static final String NOT_FOUND = "not_found_error";
  public static final String RATE_LIMIT = "rate_limit_error";
  public static final String API_ERROR = "api_error";
  public static final String SERVER_ERROR = "server_error";

  private final int status;
  private final String type;
  private final String param;
  private final String code;
  private final Map<String, String> headers;

  public GatewayException(
      int status,
      String type,
      String message,
      String param,
      String code,
      Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
    this.headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public GatewayException(int status, String type, String message, String param, String code) {
    this(status, type, message, param, code, null);
  }

  /** A 400 {@code invalid_request_error} naming the offending parameter. */
  public static GatewayException invalid(String param, String message) {
    return new GatewayException(400, INVALID_REQUEST, message, param, null);
  }

  /** A 400 for a parameter the gateway deliberately does not support. */
  public static GatewayException unsupported(String param, String message) {
    return new GatewayException(400, INVALID_REQUEST, message, param, "unsupported_parameter");
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String param() {
    return param;
  }

  public String code() {
    return code;
  }

  /** Extra response headers, e.g. {@code Retry-After} or the Bedrock request id. */
  public Map<String, String> headers() {
    return headers;
  }
}
