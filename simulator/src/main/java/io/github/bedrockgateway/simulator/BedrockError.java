package io.github.bedrockgateway.simulator;

import java.util.Objects;

/** One error answer: its type (which fixes the HTTP status) and the message sent in the body. */
public record BedrockError(BedrockErrorType type, String message) {

  public BedrockError {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(message, "message");
  }

  /** The error with the type's usual message. */
  public static BedrockError of(BedrockErrorType type) {
    return new BedrockError(type, type.defaultMessage());
  }

  /** Shorthand for a 400 {@code ValidationException}. */
  static BedrockError validation(String message) {
    return new BedrockError(BedrockErrorType.VALIDATION_EXCEPTION, message);
  }
}
