package io.github.bedrockgateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Token counts of one answer, gathered from Anthropic's {@code usage} objects (a whole response, or
 * a stream's {@code message_start} then {@code message_delta}s, or Bedrock's invocation metrics),
 * and handed to the access log and the metrics as the SDK's {@link TokenUsage}. Anthropic's {@code
 * input_tokens} excludes the cache reads and writes, like Converse's {@code inputTokens}. One per
 * request, not thread-safe.
 */
final class AnthropicUsage {

  private Integer input;
  private Integer output;
  private Integer cacheRead;
  private Integer cacheWrite;

  /**
   * Takes the figures present in an Anthropic {@code usage} object; absent ones keep their value.
   */
  void add(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return;
    }
    input = pick(usage, "input_tokens", input);
    output = pick(usage, "output_tokens", output);
    cacheRead = pick(usage, "cache_read_input_tokens", cacheRead);
    cacheWrite = pick(usage, "cache_creation_input_tokens", cacheWrite);
  }

  /**
   * Bedrock's {@code amazon-bedrock-invocationMetrics}: used for what the usage objects left
   * unsaid.
   */
  void addInvocationMetrics(JsonNode metrics) {
    if (metrics == null || !metrics.isObject()) {
      return;
    }
    if (input == null) {
      input = pick(metrics, "inputTokenCount", null);
    }
    if (output == null) {
      output = pick(metrics, "outputTokenCount", null);
    }
    if (cacheRead == null) {
      cacheRead = pick(metrics, "cacheReadInputTokenCount", null);
    }
    if (cacheWrite == null) {
      cacheWrite = pick(metrics, "cacheWriteInputTokenCount", null);
    }
  }

  /** The counts so far, or null when none has been seen. */
  TokenUsage toTokenUsage() {
    if (input == null && output == null && cacheRead == null && cacheWrite == null) {
      return null;
    }
    int in = nz(input);
    int out = nz(output);
    int read = nz(cacheRead);
    int write = nz(cacheWrite);
    return TokenUsage.builder()
        .inputTokens(in)
        .outputTokens(out)
        .cacheReadInputTokens(read)
        .cacheWriteInputTokens(write)
        .totalTokens(in + out + read + write)
        .build();
  }

  /** The usage of a whole Anthropic response. */
  static TokenUsage of(JsonNode usage) {
    AnthropicUsage u = new AnthropicUsage();
    u.add(usage);
    return u.toTokenUsage();
  }

  private static Integer pick(JsonNode node, String field, Integer previous) {
    JsonNode v = node.get(field);
    return v != null && v.canConvertToInt() ? Integer.valueOf(v.intValue()) : previous;
  }

  private static int nz(Integer v) {
    return v == null ? 0 : v;
  }
}
