package io.github.bedrockgateway.converse;

import static io.github.bedrockgateway.error.GatewayException.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.json.Json;

/**
 * Whether a request runs with Claude extended thinking, and with what budget.
 *
 * <p>A reasoning effort (chat's {@code reasoning_effort}, the Responses API's {@code
 * reasoning.effort}) turns it on for models matching {@code gateway.reasoning.models} ({@code none}
 * leaves it off), with the budget configured for the effort. On other models it is ignored: clients
 * such as Open WebUI and LibreChat attach it to every request of a conversation whatever the model,
 * and refusing them would break a mixed fleet; the missing reasoning shows it had no effect. A
 * {@code thinking} object the client passes in {@code additionalModelRequestFields} wins over the
 * effort and is taken as it is.
 *
 * @param enabled thinking is on ({@code type} {@code enabled} or {@code adaptive})
 * @param budget {@code budget_tokens}, or null (adaptive thinking, or off)
 * @param fromEffort the gateway set it from the effort (rather than the client's raw field)
 */
public record Thinking(boolean enabled, Integer budget, boolean fromEffort) {

  public static final Thinking OFF = new Thinking(false, null, false);

  /**
   * @param effort the requested effort, or null
   * @param effortParam the parameter that carried it, named by errors
   * @param clientFields the client's {@code additionalModelRequestFields}, or null
   */
  public static Thinking of(
      String effort,
      String effortParam,
      String modelId,
      TranslationOptions.Reasoning options,
      JsonNode clientFields) {
    Integer effortBudget = effortBudget(effort, effortParam, modelId, options);
    JsonNode raw = clientFields == null ? null : clientFields.get("thinking");
    if (raw != null && raw.isObject()) {
      String type = raw.path("type").asText("");
      boolean on = type.equals("enabled") || type.equals("adaptive");
      JsonNode budget = raw.get("budget_tokens");
      return new Thinking(
          on, on && budget != null && budget.canConvertToInt() ? budget.intValue() : null, false);
    }
    return effortBudget == null ? OFF : new Thinking(true, effortBudget, true);
  }

  /** The {@code additionalModelRequestFields.thinking} object the gateway sends. */
  public ObjectNode field() {
    ObjectNode thinking = Json.MAPPER.createObjectNode().put("type", "enabled");
    thinking.put("budget_tokens", budget);
    return thinking;
  }

  private static Integer effortBudget(
      String effort, String param, String modelId, TranslationOptions.Reasoning options) {
    if (effort == null) {
      return null;
    }
    Integer budget =
        switch (effort) {
          case "none" -> null;
          case "minimal" -> options.minimalBudget();
          case "low" -> options.lowBudget();
          case "medium" -> options.mediumBudget();
          case "high", "xhigh", "max" -> options.highBudget();
          default ->
              throw invalid(
                  param,
                  "Invalid value: '"
                      + effort
                      + "'. Supported values are: 'none', 'minimal', 'low', 'medium' and 'high' ('xhigh' and 'max' count"
                      + " as 'high').");
        };
    return budget != null && TranslationOptions.matches(modelId, options.models()) ? budget : null;
  }
}
