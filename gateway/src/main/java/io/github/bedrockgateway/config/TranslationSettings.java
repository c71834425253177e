package io.github.bedrockgateway.config;

import io.github.bedrockgateway.converse.TranslationOptions;
import java.util.Locale;
import java.util.Set;

/**
 * Builds the translation's plain options from the configuration, checking the values once at
 * startup. Shared by every protocol that translates to Converse.
 */
public final class TranslationSettings {

  private TranslationSettings() {}

  public static TranslationOptions from(TranslationConfig config) {
    TranslationConfig.Reasoning r = config.reasoning();
    for (int budget :
        new int[] {r.minimalBudget(), r.lowBudget(), r.mediumBudget(), r.highBudget()}) {
      if (budget < 1024) {
        throw new IllegalStateException(
            "gateway.reasoning.*-budget must be at least 1024 (Claude's minimum"
                + " thinking budget), got "
                + budget);
      }
    }
    TranslationConfig.Guardrail g = config.guardrail();
    String trace = g.trace().toLowerCase(Locale.ROOT);
    if (!Set.of("enabled", "disabled", "enabled_full").contains(trace)) {
      throw new IllegalStateException(
          "gateway.guardrail.trace must be enabled, disabled or enabled_full, got " + g.trace());
    }
    String mode = g.streamProcessingMode().map(m -> m.toLowerCase(Locale.ROOT)).orElse(null);
    if (mode != null && !mode.equals("sync") && !mode.equals("async")) {
      throw new IllegalStateException(
          "gateway.guardrail.stream-processing-mode must be sync or async, got " + mode);
    }
    return new TranslationOptions(
        new TranslationOptions.Reasoning(
            r.models(),
            r.minimalBudget(),
            r.lowBudget(),
            r.mediumBudget(),
            r.highBudget(),
            r.answerTokens()),
        new TranslationOptions.StructuredOutput(config.structuredOutput().models()),
        new TranslationOptions.PromptCaching(
            config.promptCaching().auto(), config.promptCaching().models()),
        new TranslationOptions.Guardrail(
            g.id().filter(id -> !id.isBlank()).orElse(null),
            g.version(),
            trace,
            mode,
            g.allowRequestOverride()));
  }
}
