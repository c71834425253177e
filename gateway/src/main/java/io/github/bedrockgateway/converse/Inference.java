package io.github.bedrockgateway.converse;

import java.util.List;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;

/**
 * Converse {@code inferenceConfig} from the client's sampling settings, with the rules thinking
 * imposes.
 */
public final class Inference {

  private Inference() {}

  /**
   * The inference configuration, or null when there is nothing to set.
   *
   * @param maxTokens the client's output token limit, or null
   * @param temperature 0..2, or null
   * @param topP 0..1, or null
   * @param stop stop sequences (empty for none)
   */
  public static InferenceConfiguration config(
      Integer maxTokens,
      Double temperature,
      Double topP,
      List<String> stop,
      Thinking thinking,
      TranslationOptions.Reasoning reasoning) {
    InferenceConfiguration.Builder b = InferenceConfiguration.builder();
    boolean any = false;
    Integer budget = thinking.enabled() ? thinking.budget() : null;
    if (budget != null) {
      // Claude needs budget_tokens < maxTokens. From an effort the budget comes on top of the
      // client's limit, so the visible answer keeps the room the client asked for; a client that
      // set thinking itself is only corrected when its limit leaves no room at all.
      int answer = maxTokens != null ? maxTokens : reasoning.answerTokens();
      if (thinking.fromEffort() || maxTokens == null || maxTokens <= budget) {
        maxTokens = budget + answer;
      }
    }
    if (maxTokens != null) {
      b.maxTokens(maxTokens);
      any = true;
    }
    // Claude with thinking accepts temperature 1 (or none) and top_p from 0.95 (or none); clients
    // send their defaults on every request, so other values are dropped rather than refused.
    if (temperature != null && (!thinking.enabled() || temperature == 1.0)) {
      b.temperature(temperature.floatValue());
      any = true;
    }
    if (topP != null && (!thinking.enabled() || topP >= 0.95)) {
      b.topP(topP.floatValue());
      any = true;
    }
    if (!stop.isEmpty()) {
      b.stopSequences(stop);
      any = true;
    }
    return any ? b.build() : null;
  }
}
