package io.github.bedrockgateway.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One request the simulator received on a Bedrock route, for tests to inspect.
 *
 * @param operation {@code converse}, {@code converse-stream}, {@code invoke}, {@code
 *     invoke-with-response-stream} or {@code count-tokens}; on the control plane {@code
 *     list-foundation-models} or {@code list-inference-profiles}
 * @param modelId the model id, URL-decoded ({@code us.anthropic.claude-...-v1:0}, or an ARN); null
 *     on the control plane
 * @param rawPath the path exactly as received, still encoded
 * @param headers the request headers; the map's keys compare case-insensitively
 * @param body the body as JSON, or null when it was not JSON
 * @param bodyBytes the body exactly as received (the accessor returns a copy)
 * @param accessKeyId the access key id named in the SigV4 {@code Authorization} header, or the one
 *     a short-term API key was signed with; null if unsigned or a long-term API key
 * @param authScheme how the request authenticated (or tried to)
 * @param bearerKeyFingerprint {@link SimulatorCredentials#fingerprint} of the API key of a bearer
 *     request (never the key itself), null otherwise
 * @param errorType the error the simulator answered with before any response byte (signature,
 *     validation or a scripted {@code @sim error=}), null when it answered normally
 * @param receivedAt when the body had been read
 * @param clientCancelled completes {@code true} if the client closed the connection before the
 *     response's last byte was written, {@code false} once the response ended normally
 */
public record RecordedRequest(
    String operation,
    String modelId,
    String rawPath,
    Map<String, List<String>> headers,
    JsonNode body,
    byte[] bodyBytes,
    String accessKeyId,
    AuthScheme authScheme,
    String bearerKeyFingerprint,
    BedrockErrorType errorType,
    Instant receivedAt,
    CompletableFuture<Boolean> clientCancelled) {

  /** The operation name of {@code POST /model/{modelId}/converse}. */
  public static final String CONVERSE = "converse";

  /** The operation name of {@code POST /model/{modelId}/converse-stream}. */
  public static final String CONVERSE_STREAM = "converse-stream";

  /** The operation name of {@code POST /model/{modelId}/invoke} (InvokeModel). */
  public static final String INVOKE = "invoke";

  /** The operation name of {@code POST /model/{modelId}/invoke-with-response-stream}. */
  public static final String INVOKE_STREAM = "invoke-with-response-stream";

  /** The operation name of {@code POST /model/{modelId}/count-tokens} (CountTokens). */
  public static final String COUNT_TOKENS = "count-tokens";

  /** The header InvokeModel carries {@code requestMetadata} in (Converse has it in the body). */
  public static final String REQUEST_METADATA_HEADER = "X-Amzn-Bedrock-Request-Metadata";

  /** How a request authenticated. */
  public enum AuthScheme {
    /** {@code Authorization: AWS4-HMAC-SHA256 ...} */
    SIGV4,
    /** {@code Authorization: Bearer KEY}, a Bedrock API key */
    BEARER,
    /** no {@code Authorization} header (or one of neither kind) */
    NONE
  }

  public RecordedRequest {
    bodyBytes = bodyBytes == null ? new byte[0] : bodyBytes.clone();
  }

  @Override
  public byte[] bodyBytes() {
    return bodyBytes.clone();
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(bodyBytes, UTF_8);
  }

  /** The first value of a header, case-insensitively, or null. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The {@code X-Amzn-Bedrock-Request-Metadata} header of an InvokeModel request, or null. */
  public String requestMetadata() {
    return header(REQUEST_METADATA_HEADER);
  }

  /** Whether this was a {@code converse-stream} or {@code invoke-with-response-stream} request. */
  public boolean streaming() {
    return CONVERSE_STREAM.equals(operation) || INVOKE_STREAM.equals(operation);
  }
}
