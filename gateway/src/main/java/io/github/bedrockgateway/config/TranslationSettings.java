package io.github.bedrockgateway.config;

import io.github.bedrockgateway.converse.TranslationOptions;

/**
 * Builds the translation's plain options from the configuration (checked by its converters and
 * constraints before any bean starts). Shared by every protocol that translates to Converse.
 */
public final class TranslationSettings {

  private TranslationSettings() {}

  public static TranslationOptions from(TranslationConfig config) {
    TranslationConfig.Reasoning r = config.reasoning();
    TranslationConfig.Guardrail g = config.guardrail();
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
            g.trace().wire(),
            g.streamProcessingMode().map(GuardrailStreamMode::wire).orElse(null),
            g.allowRequestOverride()));
  }
}
