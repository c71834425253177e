package io.github.bedrockgateway.testing;

import io.github.bedrockgateway.simulator.BedrockSimulator;
import jakarta.inject.Singleton;

/**
 * The simulator that serves the running test application (started by {@link
 * SimulatorTestResource}), as a bean tests inject to script it and read what it received.
 */
@Singleton
public class EmbeddedSimulator {

  /** The running simulator. */
  public BedrockSimulator simulator() {
    return SimulatorTestResource.current();
  }
}
