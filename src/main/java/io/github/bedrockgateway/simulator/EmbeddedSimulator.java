package io.github.bedrockgateway.simulator;

import java.net.URI;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.github.bedrockgateway.config.GatewayConfig;
import io.vertx.core.Vertx;

/**
 * The Bedrock simulator running inside the gateway process, when {@code gateway.simulator.enabled}
 * (the default of dev mode and tests). The Bedrock client producer sends calls to it; tests inject
 * this bean to read what the simulator received.
 */
@Singleton
public class EmbeddedSimulator {

    private static final Logger LOG = Logger.getLogger(EmbeddedSimulator.class);

    private final GatewayConfig config;
    private final Vertx vertx;
    private BedrockSimulator simulator;

    EmbeddedSimulator(GatewayConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    @PostConstruct
    void start() {
        GatewayConfig.Simulator s = config.simulator();
        if (!s.enabled()) {
            return;
        }
        simulator = new BedrockSimulator(vertx, SimulatorOptions.builder()
                .port(s.port())
                .verifySignatures(s.verifySignatures())
                .build());
        simulator.start();
        LOG.infof("Embedded Bedrock simulator listening on %s (signature checks %s); not for production",
                simulator.endpoint(), s.verifySignatures() ? "on" : "off");
    }

    @PreDestroy
    void stop() {
        if (simulator != null) {
            simulator.stop();
        }
    }

    /** The simulator's endpoint when it runs. */
    public Optional<URI> endpoint() {
        return simulator == null ? Optional.empty() : Optional.of(simulator.endpoint());
    }

    /** The running simulator; fails when it is not enabled. */
    public BedrockSimulator simulator() {
        if (simulator == null) {
            throw new IllegalStateException("The embedded Bedrock simulator is not enabled (gateway.simulator.enabled)");
        }
        return simulator;
    }
}
