package io.github.bedrockgateway.credentials;

/**
 * A refresh asked for with {@link CredentialsManager#refreshNow()} failed; the message is redacted.
 */
public final class CredentialsRefreshException extends RuntimeException {

  public CredentialsRefreshException(String strategy, String cause) {
    super("Refreshing credentials (" + strategy + ") failed: " + cause, null, false, false);
  }
}
