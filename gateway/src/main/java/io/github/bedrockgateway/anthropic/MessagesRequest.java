package io.github.bedrockgateway.anthropic;

import static io.github.bedrockgateway.error.GatewayException.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Messages request as the route first reads it: the fields every path needs checked before the
 * model is known ({@code model}, {@code max_tokens}, {@code messages}, {@code stream}), and the
 * body itself, which the Claude path forwards and the Converse path translates. Field paths in
 * messages are Anthropic's ({@code messages.0.content}).
 *
 * @param model the client's model name
 * @param stream whether the answer streams
 * @param maxTokens {@code max_tokens}; 0 for {@code count_tokens}, which has none
 * @param body the request body
 */
public record MessagesRequest(String model, boolean stream, int maxTokens, ObjectNode body) {

  /**
   * Checks the fields every path needs.
   *
   * @param countTokens a {@code count_tokens} body: no {@code max_tokens}, no {@code stream}
   */
  public static MessagesRequest parse(JsonNode body, boolean countTokens) {
    if (body == null || !body.isObject()) {
      throw invalid(null, "The request body must be a JSON object.");
    }
    JsonNode model = body.get("model");
    if (model == null || model.isNull()) {
      throw invalid("model", "model: Field required");
    }
    if (!model.isTextual() || model.asText().isBlank()) {
      throw invalid("model", "model: Input should be a non-empty string");
    }
    int maxTokens = 0;
    if (!countTokens) {
      JsonNode max = body.get("max_tokens");
      if (max == null || max.isNull()) {
        throw invalid("max_tokens", "max_tokens: Field required");
      }
      if (!max.isIntegralNumber() || !max.canConvertToInt() || max.intValue() < 1) {
        throw invalid("max_tokens", "max_tokens: Input should be an integer of at least 1");
      }
      maxTokens = max.intValue();
    }
    JsonNode messages = body.get("messages");
    if (messages == null || messages.isNull()) {
      throw invalid("messages", "messages: Field required");
    }
    if (!messages.isArray()) {
      throw invalid("messages", "messages: Input should be a valid list");
    }
    if (messages.isEmpty()) {
      throw invalid("messages", "messages: at least one message is required");
    }
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      if (!m.isObject()) {
        throw invalid("messages." + i, "messages." + i + ": Input should be an object");
      }
      JsonNode role = m.get("role");
      if (role == null || !role.isTextual()) {
        throw invalid("messages." + i + ".role", "messages." + i + ".role: Field required");
      }
      if (!m.has("content") || m.get("content").isNull()) {
        throw invalid("messages." + i + ".content", "messages." + i + ".content: Field required");
      }
    }
    boolean stream = false;
    JsonNode s = body.get("stream");
    if (s != null && !s.isNull()) {
      if (!s.isBoolean()) {
        throw invalid("stream", "stream: Input should be a valid boolean");
      }
      stream = !countTokens && s.booleanValue();
    }
    return new MessagesRequest(model.asText(), stream, maxTokens, (ObjectNode) body);
  }
}
