package io.github.bedrockgateway.converse;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The operator's settings the translation depends on, as plain values (the translation stays free
 * of framework types; {@code config/TranslationSettings} builds this from {@code
 * TranslationConfig}). The {@code DEFAULT_*} constants are also the {@code @WithDefault} values of
 * the configuration, so the defaults live in one place.
 *
 * @param reasoning {@code reasoning_effort} -> Claude extended thinking
 * @param structuredOutput which models get native Converse structured output
 * @param promptCaching automatic cache points
 * @param guardrail the default guardrail and whether a request may replace it
 */
public record TranslationOptions(
    Reasoning reasoning,
    StructuredOutput structuredOutput,
    PromptCaching promptCaching,
    Guardrail guardrail) {

  public static final String DEFAULT_THINKING_MODELS =
      "anthropic.claude-3-7,claude-sonnet-4,claude-opus-4,claude-haiku-4";
  public static final String DEFAULT_MINIMAL_BUDGET = "1024";
  public static final String DEFAULT_LOW_BUDGET = "2048";
  public static final String DEFAULT_MEDIUM_BUDGET = "8192";
  public static final String DEFAULT_HIGH_BUDGET = "16384";
  public static final String DEFAULT_ANSWER_TOKENS = "4096";
  public static final String DEFAULT_STRUCTURED_OUTPUT_MODELS =
      "claude-sonnet-4-5,claude-haiku-4-5,claude-opus-4-5,claude-opus-4-6,claude-sonnet-4-6";
  public static final String DEFAULT_CACHING_MODELS = "anthropic.claude,amazon.nova";

  public TranslationOptions {
    Objects.requireNonNull(reasoning, "reasoning");
    Objects.requireNonNull(structuredOutput, "structuredOutput");
    Objects.requireNonNull(promptCaching, "promptCaching");
    Objects.requireNonNull(guardrail, "guardrail");
  }

  /**
   * @param models model-id fragments (case-insensitive) of models with extended thinking
   * @param minimalBudget thinking budget of {@code reasoning_effort: minimal} (Claude's floor is
   *     1024)
   * @param lowBudget ... of {@code low}
   * @param mediumBudget ... of {@code medium}
   * @param highBudget ... of {@code high} (and {@code xhigh}, {@code max})
   * @param answerTokens room left for the visible answer when the client sets no token limit
   */
  public record Reasoning(
      List<String> models,
      int minimalBudget,
      int lowBudget,
      int mediumBudget,
      int highBudget,
      int answerTokens) {
    public Reasoning {
      models = List.copyOf(models);
    }
  }

  /**
   * @param models model-id fragments of models that take Converse {@code outputConfig}
   */
  public record StructuredOutput(List<String> models) {
    public StructuredOutput {
      models = List.copyOf(models);
    }
  }

  /**
   * @param auto place cache points after the system prompt and after the tools by itself
   * @param models model-id fragments of models that support prompt caching (where {@code auto}
   *     applies)
   */
  public record PromptCaching(boolean auto, List<String> models) {
    public PromptCaching {
      models = List.copyOf(models);
    }
  }

  /**
   * @param identifier the default guardrail id or ARN, or null for none
   * @param version its version ({@code DRAFT} or a number)
   * @param trace {@code enabled}, {@code disabled} or {@code enabled_full}
   * @param streamProcessingMode {@code sync}, {@code async}, or null for Bedrock's default
   * @param allowRequestOverride whether a request's {@code guardrailConfig} may replace the default
   */
  public record Guardrail(
      String identifier,
      String version,
      String trace,
      String streamProcessingMode,
      boolean allowRequestOverride) {
    public static final Guardrail NONE = new Guardrail(null, null, null, null, true);
  }

  /** The defaults of the configuration: no guardrail, no automatic caching. */
  public static TranslationOptions defaults() {
    return new TranslationOptions(
        new Reasoning(
            split(DEFAULT_THINKING_MODELS),
            Integer.parseInt(DEFAULT_MINIMAL_BUDGET),
            Integer.parseInt(DEFAULT_LOW_BUDGET),
            Integer.parseInt(DEFAULT_MEDIUM_BUDGET),
            Integer.parseInt(DEFAULT_HIGH_BUDGET),
            Integer.parseInt(DEFAULT_ANSWER_TOKENS)),
        new StructuredOutput(split(DEFAULT_STRUCTURED_OUTPUT_MODELS)),
        new PromptCaching(false, split(DEFAULT_CACHING_MODELS)),
        Guardrail.NONE);
  }

  /** Whether {@code modelId} contains one of the fragments, ignoring case. */
  public static boolean matches(String modelId, List<String> fragments) {
    String id = modelId.toLowerCase(Locale.ROOT);
    for (String fragment : fragments) {
      if (!fragment.isBlank() && id.contains(fragment.trim().toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> split(String csv) {
    return List.of(csv.split(","));
  }
}
