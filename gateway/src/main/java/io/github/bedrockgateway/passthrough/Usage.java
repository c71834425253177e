package io.github.bedrockgateway.passthrough;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.function.Function;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * The token usage of a forwarded call, found where Bedrock puts it, without reading the rest of the
 * answer: InvokeModel's {@code X-Amzn-Bedrock-*-Token-Count} headers, the {@code usage} member of a
 * Converse answer, and for streams the last frame only: ConverseStream's {@code metadata} event, or
 * the {@code amazon-bedrock-invocationMetrics} that InvokeModelWithResponseStream adds to its last
 * chunk. Null when the answer carries none. Pure.
 */
final class Usage {

  private Usage() {}

  /** From InvokeModel's response headers. */
  static TokenUsage fromHeaders(Function<String, String> header) {
    Integer input = integer(header.apply("X-Amzn-Bedrock-Input-Token-Count"));
    Integer output = integer(header.apply("X-Amzn-Bedrock-Output-Token-Count"));
    if (input == null && output == null) {
      return null;
    }
    return usage(
        input,
        output,
        integer(header.apply("X-Amzn-Bedrock-Cache-Read-Input-Token-Count")),
        integer(header.apply("X-Amzn-Bedrock-Cache-Write-Input-Token-Count")));
  }

  /** From a Converse answer's top-level {@code usage}; only that member is read into a tree. */
  static TokenUsage fromConverseBody(byte[] body) {
    try (JsonParser p = Json.FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("usage")) {
          return fromConverseUsage(Json.MAPPER.readTree(p));
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** From the last frame of a ConverseStream or InvokeModelWithResponseStream answer. */
  static TokenUsage fromLastFrame(byte[] frame) {
    if (frame == null) {
      return null;
    }
    try {
      Message message = Message.decode(ByteBuffer.wrap(frame));
      HeaderValue type = message.getHeaders().get(":event-type");
      HeaderValue kind = message.getHeaders().get(":message-type");
      if (type == null || kind == null || !"event".equals(kind.getString())) {
        return null;
      }
      JsonNode payload = Json.MAPPER.readTree(message.getPayload());
      return switch (type.getString()) {
        case "metadata" -> fromConverseUsage(payload.path("usage"));
        case "chunk" -> fromChunk(payload);
        default -> null;
      };
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** An InvokeModelWithResponseStream chunk: {@code {"bytes": base64 of the model's event}}. */
  private static TokenUsage fromChunk(JsonNode payload) throws IOException {
    JsonNode bytes = payload.path("bytes");
    if (!bytes.isTextual()) {
      return null;
    }
    JsonNode event = Json.MAPPER.readTree(Base64.getDecoder().decode(bytes.textValue()));
    JsonNode metrics = event.path("amazon-bedrock-invocationMetrics");
    if (!metrics.isObject()) {
      return null;
    }
    return usage(
        integer(metrics.path("inputTokenCount")),
        integer(metrics.path("outputTokenCount")),
        integer(metrics.path("cacheReadInputTokenCount")),
        integer(metrics.path("cacheWriteInputTokenCount")));
  }

  private static TokenUsage fromConverseUsage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    return usage(
        integer(usage.path("inputTokens")),
        integer(usage.path("outputTokens")),
        integer(usage.path("cacheReadInputTokens")),
        integer(usage.path("cacheWriteInputTokens")));
  }

  private static TokenUsage usage(
      Integer input, Integer output, Integer cacheRead, Integer cacheWrite) {
    int in = input == null ? 0 : input;
    int out = output == null ? 0 : output;
    int read = cacheRead == null ? 0 : cacheRead;
    int write = cacheWrite == null ? 0 : cacheWrite;
    return TokenUsage.builder()
        .inputTokens(in)
        .outputTokens(out)
        .totalTokens(in + out + read + write)
        .cacheReadInputTokens(cacheRead)
        .cacheWriteInputTokens(cacheWrite)
        .build();
  }

  private static Integer integer(JsonNode node) {
    return node != null && node.canConvertToInt() && node.isIntegralNumber()
        ? node.intValue()
        : null;
  }

  private static Integer integer(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(header.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
