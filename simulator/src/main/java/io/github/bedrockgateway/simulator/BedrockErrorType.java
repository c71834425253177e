package io.github.bedrockgateway.simulator;

import java.util.Locale;
import java.util.Optional;

/**
 * The error types the simulator answers with, each with the HTTP status real Bedrock (or the AWS
 * front door, for the credential errors) uses and its usual message.
 *
 * <p>The wire name is the constant's {@link #wireName()} (the SDK maps it to its exception class
 * through the {@code x-amzn-ErrorType} header); inside an event stream the same error travels as
 * {@link #streamName()} in the {@code :exception-type} header, which only {@link #inStream()} types
 * may.
 */
public enum BedrockErrorType {
  VALIDATION_EXCEPTION(
      "ValidationException",
      400,
      "Malformed input request, please reformat your input and try again.",
      true),
  SERVICE_QUOTA_EXCEEDED_EXCEPTION(
      "ServiceQuotaExceededException",
      400,
      "Your request exceeds the service quota for your account. You can view your quotas and request"
          + " an increase in the Service Quotas console.",
      false),
  CONFLICT_EXCEPTION(
      "ConflictException",
      400,
      "The request could not be completed because of a conflict with the current state of the resource.",
      false),
  ACCESS_DENIED_EXCEPTION(
      "AccessDeniedException",
      403,
      "You don't have access to the model with the specified model ID.",
      false),
  RESOURCE_NOT_FOUND_EXCEPTION(
      "ResourceNotFoundException", 404, "The specified resource could not be found.", false),
  MODEL_TIMEOUT_EXCEPTION(
      "ModelTimeoutException",
      408,
      "Model has timed out in processing the request. Try your request again.",
      false),
  MODEL_ERROR_EXCEPTION(
      "ModelErrorException",
      424,
      "The model returned an error while processing the request. Try your request again.",
      false),
  MODEL_STREAM_ERROR_EXCEPTION(
      "ModelStreamErrorException",
      424,
      "The model's stream encountered an error. Try your request again.",
      true),
  THROTTLING_EXCEPTION(
      "ThrottlingException", 429, "Too many requests, please wait before trying again.", true),
  MODEL_NOT_READY_EXCEPTION(
      "ModelNotReadyException",
      429,
      "Model is not ready for inference. Wait and try your request again.",
      false),
  INTERNAL_SERVER_EXCEPTION(
      "InternalServerException",
      500,
      "The system encountered an unexpected error during processing. Try your request again.",
      true),
  SERVICE_UNAVAILABLE_EXCEPTION(
      "ServiceUnavailableException", 503, "Bedrock is unable to process your request.", true),

  // Protocol and credential errors: raised by the simulator itself, not by `@sim error=`.
  SERIALIZATION_EXCEPTION(
      "SerializationException", 400, "The request body is not valid JSON.", false),
  UNKNOWN_OPERATION_EXCEPTION("UnknownOperationException", 404, "Unknown operation.", false),
  MISSING_AUTHENTICATION_TOKEN_EXCEPTION(
      "MissingAuthenticationTokenException", 403, "Missing Authentication Token", false),
  INCOMPLETE_SIGNATURE_EXCEPTION(
      "IncompleteSignatureException",
      403,
      "The request signature does not conform to AWS standards.",
      false),
  UNRECOGNIZED_CLIENT_EXCEPTION(
      "UnrecognizedClientException",
      403,
      "The security token included in the request is invalid.",
      false),
  INVALID_SIGNATURE_EXCEPTION(
      "InvalidSignatureException",
      403,
      "The request signature we calculated does not match the signature you provided. Check your AWS"
          + " Secret Access Key and signing method. Consult the service documentation for details.",
      false),
  EXPIRED_TOKEN_EXCEPTION(
      "ExpiredTokenException", 403, "The security token included in the request is expired", false);

  private final String wireName;
  private final int httpStatus;
  private final String defaultMessage;
  private final boolean inStream;

  BedrockErrorType(String wireName, int httpStatus, String defaultMessage, boolean inStream) {
    this.wireName = wireName;
    this.httpStatus = httpStatus;
    this.defaultMessage = defaultMessage;
    this.inStream = inStream;
  }

  /** The type as it appears in {@code x-amzn-ErrorType}, e.g. {@code ThrottlingException}. */
  public String wireName() {
    return wireName;
  }

  /** The HTTP status Bedrock answers with when the error comes before any response byte. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The message Bedrock usually sends with this type. */
  public String defaultMessage() {
    return defaultMessage;
  }

  /** Whether ConverseStream declares this type as an in-stream exception event. */
  public boolean inStream() {
    return inStream;
  }

  /**
   * The {@code :exception-type} header value inside an event stream, e.g. {@code
   * throttlingException}.
   */
  public String streamName() {
    return Character.toLowerCase(wireName.charAt(0)) + wireName.substring(1);
  }

  /** Whether a script may ask for this type with {@code @sim error=}. */
  boolean scriptable() {
    return ordinal() <= SERVICE_UNAVAILABLE_EXCEPTION.ordinal();
  }

  /**
   * Finds a type by wire name or stream name, ignoring case; the {@code Exception} suffix may be
   * left out ({@code throttling}).
   */
  public static Optional<BedrockErrorType> fromName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (BedrockErrorType type : values()) {
      String wire = type.wireName.toLowerCase(Locale.ROOT);
      if (wire.equals(wanted) || wire.equals(wanted + "exception")) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
