package io.github.bedrockgateway.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link BedrockSimulator} listens and behaves. Immutable; build with {@link #builder()} or
 * take {@link #defaults()}.
 *
 * @param port 0 picks a free port (read it from {@link BedrockSimulator#start()})
 * @param host the address to bind, {@code 127.0.0.1} by default
 * @param verifySignatures whether requests must carry a valid SigV4 signature (default true)
 * @param defaultChunkDelay the pause between stream events when a request sets no {@code @sim
 *     chunk-delay} (default zero)
 * @param credentials the keys accepted when verifying signatures (default: the dev pair) and the
 *     Bedrock API keys accepted as bearer tokens; shared, so keys registered later are honoured at
 *     once
 * @param maxRecordedRequests how many received requests are kept for inspection, the oldest dropped
 *     first (default 10,000), so a long benchmark cannot exhaust memory
 * @param clock the simulator's idea of now, for {@code X-Amz-Date} skew and expiry checks
 */
public record SimulatorOptions(
    int port,
    String host,
    boolean verifySignatures,
    Duration defaultChunkDelay,
    SimulatorCredentials credentials,
    int maxRecordedRequests,
    Clock clock) {

  public SimulatorOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(defaultChunkDelay, "defaultChunkDelay");
    if (defaultChunkDelay.isNegative()) {
      throw new IllegalArgumentException("defaultChunkDelay must not be negative");
    }
    Objects.requireNonNull(credentials, "credentials");
    if (maxRecordedRequests < 0) {
      throw new IllegalArgumentException("maxRecordedRequests must not be negative");
    }
    Objects.requireNonNull(clock, "clock");
  }

  /** Random free port on 127.0.0.1, signatures verified, dev pair registered, no chunk delay. */
  public static SimulatorOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder()
        .port(port)
        .host(host)
        .verifySignatures(verifySignatures)
        .defaultChunkDelay(defaultChunkDelay)
        .credentials(credentials)
        .maxRecordedRequests(maxRecordedRequests)
        .clock(clock);
  }

  /** Builds {@link SimulatorOptions}; every setter has the default given on the record. */
  public static final class Builder {
    private int port;
    private String host = "127.0.0.1";
    private boolean verifySignatures = true;
    private Duration defaultChunkDelay = Duration.ZERO;
    private SimulatorCredentials credentials;
    private int maxRecordedRequests = 10_000;
    private Clock clock = Clock.systemUTC();
    private final List<String> apiKeys = new ArrayList<>();

    private Builder() {}

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder verifySignatures(boolean verifySignatures) {
      this.verifySignatures = verifySignatures;
      return this;
    }

    public Builder defaultChunkDelay(Duration defaultChunkDelay) {
      this.defaultChunkDelay = defaultChunkDelay;
      return this;
    }

    public Builder credentials(SimulatorCredentials credentials) {
      this.credentials = credentials;
      return this;
    }

    public Builder maxRecordedRequests(int maxRecordedRequests) {
      this.maxRecordedRequests = maxRecordedRequests;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Bedrock API keys accepted as {@code Authorization: Bearer KEY} (long-term keys; any string),
     * registered in the {@link #credentials} registry when the options are built. Short-term keys
     * need no registration: see {@link ShortTermKeys}.
     */
    public Builder apiKeys(String... keys) {
      apiKeys.addAll(List.of(keys));
      return this;
    }

    public SimulatorOptions build() {
      SimulatorCredentials registry =
          credentials != null ? credentials : new SimulatorCredentials();
      apiKeys.forEach(registry::registerApiKey);
      return new SimulatorOptions(
          port, host, verifySignatures, defaultChunkDelay, registry, maxRecordedRequests, clock);
    }
  }
}
