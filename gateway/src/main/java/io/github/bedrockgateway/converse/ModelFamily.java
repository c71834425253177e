package io.github.bedrockgateway.converse;

import java.util.Locale;

/**
 * Which provider a Bedrock model id belongs to, read from the id itself (base model ids, system
 * inference profiles such as {@code us.anthropic...}). An application inference profile ARN does
 * not name its model, so it matches no family: provider-specific mappings then do not apply, and
 * the client can send the provider's fields itself through {@code additionalModelRequestFields}.
 */
public final class ModelFamily {

  private ModelFamily() {}

  /** Anthropic Claude: {@code anthropic.claude-...}, {@code us.anthropic.claude-...}, ... */
  public static boolean isAnthropic(String modelId) {
    String id = modelId.toLowerCase(Locale.ROOT);
    return id.contains("anthropic.") || id.contains("claude");
  }

  /** Amazon Nova: {@code amazon.nova-...}, {@code us.amazon.nova-...}. */
  public static boolean isNova(String modelId) {
    return modelId.toLowerCase(Locale.ROOT).contains("amazon.nova");
  }
}
