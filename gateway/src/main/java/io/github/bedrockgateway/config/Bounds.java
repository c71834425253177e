package io.github.bedrockgateway.config;

/**
 * Messages of the bean-validation constraints on the configuration mappings ({@code @Min},
 * {@code @DurationMin}...). SmallRye puts the property's name in front of each, so a violation
 * reads {@code gateway.images.max-bytes is 0: set it to 1 or more}, and Quarkus prints it as one
 * line at startup, without a stack trace, before exiting with status 1. Constraints go only on
 * settings whose value may be shown: never on a secret.
 */
public final class Bounds {

  /** For {@code @Min}. */
  public static final String AT_LEAST = "is ${validatedValue}: set it to {value} or more";

  /** For {@code @DurationMin(millis = 1)}. */
  public static final String POSITIVE_DURATION =
      "is ${validatedValue}: set it to a duration above zero, e.g. 10s";

  /** For {@code @DurationMin(millis = 0)}. */
  public static final String NOT_NEGATIVE_DURATION =
      "is ${validatedValue}: set it to zero or a positive duration, e.g. 10s";

  private Bounds() {}
}
