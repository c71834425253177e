package io.github.bedrockgateway.devsim;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.util.Set;

/**
 * The dev-mode simulator's port is held by another process. A {@link ConfigurationException}
 * without a cause, so Quarkus prints only this message; {@link EmbeddedSimulator} then ends dev
 * mode, since no code change can free the port.
 */
public final class SimulatorPortTaken extends ConfigurationException {

  private static final long serialVersionUID = 1L;

  SimulatorPortTaken(String host, int port) {
    super(
        "The dev-mode Bedrock simulator cannot listen on "
            + host
            + ":"
            + port
            + ", which another process holds. Free the port or move the simulator with"
            + " -Dgateway.simulator.port=N (GATEWAY_SIMULATOR_PORT); dev mode points the Bedrock"
            + " endpoints at it.",
        Set.of("gateway.simulator.port"));
  }
}
