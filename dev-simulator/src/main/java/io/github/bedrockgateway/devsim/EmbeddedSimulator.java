package io.github.bedrockgateway.devsim;

import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.SimulatorOptions;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The Bedrock simulator inside {@code ./mvnw quarkus:dev}. This class exists only on the dev-mode
 * class path (the gateway depends on this module with scope {@code provided}), and only in the dev
 * build profile: a packaged gateway has neither the class nor a setting that could start it. Dev
 * mode's {@code application.properties} points {@code gateway.bedrock.endpoint} at this port.
 */
@Singleton
@Startup(1)
@IfBuildProfile("dev")
public class EmbeddedSimulator {

  private static final Logger LOG = Logger.getLogger(EmbeddedSimulator.class);

  private final Vertx vertx;
  private final int port;
  private final boolean verifySignatures;
  private BedrockSimulator simulator;

  EmbeddedSimulator(Vertx vertx, SimulatorConfig config) {
    this.vertx = vertx;
    this.port = config.port();
    this.verifySignatures = config.verifySignatures();
  }

  @PostConstruct
  void start() {
    simulator =
        new BedrockSimulator(
            vertx,
            SimulatorOptions.builder().port(port).verifySignatures(verifySignatures).build());
    try {
      simulator.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "The dev-mode Bedrock simulator cannot listen on 127.0.0.1:"
              + port
              + " ("
              + e.getMessage()
              + "). Free the port or move the simulator with -Dgateway.simulator.port=N"
              + " (GATEWAY_SIMULATOR_PORT).",
          e);
    }
    LOG.infof(
        "Dev-mode Bedrock simulator listening on %s (signature checks %s); not for production",
        simulator.endpoint(), verifySignatures ? "on" : "off");
  }

  @PreDestroy
  void stop() {
    if (simulator != null) {
      simulator.stop();
    }
  }
}
