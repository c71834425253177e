package io.github.bedrockgateway.config;

import java.util.Locale;

/** How Bedrock checks a guarded stream ({@code gateway.guardrail.stream-processing-mode}). */
public enum GuardrailStreamMode {
  /** Each chunk is checked before it is sent. */
  SYNC,
  /** Chunks flow while the guardrail checks in the background. */
  ASYNC;

  /** Bedrock's value: {@code sync}, {@code async}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Converts {@code gateway.guardrail.stream-processing-mode}. */
  public static final class Setting extends EnumSetting<GuardrailStreamMode> {
    private static final long serialVersionUID = 1L;

    public Setting() {
      super(GuardrailStreamMode.class, "gateway.guardrail.stream-processing-mode");
    }

    @Override
    public GuardrailStreamMode convert(String text) {
      return read(text);
    }
  }
}
