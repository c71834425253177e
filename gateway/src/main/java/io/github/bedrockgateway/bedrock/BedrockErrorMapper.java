package io.github.bedrockgateway.bedrock;

import static io.github.bedrockgateway.error.GatewayException.API_ERROR;
import static io.github.bedrockgateway.error.GatewayException.INVALID_REQUEST;
import static io.github.bedrockgateway.error.GatewayException.NOT_FOUND;
import static io.github.bedrockgateway.error.GatewayException.PERMISSION;
import static io.github.bedrockgateway.error.GatewayException.RATE_LIMIT;
import static io.github.bedrockgateway.error.GatewayException.SERVER_ERROR;

import io.github.bedrockgateway.error.GatewayException;
import java.net.ConnectException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The one place that decides what a client sees when Bedrock or the SDK fails. The status is chosen
 * by who is at fault (the client's request, the upstream model, the gateway's own credentials), not
 * forwarded as is, and the Bedrock request id travels in the message and in {@code
 * x-bedrock-request-id} so an operator can trace it.
 */
public final class BedrockErrorMapper {

  /** Seconds a throttled client is asked to wait; Bedrock gives no hint of its own. */
  static final String RETRY_AFTER_SECONDS = "1";

  public static final String REQUEST_ID_HEADER = "x-bedrock-request-id";

  /** The code of the error Bedrock answers when it refuses the gateway's own AWS credentials. */
  public static final String CREDENTIALS_REFUSED = "upstream_authentication_failed";

  /**
   * How the gateway signs its Bedrock calls, named in the message of a refusal.
   *
   * @param strategy the credentials strategy ({@code assume-role}, {@code bedrock-api-key}...),
   *     null when unknown
   * @param apiKey whether calls carry a Bedrock API key (bearer token) instead of a SigV4 signature
   */
  public record Signing(String strategy, boolean apiKey) {}

  private static volatile Signing signing = new Signing(null, false);

  private BedrockErrorMapper() {}

  /** Set once, where the Bedrock clients are built. */
  public static void signing(Signing how) {
    signing = how;
  }

  /**
   * {@link #map(Throwable, String)} without a request id: the message then refers to "this
   * request's id" (the protocol's request-id response header).
   */
  public static GatewayException map(Throwable failure) {
    return map(failure, null);
  }

  /**
   * The client's view of a failed Bedrock call. Bedrock's own error messages (a service error with
   * its code) are passed on; a failure inside the gateway or the SDK (an unreadable answer, a
   * broken connection) gets a fixed sentence and the request id, never the exception's text: that
   * names Java classes and parser internals, and belongs in the log, which the caller writes under
   * the same id.
   *
   * @param requestId the gateway's request id, quoted in messages that send the reader to the log
   */
  public static GatewayException map(Throwable failure, String requestId) {
    Throwable t = unwrap(failure);
    if (t instanceof GatewayException e) {
      return e;
    }
    if (t instanceof AwsServiceException e) {
      return fromService(e);
    }
    if (t instanceof ApiCallTimeoutException
        || t instanceof ApiCallAttemptTimeoutException
        || t instanceof TimeoutException
        || hasCause(t, TimeoutException.class)
        || hasCause(t, io.netty.handler.timeout.ReadTimeoutException.class)) {
      return new GatewayException(
          504,
          SERVER_ERROR,
          "Bedrock did not answer in time. Retry the request, or raise the gateway's timeouts.",
          null,
          "upstream_timeout");
    }
    if (hasCause(t, ConnectException.class)) {
      return new GatewayException(
          502,
          API_ERROR,
          "The gateway could not connect to Bedrock. Retry later; if it persists, check the gateway's network and endpoint.",
          null,
          "upstream_unreachable");
    }
    if (t instanceof SdkClientException) {
      return new GatewayException(
          502,
          API_ERROR,
          "The call to Bedrock failed before a complete answer arrived." + seeLog(requestId),
          null,
          "upstream_error");
    }
    if (thrownBy(t, "software.amazon.")) {
      // e.g. the event-stream decoder refusing a frame whose CRC does not match: Bedrock's answer,
      // not the gateway, is at fault
      return new GatewayException(
          502,
          API_ERROR,
          "Bedrock's answer could not be read." + seeLog(requestId),
          null,
          "upstream_protocol_error");
    }
    if (t instanceof CancellationException) {
      return new GatewayException(499, API_ERROR, "The request was cancelled.", null, "cancelled");
    }
    return new GatewayException(
        500,
        SERVER_ERROR,
        "The gateway failed to process the request." + seeLog(requestId),
        null,
        null);
  }

