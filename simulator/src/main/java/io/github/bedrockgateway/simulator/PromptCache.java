package io.github.bedrockgateway.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bedrock's prompt cache, as far as a client can observe it: the prompt is read in Bedrock's order
 * (tools, system, messages); each {@code cachePoint} marks the prefix before it. A prefix seen
 * before (same model, same content, within its TTL, 5 minutes unless the cache point says {@code
 * 1h}) is read from the cache; the rest up to the last cache point is written. The figures are the
 * prefix's input tokens as the simulator counts them ({@link ReplyScript#blockCharacters}), so
 * {@code inputTokens} + reads + writes stays the whole prompt.
 *
 * <p>Thread-safe. The cache keeps at most {@value #MAX_ENTRIES} prefixes, dropping the oldest.
 */
final class PromptCache {

  static final int MAX_ENTRIES = 10_000;

  /** Tokens read from and written to the cache by one request. */
  record Usage(int readTokens, int writeTokens) {
    static final Usage NONE = new Usage(0, 0);
  }

  private record Checkpoint(String key, int tokens, Duration ttl) {}

  private final Clock clock;
  private final Map<String, Instant> expiries =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  PromptCache(Clock clock) {
    this.clock = clock;
  }

  /** Looks the request's cache points up and records them, as Bedrock does when it answers. */
  Usage use(String modelId, JsonNode body) {
    List<Checkpoint> checkpoints = checkpoints(modelId, body);
    if (checkpoints.isEmpty()) {
      return Usage.NONE;
    }
    Instant now = clock.instant();
    synchronized (expiries) {
      int read = 0;
      for (int i = checkpoints.size() - 1; i >= 0; i--) {
        Instant expiry = expiries.get(checkpoints.get(i).key());
        if (expiry != null && expiry.isAfter(now)) {
          read = checkpoints.get(i).tokens();
          break;
        }
      }
      for (Checkpoint c : checkpoints) {
        expiries.put(c.key(), now.plus(c.ttl()));
      }
      int last = checkpoints.get(checkpoints.size() - 1).tokens();
      return new Usage(read, Math.max(0, last - read));
    }
  }

  private static List<Checkpoint> checkpoints(String modelId, JsonNode body) {
    List<Checkpoint> out = new ArrayList<>();
    MessageDigest digest = sha256();
    digest.update(modelId.getBytes(UTF_8));
    long[] characters = {0};
    for (JsonNode tool : body.path("toolConfig").path("tools")) {
      visit(
          tool,
          tool.has("toolSpec") ? tool.get("toolSpec").toString().length() : 0,
          digest,
          characters,
          out);
    }
    for (JsonNode block : body.path("system")) {
      visit(block, block.path("text").asText("").length(), digest, characters, out);
    }
    for (JsonNode message : body.path("messages")) {
      digest.update(message.path("role").asText("").getBytes(UTF_8));
      for (JsonNode block : message.path("content")) {
        visit(block, ReplyScript.blockCharacters(block), digest, characters, out);
      }
    }
    return out;
  }

  /** Adds a block to the running prefix, or records a checkpoint when it is a cache point. */
  private static void visit(
      JsonNode block,
      long blockCharacters,
      MessageDigest digest,
      long[] characters,
      List<Checkpoint> out) {
    if (block.has("cachePoint")) {
      Duration ttl =
          "1h".equals(block.path("cachePoint").path("ttl").asText())
              ? Duration.ofHours(1)
              : Duration.ofMinutes(5);
      out.add(
          new Checkpoint(
              HexFormat.of().formatHex(snapshot(digest)), (int) ((characters[0] + 3) / 4), ttl));
      return;
    }
    digest.update(block.toString().getBytes(UTF_8));
    characters[0] += blockCharacters;
  }

  private static byte[] snapshot(MessageDigest digest) {
    try {
      return ((MessageDigest) digest.clone()).digest();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
