package io.github.bedrockgateway.config;

import io.github.bedrockgateway.converse.TranslationOptions;

/**
 * Builds the translation's plain options from the configuration, checking the values once at
 * startup. Shared by every protocol that translates to Converse.
 */
public final class TranslationSettings {

  private TranslationSettings() {}

  public static TranslationOptions from(TranslationConfig config) {
    TranslationConfig.Reasoning r = config.reasoning();
    // 1024 tokens: Claude's smallest thinking budget
    Bounds.atLeast("gateway.reasoning.minimal-budget", r.minimalBudget(), 1024);
    Bounds.atLeast("gateway.reasoning.low-budget", r.lowBudget(), 1024);
    Bounds.atLeast("gateway.reasoning.medium-budget", r.mediumBudget(), 1024);
    Bounds.atLeast("gateway.reasoning.high-budget", r.highBudget(), 1024);
    Bounds.atLeast("gateway.reasoning.answer-tokens", r.answerTokens(), 1);
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
