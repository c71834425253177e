package io.github.bedrockgateway.converse;

import static io.github.bedrockgateway.error.GatewayException.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;
import software.amazon.awssdk.services.bedrockruntime.model.CacheTTL;

/**
 * Prompt-cache markers a client puts on a content part, a message or a tool, read into the Converse
 * {@code cachePoint} that goes right after the marked block. Two spellings are accepted:
 *
 * <ul>
 *   <li>Anthropic's {@code "cache_control": {"type": "ephemeral", "ttl": "5m" | "1h"}} (the
 *       extension LiteLLM, LibreChat and Claude-aware clients send);
 *   <li>OpenAI's {@code "prompt_cache_breakpoint": {"mode": "explicit", "ttl": "30m" | "12h"}},
 *       whose TTL has no Bedrock equivalent: any TTL becomes Bedrock's longest, {@code 1h}.
 * </ul>
 */
public final class CacheMarkers {

  /** Bedrock (like Anthropic) takes at most four cache points per request. */
  public static final int MAX_CACHE_POINTS = 4;

  private CacheMarkers() {}

  /** The cache point a part, message or tool asks for, or null when it carries no marker. */
  public static CachePointBlock of(JsonNode node, String p) {
    if (node == null || !node.isObject()) {
      return null;
    }
    JsonNode anthropic = node.get("cache_control");
    if (anthropic != null && !anthropic.isNull()) {
      String cp = p + ".cache_control";
      if (!anthropic.isObject() || !"ephemeral".equals(anthropic.path("type").asText(null))) {
        throw invalid(
            cp,
            cp + " must be {\"type\": \"ephemeral\"} (optionally with \"ttl\": \"5m\" or \"1h\").");
      }
      String ttl = Fields.optionalString(anthropic, "ttl", cp + ".ttl");
      CachePointBlock.Builder b = CachePointBlock.builder().type(CachePointType.DEFAULT);
      if (ttl != null) {
        switch (ttl) {
          case "5m" -> b.ttl(CacheTTL.VALUE_5_M);
          case "1h" -> b.ttl(CacheTTL.VALUE_1_H);
          default ->
              throw invalid(
                  cp + ".ttl",
                  "Invalid value: '" + ttl + "'. Supported values are: '5m' and '1h'.");
        }
      }
      return b.build();
    }
    JsonNode openAi = node.get("prompt_cache_breakpoint");
    if (openAi != null && !openAi.isNull()) {
      String bp = p + ".prompt_cache_breakpoint";
      if (!openAi.isObject()) {
        throw invalid(bp, bp + " must be an object.");
      }
      String mode = Fields.optionalString(openAi, "mode", bp + ".mode");
      if (mode != null && !"explicit".equals(mode)) {
        throw invalid(
            bp + ".mode", "Invalid value: '" + mode + "'. Supported value is: 'explicit'.");
      }
      String ttl = Fields.optionalString(openAi, "ttl", bp + ".ttl");
      CachePointBlock.Builder b = CachePointBlock.builder().type(CachePointType.DEFAULT);
      if (ttl != null) {
        b.ttl(CacheTTL.VALUE_1_H);
      }
      return b.build();
    }
    return null;
  }

  /** The default cache point the gateway places by itself ({@code gateway.prompt-caching.auto}). */
  public static CachePointBlock automatic() {
    return CachePointBlock.builder().type(CachePointType.DEFAULT).build();
  }
}
