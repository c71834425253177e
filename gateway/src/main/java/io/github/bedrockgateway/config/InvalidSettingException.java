package io.github.bedrockgateway.config;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.util.Locale;
import java.util.Set;

/**
 * A setting whose value cannot work, told in one sentence that names the setting (property and
 * environment variable), the value and what to write instead.
 *
 * <p>Thrown by a converter while SmallRye maps the configuration, it becomes one entry of the
 * mapping's problem list, which Quarkus prints at startup without a stack trace ({@code
 * Configuration validation failed:} and one line per problem) before exiting with status 1. That
 * list holds each problem's {@code toString()}, hence the override: the sentence alone, without the
 * class name. It is not an {@link IllegalArgumentException} on purpose: SmallRye would wrap one
 * into its own longer message. Thrown elsewhere at startup it is a Quarkus {@link
 * ConfigurationException}, printed the same way.
 */
public final class InvalidSettingException extends ConfigurationException {

  private static final long serialVersionUID = 1L;

  /**
   * {@code PROPERTY (ENV) is 'VALUE': FIX.}
   *
   * @param property the property, e.g. {@code gateway.observability.access-log-format}
   * @param value the value as written (never pass a secret)
   * @param fix what to write instead, e.g. {@code set it to text or json}
   */
  public InvalidSettingException(String property, String value, String fix) {
    super(property + " (" + env(property) + ") is '" + value + "': " + fix + ".", Set.of(property));
  }

  /**
   * A sentence of its own, for problems with more to say than {@link
   * #InvalidSettingException(String, String, String)} (it must name the setting, and never hold a
   * secret).
   */
  public InvalidSettingException(String sentence, Set<String> properties) {
    super(sentence, properties);
  }

  /** The environment variable of a property: {@code gateway.a-b.c} -> {@code GATEWAY_A_B_C}. */
  public static String env(String property) {
    return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /** The sentence alone: it is what SmallRye's problem list and Quarkus print. */
  @Override
  public String toString() {
    return getMessage();
  }
}
