package io.github.bedrockgateway.bedrock;

import static io.github.bedrockgateway.error.GatewayException.API_ERROR;
import static io.github.bedrockgateway.error.GatewayException.INVALID_REQUEST;
import static io.github.bedrockgateway.error.GatewayException.NOT_FOUND;
import static io.github.bedrockgateway.error.GatewayException.PERMISSION;
import static io.github.bedrockgateway.error.GatewayException.RATE_LIMIT;
import static io.github.bedrockgateway.error.GatewayException.SERVER_ERROR;

import java.net.ConnectException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import io.github.bedrockgateway.error.GatewayException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The one place that decides what a client sees when Bedrock or the SDK fails. The status is chosen
 * by who is at fault (the client's request, the upstream model, the gateway's own credentials), not
 * forwarded as is, and the Bedrock request id travels in the message and in
 * {@code x-bedrock-request-id} so an operator can trace it.
 */
public final class BedrockErrorMapper {

    /** Seconds a throttled client is asked to wait; Bedrock gives no hint of its own. */
    static final String RETRY_AFTER_SECONDS = "1";
    public static final String REQUEST_ID_HEADER = "x-bedrock-request-id";
    /** The code of the error Bedrock answers when it refuses the gateway's own AWS credentials. */
    public static final String CREDENTIALS_REFUSED = "upstream_authentication_failed";

    private BedrockErrorMapper() {
    }

    public static GatewayException map(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof GatewayException e) {
            return e;
        }
        if (t instanceof AwsServiceException e) {
            return fromService(e);
        }
        if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException
                || t instanceof TimeoutException || hasCause(t, TimeoutException.class)
                || hasCause(t, io.netty.handler.timeout.ReadTimeoutException.class)) {
            return new GatewayException(504, SERVER_ERROR,
                    "Bedrock did not answer in time. Retry the request, or raise the gateway's timeouts.",
                    null, "upstream_timeout");
        }
        if (hasCause(t, ConnectException.class)) {
            return new GatewayException(502, API_ERROR,
                    "The gateway could not connect to Bedrock. Retry later; if it persists, check the gateway's network and endpoint.",
                    null, "upstream_unreachable");
        }
        if (t instanceof SdkClientException) {
            return new GatewayException(502, API_ERROR,
                    "The call to Bedrock failed before an answer arrived: " + safeMessage(t),
                    null, "upstream_error");
        }
        if (thrownBy(t, "software.amazon.")) {
            // e.g. the event-stream decoder refusing a frame whose CRC does not match: Bedrock's answer,
            // not the gateway, is at fault
            return new GatewayException(502, API_ERROR,
                    "Bedrock's answer could not be read: " + safeMessage(t), null, "upstream_protocol_error");
        }
        if (t instanceof CancellationException) {
            return new GatewayException(499, API_ERROR, "The request was cancelled.", null, "cancelled");
        }
        return new GatewayException(500, SERVER_ERROR, "The gateway failed to process the request.", null, null);
    }

    private static GatewayException fromService(AwsServiceException e) {
        String type = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                ? e.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
        // Exceptions inside a ConverseStream are named by their event type (modelStreamErrorException,
        // throttlingException): the same errors as the HTTP ones, which start with a capital.
        if (!type.isEmpty() && Character.isLowerCase(type.charAt(0))) {
            type = Character.toUpperCase(type.charAt(0)) + type.substring(1);
        }
        String bedrockMessage = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : "";
        String requestId = e.requestId();
        Map<String, String> headers = new LinkedHashMap<>();
        if (requestId != null) {
            headers.put(REQUEST_ID_HEADER, requestId);
        }
        String suffix = " (Bedrock " + type + (requestId != null ? ", request id " + requestId : "") + ")";
        String lower = bedrockMessage.toLowerCase(Locale.ROOT);
        switch (type) {
            case "ValidationException":
                if (lower.contains("model identifier is invalid")) {
                    return new GatewayException(404, NOT_FOUND,
                            "The model does not exist or is not available in this region: " + bedrockMessage + suffix,
                            "model", "model_not_found", headers);
                }
                if (lower.contains("on-demand throughput isn") || lower.contains("inference profile")) {
                    return new GatewayException(400, INVALID_REQUEST, bedrockMessage
                            + " Use an inference profile id such as 'us.<model id>' or configure an alias." + suffix,
                            "model", "model_requires_inference_profile", headers);
                }
                return new GatewayException(400, INVALID_REQUEST, bedrockMessage + suffix, null, null, headers);
            case "ConflictException":
                return new GatewayException(400, INVALID_REQUEST, bedrockMessage + suffix, null, null, headers);
            case "ServiceQuotaExceededException":
                headers.put("Retry-After", "60");
                return new GatewayException(429, RATE_LIMIT, bedrockMessage + suffix, null, "insufficient_quota", headers);
            case "AccessDeniedException":
                return new GatewayException(403, PERMISSION, bedrockMessage + suffix, "model", "model_access_denied", headers);
            case "ResourceNotFoundException":
                return new GatewayException(404, NOT_FOUND, bedrockMessage + suffix, "model", "model_not_found", headers);
            case "ThrottlingException":
                headers.put("Retry-After", RETRY_AFTER_SECONDS);
                return new GatewayException(429, RATE_LIMIT, bedrockMessage + suffix, null, "rate_limit_exceeded", headers);
            case "ModelNotReadyException":
                headers.put("Retry-After", RETRY_AFTER_SECONDS);
                return new GatewayException(503, SERVER_ERROR, bedrockMessage + suffix, null, "model_not_ready", headers);
            case "ModelTimeoutException":
                return new GatewayException(504, SERVER_ERROR, bedrockMessage + suffix, null, "model_timeout", headers);
            case "ModelErrorException", "ModelStreamErrorException":
                return new GatewayException(502, API_ERROR, bedrockMessage + suffix, null, "model_error", headers);
            case "ServiceUnavailableException":
                headers.put("Retry-After", RETRY_AFTER_SECONDS);
                return new GatewayException(503, SERVER_ERROR, bedrockMessage + suffix, null, "upstream_unavailable", headers);
            case "InternalServerException":
                return new GatewayException(502, API_ERROR, bedrockMessage + suffix, null, "upstream_error", headers);
            case "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
                    "IncompleteSignatureException", "MissingAuthenticationTokenException",
                    "InvalidClientTokenId", "SignatureDoesNotMatch":
                // The gateway's own AWS credentials were refused: nothing the client can fix.
                return new GatewayException(502, API_ERROR,
                        "Bedrock refused the gateway's AWS credentials; the gateway operator must fix them." + suffix,
                        null, CREDENTIALS_REFUSED, headers);
            default:
                int status = e.statusCode();
                if (status == 429) {
                    headers.put("Retry-After", RETRY_AFTER_SECONDS);
                    return new GatewayException(429, RATE_LIMIT, bedrockMessage + suffix, null, "rate_limit_exceeded", headers);
                }
                if (status >= 400 && status < 500) {
                    return new GatewayException(400, INVALID_REQUEST, bedrockMessage + suffix, null, null, headers);
                }
                return new GatewayException(502, API_ERROR, bedrockMessage + suffix, null, "upstream_error", headers);
        }
    }

    static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
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

    private static String safeMessage(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
