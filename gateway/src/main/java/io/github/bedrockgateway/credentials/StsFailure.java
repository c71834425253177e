package io.github.bedrockgateway.credentials;

import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * An error answer of STS found in an exception chain: its code ({@code AccessDenied}...) and
 * message.
 */
record StsFailure(String code, String message, int status) {

  static Optional<StsFailure> in(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StsException e) {
        return Optional.of(of(e));
      }
    }
    return Optional.empty();
  }

  private static StsFailure of(AwsServiceException e) {
    String code =
        e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
            ? e.awsErrorDetails().errorCode()
            : e.getClass().getSimpleName();
    String message =
        e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
            ? e.awsErrorDetails().errorMessage()
            : String.valueOf(e.getMessage());
    return new StsFailure(code, Redact.text(Redact.oneLine(message)), e.statusCode());
  }

  @Override
  public String toString() {
    return code + ": " + message;
  }
}
