package io.github.bedrockgateway.devsim;

import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.SimulatorOptions;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.dev.appstate.ApplicationStateNotification;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.BindException;
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
  private static final String HOST = "127.0.0.1";

  private final Vertx vertx;
  private final int port;
  private final boolean verifySignatures;
  private final Runnable onPortTaken;
  private BedrockSimulator simulator;

  @Inject
  EmbeddedSimulator(Vertx vertx, SimulatorConfig config) {
    this(vertx, config, EmbeddedSimulator::exitWhenStartFails);
  }

  /**
   * @param onPortTaken run when the port is taken, before the start fails (dev mode: end the JVM
   *     once Quarkus has reported the failure)
   */
  EmbeddedSimulator(Vertx vertx, SimulatorConfig config, Runnable onPortTaken) {
    this.onPortTaken = onPortTaken;
    this.vertx = vertx;
    this.port = config.port();
    this.verifySignatures = config.verifySignatures();
  }

  @PostConstruct
  void start() {
    simulator =
        new BedrockSimulator(
            vertx,
            SimulatorOptions.builder()
                .host(HOST)
                .port(port)
                .verifySignatures(verifySignatures)
                .build());
    try {
      simulator.start();
    } catch (IllegalStateException e) {
      if (bindFailure(e) == null) {
        throw e;
      }
      onPortTaken.run();
      throw new SimulatorPortTaken(HOST, port);
    }
    LOG.infof(
        "Dev-mode Bedrock simulator listening on %s (signature checks %s); not for production",
        simulator.endpoint(), verifySignatures ? "on" : "off");
  }

  /**
   * Dev mode answers a failed first start by waiting for a code change, which cannot free a port:
   * once Quarkus has printed the failure and marked the start failed, the dev JVM exits with status
   * 1.
   */
  private static void exitWhenStartFails() {
    Thread exit =
        new Thread(
            () -> {
              ApplicationStateNotification.waitForApplicationStop();
              System.exit(1);
            },
            "dev-simulator-port-taken");
    exit.setDaemon(true);
    exit.start();
  }

  private static BindException bindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException b) {
        return b;
      }
    }
    return null;
  }

  @PreDestroy
  void stop() {
    if (simulator != null) {
      simulator.stop();
    }
  }
}
