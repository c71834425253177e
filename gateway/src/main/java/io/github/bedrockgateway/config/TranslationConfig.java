package io.github.bedrockgateway.config;

import io.github.bedrockgateway.converse.TranslationOptions;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the translation to Converse shared by the protocols: reasoning, structured output,
 * prompt caching and the guardrail. {@link TranslationSettings} turns them into the plain {@link
 * TranslationOptions} the pure translators take. The Javadoc of each method is the configuration
 * reference (docs/configuration.md).
 */
@ConfigMapping(prefix = "gateway")
public interface TranslationConfig {

  /** OpenAI {@code reasoning_effort} -> Claude extended thinking. */
  Reasoning reasoning();

  /** OpenAI {@code response_format} -> Converse structured output. */
  StructuredOutput structuredOutput();

  /** Prompt caching: Converse {@code cachePoint} blocks. */
  PromptCaching promptCaching();

  /** The Bedrock guardrail applied to requests. */
  Guardrail guardrail();

  interface Reasoning {
    /**
     * Models that get extended thinking from {@code reasoning_effort}: a model id (after alias
     * resolution) containing one of these fragments, ignoring case. For other models {@code
     * reasoning_effort} is ignored.
     */
    @WithDefault(TranslationOptions.DEFAULT_THINKING_MODELS)
    List<String> models();

    /**
     * Thinking budget ({@code budget_tokens}) of {@code reasoning_effort: minimal}; Claude's floor
     * is 1024.
     */
    @WithDefault(TranslationOptions.DEFAULT_MINIMAL_BUDGET)
    int minimalBudget();

    /** Thinking budget of {@code reasoning_effort: low}. */
    @WithDefault(TranslationOptions.DEFAULT_LOW_BUDGET)
    int lowBudget();

    /** Thinking budget of {@code reasoning_effort: medium}. */
    @WithDefault(TranslationOptions.DEFAULT_MEDIUM_BUDGET)
    int mediumBudget();

    /** Thinking budget of {@code reasoning_effort: high} (also {@code xhigh} and {@code max}). */
    @WithDefault(TranslationOptions.DEFAULT_HIGH_BUDGET)
    int highBudget();

    /**
     * Tokens left for the visible answer when thinking is on and the client sets no {@code
     * max_completion_tokens}: Bedrock's {@code maxTokens} becomes the budget plus this.
     */
    @WithDefault(TranslationOptions.DEFAULT_ANSWER_TOKENS)
    int answerTokens();
  }

  interface StructuredOutput {
    /**
     * Models that take Converse {@code outputConfig} (native structured output): a model id
     * containing one of these fragments, ignoring case. Other models get {@code json_schema}
     * through a forced tool call. These models also receive OpenAI's {@code strict: true} on tools.
     */
    @WithDefault(TranslationOptions.DEFAULT_STRUCTURED_OUTPUT_MODELS)
    List<String> models();
  }

  interface PromptCaching {
    /**
     * Place a cache point after the system prompt and after the tools of every request to a model
     * that caches (see {@code models}), in addition to the client's own {@code cache_control}
     * markers.
     */
    @WithDefault("false")
    boolean auto();

    /**
     * Models where {@code auto} applies: a model id containing one of these fragments, ignoring
     * case.
     */
    @WithDefault(TranslationOptions.DEFAULT_CACHING_MODELS)
    List<String> models();
  }

  interface Guardrail {
    /** Guardrail id or ARN applied to every request ({@code guardrailConfig}); none when unset. */
    Optional<String> id();

    /** Version of the guardrail: {@code DRAFT} or a version number. */
    @WithDefault("DRAFT")
    String version();

    /**
     * Guardrail trace: {@code enabled}, {@code disabled} or {@code enabled_full} ({@code
     * enabled-full} and any case are read the same). Any other value stops startup.
     */
    @WithDefault("disabled")
    @WithConverter(GuardrailTrace.Setting.class)
    GuardrailTrace trace();

    /**
     * How a guarded stream is checked: {@code sync} (each chunk is checked before it is sent) or
     * {@code async} (chunks flow while the guardrail checks in the background). Unset: Bedrock's
     * default, {@code sync}. Any other value stops startup.
     */
    Optional<@WithConverter(GuardrailStreamMode.Setting.class) GuardrailStreamMode>
        streamProcessingMode();

    /**
     * Whether a request's own {@code guardrailConfig} may replace the configured guardrail. Without
     * a configured guardrail a request may always name one.
     */
    @WithDefault("false")
    boolean allowRequestOverride();
  }
}
