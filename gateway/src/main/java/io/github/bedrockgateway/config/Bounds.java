package io.github.bedrockgateway.config;

import java.time.Duration;

/**
 * The range checks of numeric and duration settings, made once at startup by the code a setting
 * configures. A value out of range is an {@link InvalidSettingException}: one line naming the
 * setting, the value and the bound, printed without a stack trace before the gateway exits with
 * status 1. Never used on a secret (the value is shown).
 *
 * <p>Hand-written on purpose: Hibernate Validator would check the mappings declaratively, but it
 * added about 1.1 s (+47 %) to the JVM start-up measured here, which Lambda-style deployments pay
 * on every cold start (docs/configuration.md#checked-at-start-up).
 */
public final class Bounds {

  private Bounds() {}

  /** {@code value} unless it is below {@code min}. */
  public static long atLeast(String property, long value, long min) {
    if (value < min) {
      throw new InvalidSettingException(
          property, Long.toString(value), "set it to " + min + " or more");
    }
    return value;
  }

  /** {@code value} unless it is zero or negative. */
  public static Duration positive(String property, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new InvalidSettingException(
          property, value.toString(), "set it to a duration above zero, e.g. 10s");
    }
    return value;
  }

  /** {@code value} unless it is negative. */
  public static Duration notNegative(String property, Duration value) {
    if (value.isNegative()) {
      throw new InvalidSettingException(
          property, value.toString(), "set it to zero or a positive duration, e.g. 10s");
    }
    return value;
  }
}
