package io.github.bedrockgateway.config;

import java.util.Locale;

/** The guardrail trace Bedrock returns ({@code gateway.guardrail.trace}). */
public enum GuardrailTrace {
  ENABLED,
  DISABLED,
  ENABLED_FULL;

  /** Bedrock's value: {@code enabled}, {@code disabled}, {@code enabled_full}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Converts {@code gateway.guardrail.trace}. */
  public static final class Setting extends EnumSetting<GuardrailTrace> {
    private static final long serialVersionUID = 1L;

    public Setting() {
      super(GuardrailTrace.class, "gateway.guardrail.trace");
    }

    @Override
    public GuardrailTrace convert(String text) {
      return read(text);
    }
  }
}