  private static String seeLog(String requestId) {
    return requestId == null
        ? " The gateway's log has the details under this request's id."
        : " The gateway's log has the details under request id " + requestId + ".";
  }

  private static GatewayException fromService(AwsServiceException e) {
    // Bedrock's error code (x-amzn-ErrorType, e.g. ThrottlingException): part of its API, which
    // operators
    // search for; without one, the HTTP status (never the SDK's class name)
    String type =
        e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
            ? e.awsErrorDetails().errorCode()
            : "HTTP " + e.statusCode();
    if (!type.isEmpty() && Character.isLowerCase(type.charAt(0))) {
      // An exception inside an event stream is named by its event type
      // (serviceUnavailableException):
      // the same error as its HTTP twin, so the same answer.
      type = Character.toUpperCase(type.charAt(0)) + type.substring(1);
    }
    String bedrockMessage =
        e.awsErrorDetails() != null
                && e.awsErrorDetails().errorMessage() != null
                && !e.awsErrorDetails().errorMessage().isBlank()
            ? e.awsErrorDetails().errorMessage()
            : "Bedrock answered with an error and no message.";
    String requestId = e.requestId();
    Map<String, String> headers = new LinkedHashMap<>();
    if (requestId != null) {
      headers.put(REQUEST_ID_HEADER, requestId);
    }
    String suffix =
        " (Bedrock " + type + (requestId != null ? ", request id " + requestId : "") + ")";
    String lower = bedrockMessage.toLowerCase(Locale.ROOT);
    switch (type) {
      case "ValidationException":
        if (lower.contains("model identifier is invalid")) {
          return new GatewayException(
              404,
              NOT_FOUND,
              "The model does not exist or is not available in this region: "
                  + bedrockMessage
                  + suffix,
              "model",
              "model_not_found",
              headers);
        }
        if (lower.contains("on-demand throughput isn") || lower.contains("inference profile")) {
          return new GatewayException(
              400,
              INVALID_REQUEST,
              bedrockMessage
                  + " Use an inference profile id such as 'us.<model id>' or configure an alias."
                  + suffix,
              "model",
              "model_requires_inference_profile",
              headers);
        }
        return new GatewayException(
            400, INVALID_REQUEST, bedrockMessage + suffix, null, null, headers);
      case "ConflictException":
        return new GatewayException(
            400, INVALID_REQUEST, bedrockMessage + suffix, null, null, headers);
      case "ServiceQuotaExceededException":
        headers.put("Retry-After", "60");
        return new GatewayException(
            429, RATE_LIMIT, bedrockMessage + suffix, null, "insufficient_quota", headers);
      case "AccessDeniedException":
        if (refusesApiKey(lower)) {
          return credentialsRefused(bedrockMessage, suffix, headers);
        }
        return new GatewayException(
            403, PERMISSION, bedrockMessage + suffix, "model", "model_access_denied", headers);
      case "ResourceNotFoundException":
        return new GatewayException(
            404, NOT_FOUND, bedrockMessage + suffix, "model", "model_not_found", headers);
      case "ThrottlingException":
        headers.put("Retry-After", RETRY_AFTER_SECONDS);
        return new GatewayException(
            429, RATE_LIMIT, bedrockMessage + suffix, null, "rate_limit_exceeded", headers);
      case "ModelNotReadyException":
        headers.put("Retry-After", RETRY_AFTER_SECONDS);
        return new GatewayException(
            503, SERVER_ERROR, bedrockMessage + suffix, null, "model_not_ready", headers);
      case "ModelTimeoutException":
        return new GatewayException(
            504, SERVER_ERROR, bedrockMessage + suffix, null, "model_timeout", headers);
      case "ModelErrorException", "ModelStreamErrorException":
        return new GatewayException(
            502, API_ERROR, bedrockMessage + suffix, null, "model_error", headers);
      case "ServiceUnavailableException":
        headers.put("Retry-After", RETRY_AFTER_SECONDS);
        return new GatewayException(
            503, SERVER_ERROR, bedrockMessage + suffix, null, "upstream_unavailable", headers);
      case "InternalServerException":
        return new GatewayException(
            502, API_ERROR, bedrockMessage + suffix, null, "upstream_error", headers);
      case "UnrecognizedClientException",
      "InvalidSignatureException",
      "ExpiredTokenException",
      "IncompleteSignatureException",
      "MissingAuthenticationTokenException",
      "InvalidClientTokenId",
      "SignatureDoesNotMatch":
        // The gateway's own credentials were refused: nothing the client can fix.
        return credentialsRefused(bedrockMessage, suffix, headers);
      default:
        int status = e.statusCode();
        if (status == 429) {
          headers.put("Retry-After", RETRY_AFTER_SECONDS);
          return new GatewayException(
              429, RATE_LIMIT, bedrockMessage + suffix, null, "rate_limit_exceeded", headers);
        }
        if (status >= 400 && status < 500) {
          return new GatewayException(
              400, INVALID_REQUEST, bedrockMessage + suffix, null, null, headers);
        }
        return new GatewayException(
            502, API_ERROR, bedrockMessage + suffix, null, "upstream_error", headers);
    }
  }

