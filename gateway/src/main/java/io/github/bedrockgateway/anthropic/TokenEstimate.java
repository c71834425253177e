package io.github.bedrockgateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The input-token estimate {@code count_tokens} answers with when Bedrock cannot count (a model
 * without CountTokens, or any failure of it): one token per four characters of every text the model
 * would read (system, messages, tool definitions, tool inputs and results, thinking), rounded up,
 * plus {@value #IMAGE_TOKENS} per image and one token per four bytes of a document. It is meant for
 * budgeting a context window, as Claude Code uses it, and never fails.
 */
final class TokenEstimate {

  /** About what Claude charges for a large image (about 1.15 megapixels). */
  static final int IMAGE_TOKENS = 1600;

  private long characters;
  private long fixed;

  private TokenEstimate() {}

  /** The estimate for a Messages body. */
  static int of(JsonNode body) {
    TokenEstimate e = new TokenEstimate();
    e.text(body.get("system"));
    e.content(body.get("messages"));
    JsonNode tools = body.get("tools");
    if (tools != null && tools.isArray()) {
      for (JsonNode tool : tools) {
        e.characters += tool.toString().length();
      }
    }
    long tokens = (e.characters + 3) / 4 + e.fixed;
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, tokens));
  }

  private void text(JsonNode node) {
    if (node == null || node.isNull()) {
      return;
    }
    if (node.isTextual()) {
      characters += node.asText().length();
    } else {
      content(node);
    }
  }

  /** Walks any JSON value: strings count, except image and document payloads, counted apart. */
  private void content(JsonNode node) {
    if (node == null) {
      return;
    }
    if (node.isArray()) {
      node.forEach(this::content);
    } else if (node.isObject()) {
      String type = node.path("type").asText("");
      if (type.equals("image")) {
        fixed += IMAGE_TOKENS;
        return;
      }
      if (type.equals("document")
          && node.path("source").path("data").isTextual()
          && "base64".equals(node.path("source").path("type").asText())) {
        fixed += node.path("source").path("data").asText().length() * 3L / 4 / 4;
        return;
      }
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String name = field.getKey();
        if (name.equals("type")
            || name.equals("id")
            || name.equals("tool_use_id")
            || name.equals("signature")
            || name.equals("cache_control")
            || name.equals("role")) {
          continue;
        }
        content(field.getValue());
      }
    } else if (node.isTextual()) {
      characters += node.asText().length();
    } else if (node.isNumber() || node.isBoolean()) {
      characters += node.asText().length();
    }
  }
}
