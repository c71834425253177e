package io.github.bedrockgateway.devsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.core.Vertx;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 14 item 11: dev mode with the simulator's port taken names the setting and stops. */
class EmbeddedSimulatorTest {

  private Vertx vertx;

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void a_taken_port_fails_with_one_message_naming_the_setting_and_asks_dev_mode_to_stop()
      throws Exception {
    AtomicInteger stops = new AtomicInteger();
    try (ServerSocket taken = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      EmbeddedSimulator simulator =
          new EmbeddedSimulator(vertx, config(taken.getLocalPort()), stops::incrementAndGet);

      assertThatThrownBy(simulator::start)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
          .hasMessageContaining("-Dgateway.simulator.port=N (GATEWAY_SIMULATOR_PORT)")
          // no cause: Quarkus then prints the message alone, without a stack trace
          .hasNoCause();
      assertThat(stops).as("dev mode is asked to stop").hasValue(1);
      simulator.stop();
    }
  }

  @Test
  void a_free_port_serves_and_never_asks_to_stop() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      port = probe.getLocalPort();
    }
    AtomicInteger stops = new AtomicInteger();
    EmbeddedSimulator simulator =
        new EmbeddedSimulator(vertx, config(port), stops::incrementAndGet);
    simulator.start();
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + "/foundation-models")
                  .toURL()
                  .openConnection();
      assertThat(c.getResponseCode()).isBetween(200, 499);
      assertThat(stops).hasValue(0);
    } finally {
      simulator.stop();
    }
  }

  private static SimulatorConfig config(int port) {
    return new SimulatorConfig() {
      @Override
      public int port() {
        return port;
      }

      @Override
      public boolean verifySignatures() {
        return false;
      }
    };
  }
}
