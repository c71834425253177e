package io.github.bedrockgateway.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.SimulatorOptions;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM on the packaged gateway (run by failsafe after {@code package}): new requests are
 * refused, a stream that can finish within the grace period finishes, a stream that cannot ends
 * with an error event, and the process exits 0.
 */
class ShutdownIT {

  @Test
  void sigterm_drains_streams_within_the_grace_period_then_ends_the_rest_and_exits_zero()
      throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // the packaged gateway has no simulator of its own: one runs here, in the test's JVM
    BedrockSimulator simulator = new BedrockSimulator(SimulatorOptions.builder().port(0).build());
    simulator.start();
    Path log = Files.createTempFile("gateway-shutdown", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                "target/quarkus-app/quarkus-run.jar")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put("GATEWAY_BEDROCK_ENDPOINT", simulator.endpoint().toString());
    env.put("GATEWAY_API_KEYS", "shutdown-test-key");
    env.put("GATEWAY_REGION", "us-east-1");
    env.put("GATEWAY_CREDENTIALS_STRATEGY", "static");
    env.put("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
    env.put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    env.put("GATEWAY_MODELS_DISCOVERY_ENABLED", "false");
    env.put("GATEWAY_SHUTDOWN_GRACE_PERIOD", "3s");
    Process gateway = pb.start();
    try {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI chat = URI.create("http://127.0.0.1:" + port + "/v1/chat/completions");
      waitUntilReady(
          http, URI.create("http://127.0.0.1:" + port + "/q/health/ready"), gateway, log);

      CompletableFuture<HttpResponse<String>> held =
          http.sendAsync(
              post(chat, "@sim reply=a b c\\n@sim hold=forever"),
              HttpResponse.BodyHandlers.ofString());
      CompletableFuture<HttpResponse<String>> slow =
          http.sendAsync(
              post(chat, "@sim tokens=15\\n@sim chunk-delay=100"),
              HttpResponse.BodyHandlers.ofString());
      // both streams are under way: the held one has sent its first delta and waits at its hold
      simulator.awaitHeld("forever", Duration.ofSeconds(30));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> simulator.requests().size() == 2);
      gateway.toHandle().destroy(); // SIGTERM
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(log).contains("SIGTERM: refusing new requests"));
      HttpResponse<String> refused =
          http.send(post(chat, "hi"), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("shutting_down");

      assertThat(slow.get(20, TimeUnit.SECONDS).body()).endsWith("data: [DONE]\n\n");
      String heldBody = held.get(20, TimeUnit.SECONDS).body();
      assertThat(heldBody)
          .contains("\"content\":\"a \"")
          .contains("data: {\"error\":")
          .contains("shutting_down")
          .doesNotContain("[DONE]");
      assertThat(gateway.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(gateway.exitValue()).as("exit code; log:\n%s", Files.readString(log)).isZero();
    } finally {
      gateway.destroyForcibly();
      simulator.stop();
    }
  }

  private static HttpRequest post(URI chat, String text) {
    return HttpRequest.newBuilder(chat)
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer shutdown-test-key")
        .header("Content-Type", "application/json")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "{\"model\": \"m\", \"stream\": true, \"messages\": "
                    + "[{\"role\": \"user\", \"content\": \""
                    + text
                    + "\"}]}"))
        .build();
  }

  private static void waitUntilReady(HttpClient http, URI ready, Process gateway, Path log)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertThat(gateway.isAlive()).as("gateway running; log:\n%s", Files.readString(log)).isTrue();
      try {
        if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200); // polling a child process's port: no event to wait on
    }
    throw new AssertionError("gateway not ready in 60 s; log:\n" + Files.readString(log));
  }
}
