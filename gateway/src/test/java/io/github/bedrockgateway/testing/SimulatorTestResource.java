package io.github.bedrockgateway.testing;

import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.SimulatorOptions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * Starts the Bedrock simulator (the {@code simulator} module, a test dependency) before every test
 * application boots, on a free port, and points both Bedrock planes of the gateway at it. Global:
 * it applies to every {@code @QuarkusTest}. Tests reach it through the {@link EmbeddedSimulator}
 * bean.
 */
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
public class SimulatorTestResource implements QuarkusTestResourceLifecycleManager {

  /**
   * One event loop set for every simulator of the run: test applications come and go, this stays.
   */
  private static final Vertx VERTX = Vertx.vertx();

  private static volatile BedrockSimulator current;

  @Override
  public Map<String, String> start() {
    BedrockSimulator simulator =
        new BedrockSimulator(VERTX, SimulatorOptions.builder().port(0).build());
    simulator.start();
    current = simulator;
    String endpoint = simulator.endpoint().toString();
    // application.properties points %test.gateway.bedrock.(control-)endpoint here, so that a test
    // profile can still override them (UnreachableBedrockTest)
    return Map.of("test.simulator.endpoint", endpoint);
  }

  @Override
  public void stop() {
    BedrockSimulator simulator = current;
    if (simulator != null) {
      simulator.stop();
    }
  }

  static BedrockSimulator current() {
    BedrockSimulator simulator = current;
    if (simulator == null) {
      throw new IllegalStateException("The test simulator has not been started");
    }
    return simulator;
  }
}
