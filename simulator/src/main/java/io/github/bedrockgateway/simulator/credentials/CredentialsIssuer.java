package io.github.bedrockgateway.simulator.credentials;

import java.util.List;
import java.util.function.Consumer;

/** A fake credentials source (STS, IMDS, the container endpoint) that tells what it issued. */
public interface CredentialsIssuer {

  /** Every credential set issued, oldest first. */
  List<IssuedCredentials> issued();

  /**
   * Called with every credential set issued from now on (on an event-loop thread: do not block).
   */
  CredentialsIssuer onIssued(Consumer<IssuedCredentials> listener);

  /** Stops listening. */
  void stop();
}
