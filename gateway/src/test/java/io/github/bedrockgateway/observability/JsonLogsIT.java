package io.github.bedrockgateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.json.Json;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged gateway's console (run by failsafe after {@code package}): with {@code
 * QUARKUS_LOG_CONSOLE_JSON=true} every line is one JSON object, the access line's fields included
 * as an object (not a JSON string inside one); without it, the readable text format.
 */
class JsonLogsIT {

  @Test
  void with_json_on_every_console_line_is_one_json_object_and_the_access_line_carries_its_fields()
      throws Exception {
    List<String> lines = run(Map.of("QUARKUS_LOG_CONSOLE_JSON", "true"));
    List<JsonNode> records = new ArrayList<>();
    for (String line : lines) {
      assertThat(line).as("every line is a JSON object").startsWith("{");
      records.add(Json.MAPPER.readTree(line));
    }
    assertThat(records)
        .anySatisfy(
            r -> assertThat(r.path("loggerName").asText()).startsWith("io.github.bedrockgateway"));
    JsonNode access =
        records.stream()
            .filter(r -> r.path("loggerName").asText().equals("gateway.access"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no access line in " + lines));
    JsonNode fields = access.path("mdc");
    assertThat(fields.path("request_id").asText()).hasSize(24);
    assertThat(fields.path("status").asText()).isEqualTo("200");
    assertThat(fields.path("key").asText()).isEqualTo("key-1");
    assertThat(fields.path("model").asText()).isEqualTo("anthropic.claude-3-5-haiku-20241022-v1:0");
    assertThat(fields.path("output_tokens").asInt()).isPositive();
    assertThat(access.path("level").asText()).isEqualTo("INFO");
    assertThat(access.path("message").asText()).startsWith("request_id=").doesNotContain("{");
  }

  @Test
  void by_default_the_console_is_readable_text() throws Exception {
    List<String> lines = run(Map.of());
    assertThat(lines).isNotEmpty().noneMatch(line -> line.startsWith("{"));
    assertThat(lines)
        .anyMatch(line -> line.contains(" INFO  [gateway.access] ") && line.contains("status=200"));
  }

  /**
   * Starts the jar against a simulator, makes one chat call, stops it (SIGTERM) and returns its
   * output.
   */
  private static List<String> run(Map<String, String> settings) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = Files.createTempFile("gateway-json-logs", ".log");
    try (BedrockSimulator simulator = new BedrockSimulator(SimulatorOptions.defaults())) {
      simulator.start();
      ProcessBuilder pb =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  "target/quarkus-app/quarkus-run.jar")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> env = pb.environment();
      env.keySet()
          .removeIf(
              k -> k.startsWith("GATEWAY_") || k.startsWith("AWS_") || k.startsWith("QUARKUS_"));
      env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
      env.put("GATEWAY_API_KEYS", "json-logs-key");
      env.put("GATEWAY_REGION", "us-east-1");
      env.put("GATEWAY_CREDENTIALS_STRATEGY", "static");
      env.put("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
      env.put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
      env.put("GATEWAY_BEDROCK_ENDPOINT", simulator.endpoint().toString());
      env.put("GATEWAY_MODELS_DISCOVERY_ENABLED", "false");
      env.putAll(settings);
      Process gateway = pb.start();
      try {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
          assertThat(gateway.isAlive())
              .as("gateway running; output:\n%s", Files.readString(log))
              .isTrue();
          try {
            if (http.send(
                        HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()
                == 200) {
              break;
            }
          } catch (java.io.IOException e) {
            // not listening yet
          }
          assertThat(System.nanoTime()).as("ready within 60 s").isLessThan(deadline);
          Thread.sleep(200);
        }
        HttpResponse<String> answer =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer json-logs-key")
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"model\": \"anthropic.claude-3-5-haiku-20241022-v1:0\", "
                                + "\"messages\": [{\"role\": \"user\", \"content\": \"@sim tokens=3\"}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        gateway.toHandle().destroy(); // SIGTERM: a clean stop flushes the console
        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return Files.readAllLines(log).stream().filter(line -> !line.isBlank()).toList();
      } finally {
        gateway.destroyForcibly();
        Files.deleteIfExists(log);
      }
    }
  }
}
