package io.github.bedrockgateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * What Anthropic's models on Bedrock refuse beyond the Converse rules, with the messages Bedrock
 * passes on: the extended-thinking constraints (budget, {@code maxTokens}, sampling settings,
 * forced tool use, and the signed reasoning that must open an assistant turn that called a tool),
 * and {@code additionalModelRequestFields.tool_choice} against {@code toolConfig.toolChoice}.
 */
final class ClaudeRules {

  static final int MIN_THINKING_BUDGET = 1024;
  private static final String DOCS =
      " Please consult our documentation at"
          + " https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking";

  private ClaudeRules() {}

  static boolean applies(String modelId) {
    String id = modelId.toLowerCase(Locale.ROOT);
    return id.contains("anthropic") || id.contains("claude");
  }

  /** Whether the request turns extended thinking on. */
  static boolean thinkingEnabled(JsonNode body, String modelId) {
    String type =
        body.path("additionalModelRequestFields").path("thinking").path("type").asText("");
    return applies(modelId) && (type.equals("enabled") || type.equals("adaptive"));
  }

  static BedrockError check(JsonNode body) {
    JsonNode fields = body.path("additionalModelRequestFields");
    JsonNode toolChoice = body.path("toolConfig").path("toolChoice");
    JsonNode extraChoice = fields.get("tool_choice");
    if (extraChoice != null) {
      if (extraChoice.has("type") && !toolChoice.isMissingNode()) {
        String kind = toolChoice.fieldNames().hasNext() ? toolChoice.fieldNames().next() : "auto";
        return BedrockError.validation(
            "The additional field tool_choice/type conflicts with the existing field"
                + " toolConfig.toolChoice."
                + kind
                + ". Remove tool_choice/type and try again.");
      }
      if (!extraChoice.has("type") && toolChoice.isMissingNode()) {
        return modelError("tool_choice.type: Field required");
      }
    }
    String type = fields.path("thinking").path("type").asText("");
    if (!type.equals("enabled") && !type.equals("adaptive")) {
      return null;
    }
    JsonNode inference = body.path("inferenceConfig");
    if (type.equals("enabled")) {
      JsonNode budget = fields.path("thinking").path("budget_tokens");
      if (!budget.canConvertToInt() || budget.intValue() < MIN_THINKING_BUDGET) {
        return modelError(
            "thinking.enabled.budget_tokens: Input should be greater than or equal to "
                + MIN_THINKING_BUDGET);
      }
      JsonNode maxTokens = inference.path("maxTokens");
      if (maxTokens.isNumber() && maxTokens.intValue() <= budget.intValue()) {
        return modelError("`max_tokens` must be greater than `thinking.budget_tokens`." + DOCS);
      }
    }
    if (inference.has("temperature") && inference.get("temperature").doubleValue() != 1.0) {
      return modelError(
          "`temperature` may only be set to 1 when thinking is enabled or in interleaved thinking"
              + " mode."
              + DOCS);
    }
    if (inference.has("topP") && inference.get("topP").doubleValue() < 0.95) {
      return modelError(
          "`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled."
              + DOCS);
    }
    if (fields.has("top_k")) {
      return modelError("`top_k` must be unset when thinking is enabled." + DOCS);
    }
    if (toolChoice.has("any") || toolChoice.has("tool")) {
      return modelError("Thinking may not be enabled when tool_choice forces tool use.");
    }
    return checkSignedReasoning(body.path("messages"));
  }

  /**
   * Every signature must be one the simulator issued for that text, and the last assistant turn,
   * when it called a tool, must start with a reasoning block.
   */
  private static BedrockError checkSignedReasoning(JsonNode messages) {
    int lastAssistant = -1;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      if (!"assistant".equals(message.path("role").asText())) {
        continue;
      }
      lastAssistant = i;
      JsonNode content = message.path("content");
      for (int j = 0; j < content.size(); j++) {
        JsonNode text = content.get(j).path("reasoningContent").path("reasoningText");
        if (!text.isMissingNode()
            && !ReplyScript.signatureOf(text.path("text").asText(""))
                .equals(text.path("signature").asText(""))) {
          return modelError(
              "messages." + i + ".content." + j + ": Invalid `signature` in `thinking` block");
        }
      }
    }
    if (lastAssistant < 0) {
      return null;
    }
    JsonNode content = messages.get(lastAssistant).path("content");
    boolean callsTool = false;
    for (JsonNode block : content) {
      callsTool |= block.has("toolUse");
    }
    if (callsTool && !content.path(0).has("reasoningContent")) {
      String found = content.path(0).has("toolUse") ? "tool_use" : "text";
      return modelError(
          "messages."
              + lastAssistant
              + ".content.0.type: Expected `thinking` or `redacted_thinking`,"
              + " but found `"
              + found
              + "`. When `thinking` is enabled, a final `assistant` message must start"
              + " with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We"
              + " recommend you include thinking blocks from previous turns. To avoid this requirement, disable"
              + " `thinking`."
              + DOCS);
    }
    return null;
  }

  private static BedrockError modelError(String message) {
    return BedrockError.validation("The model returned the following errors: " + message);
  }
}
