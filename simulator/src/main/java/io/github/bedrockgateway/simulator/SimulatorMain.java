package io.github.bedrockgateway.simulator;

import java.time.Duration;
import java.util.Map;

/**
 * Runs the {@link BedrockSimulator} on its own until the process is killed.
 *
 * <pre>
 * ./mvnw -pl simulator -am package -DskipTests
 * java -jar simulator/target/bedrock-simulator.jar --port=8089
 * </pre>
 *
 * <p>Arguments win over environment variables:
 *
 * <ul>
 *   <li>{@code --port=N} / {@code SIMULATOR_PORT} (default 8089; 0 picks a free port)
 *   <li>{@code --host=ADDR} / {@code SIMULATOR_HOST} (default 127.0.0.1)
 *   <li>{@code --no-verify-signatures} / {@code SIMULATOR_VERIFY_SIGNATURES=false}
 *   <li>{@code --chunk-delay-ms=N} / {@code SIMULATOR_CHUNK_DELAY_MS} (default 0)
 *   <li>{@code --max-recorded=N} / {@code SIMULATOR_MAX_RECORDED} (default 10000): received
 *       requests kept for inspection; 0 for load tests, where thousands of retained requests make
 *       the simulator's own garbage collections long enough to show in every latency tail
 *   <li>{@code SIMULATOR_CREDENTIALS=AKID:SECRET,AKID2:SECRET2}: keys accepted besides the dev pair
 *   <li>{@code --api-keys=KEY1,KEY2} / {@code SIMULATOR_API_KEYS}: Bedrock API keys accepted as
 *       {@code Authorization: Bearer KEY} (short-term keys signed by an accepted access key need no
 *       listing)
 * </ul>
 */
public final class SimulatorMain {

  static final int DEFAULT_PORT = 8089;

  private SimulatorMain() {}

  public static void main(String[] args) {
    SimulatorOptions options;
    try {
      options = options(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("Bedrock simulator: " + e.getMessage());
      System.exit(2);
      return;
    }
    BedrockSimulator simulator = new BedrockSimulator(options);
    int port = simulator.start();
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::stop, "bedrock-simulator-stop"));
    System.out.println("Bedrock simulator listening on http://" + options.host() + ":" + port);
  }

  static SimulatorOptions options(String[] args, Map<String, String> env) {
    String port = env.getOrDefault("SIMULATOR_PORT", String.valueOf(DEFAULT_PORT));
    String host = env.getOrDefault("SIMULATOR_HOST", "127.0.0.1");
    boolean verify =
        !"false".equalsIgnoreCase(env.getOrDefault("SIMULATOR_VERIFY_SIGNATURES", "true"));
    String chunkDelay = env.getOrDefault("SIMULATOR_CHUNK_DELAY_MS", "0");
    String maxRecorded = env.getOrDefault("SIMULATOR_MAX_RECORDED", "10000");
    String apiKeys = env.getOrDefault("SIMULATOR_API_KEYS", "");
    for (String arg : args) {
      if (arg.startsWith("--port=")) {
        port = arg.substring("--port=".length());
      } else if (arg.startsWith("--host=")) {
        host = arg.substring("--host=".length());
      } else if (arg.equals("--no-verify-signatures")) {
        verify = false;
      } else if (arg.startsWith("--chunk-delay-ms=")) {
        chunkDelay = arg.substring("--chunk-delay-ms=".length());
      } else if (arg.startsWith("--max-recorded=")) {
        maxRecorded = arg.substring("--max-recorded=".length());
      } else if (arg.startsWith("--api-keys=")) {
        apiKeys = arg.substring("--api-keys=".length());
      } else {
        throw new IllegalArgumentException(
            "unknown argument '"
                + arg
                + "'; known: --port=N, --host=ADDR,"
                + " --no-verify-signatures, --chunk-delay-ms=N, --max-recorded=N, --api-keys=KEY1,KEY2");
      }
    }
    SimulatorCredentials credentials = new SimulatorCredentials();
    String extra = env.getOrDefault("SIMULATOR_CREDENTIALS", "");
    for (String pair : extra.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int colon = pair.indexOf(':');
      if (colon <= 0 || colon == pair.length() - 1) {
        throw new IllegalArgumentException("SIMULATOR_CREDENTIALS entries must be AKID:SECRET");
      }
      credentials.register(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
    }
    for (String key : apiKeys.split(",")) {
      if (!key.isBlank()) {
        credentials.registerApiKey(key.trim());
      }
    }
    return SimulatorOptions.builder()
        .port(integer("port", port))
        .host(host)
        .verifySignatures(verify)
        .defaultChunkDelay(Duration.ofMillis(integer("chunk delay", chunkDelay)))
        .credentials(credentials)
        .maxRecordedRequests(integer("max recorded", maxRecorded))
        .build();
  }

  private static int integer(String what, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a whole number, got '" + value + "'");
    }
  }
}