  /**
   * Bedrock's refusals of an API key (wrong prefix, unknown or revoked key, no
   * bedrock:CallWithBearerToken).
   */
  private static boolean refusesApiKey(String lowerMessage) {
    return lowerMessage.contains("api key") || lowerMessage.contains("bedrock:callwithbearertoken");
  }

  /**
   * The gateway's own credentials or API key were refused: a 502 the client cannot fix, naming the
   * strategy so the operator knows where to look. Routes retry once after refreshing on this code.
   */
  private static GatewayException credentialsRefused(
      String bedrockMessage, String suffix, Map<String, String> headers) {
    Signing how = signing;
    String strategy =
        how.strategy() == null ? "" : " (credentials strategy '" + how.strategy() + "')";
    String message =
        how.apiKey()
            ? "Bedrock refused the gateway's Bedrock API key"
                + strategy
                + ": "
                + sentence(bedrockMessage)
                + " The gateway operator must replace the key."
            : "Bedrock refused the gateway's AWS credentials"
                + strategy
                + "; the gateway operator must fix them.";
    return new GatewayException(
        502, API_ERROR, message + suffix, null, CREDENTIALS_REFUSED, headers);
  }

  private static String sentence(String s) {
    String t = s == null ? "" : s.strip();
    return t.isEmpty() ? "it was not accepted." : t.endsWith(".") ? t : t + ".";
  }

  static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof CompletionException || cur instanceof ExecutionException)
        && cur.getCause() != null) {
      cur = cur.getCause();
    }
    // the SDK wraps some service exceptions raised inside an event stream
    if (cur instanceof SdkClientException && cur.getCause() instanceof AwsServiceException) {
      return cur.getCause();
    }
    return cur;
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  private static boolean thrownBy(Throwable t, String packagePrefix) {
    StackTraceElement[] trace = t.getStackTrace();
    return trace.length > 0 && trace[0].getClassName().startsWith(packagePrefix);
  }
}
