package io.github.bedrockgateway.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One request the simulator received on a Bedrock route, for tests to inspect.
 *
 * @param operation     {@code converse} or {@code converse-stream}; on the control plane
 *                      {@code list-foundation-models} or {@code list-inference-profiles}
 * @param modelId       the model id, URL-decoded ({@code us.anthropic.claude-...-v1:0}, or an ARN); null on
 *                      the control plane
 * @param rawPath       the path exactly as received, still encoded
 * @param headers       the request headers; the map's keys compare case-insensitively
 * @param body          the body as JSON, or null when it was not JSON
 * @param accessKeyId   the access key id named in the {@code Authorization} header, null if unsigned
 * @param errorType     the error the simulator answered with before any response byte (signature,
 *                      validation or a scripted {@code @sim error=}), null when it answered normally
 * @param receivedAt    when the body had been read
 * @param clientCancelled completes {@code true} if the client closed the connection before the
 *                      response's last byte was written, {@code false} once the response ended normally
 */
public record RecordedRequest(String operation, String modelId, String rawPath, Map<String, List<String>> headers,
        JsonNode body, String accessKeyId, BedrockErrorType errorType, Instant receivedAt,
        CompletableFuture<Boolean> clientCancelled) {

    /** The operation name of {@code POST /model/{modelId}/converse}. */
    public static final String CONVERSE = "converse";
    /** The operation name of {@code POST /model/{modelId}/converse-stream}. */
    public static final String CONVERSE_STREAM = "converse-stream";

    /** The first value of a header, case-insensitively, or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Whether this was a {@code converse-stream} request. */
    public boolean streaming() {
        return CONVERSE_STREAM.equals(operation);
    }
}
