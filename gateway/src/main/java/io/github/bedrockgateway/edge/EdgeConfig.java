package io.github.bedrockgateway.edge;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the HTTP edge: client keys, authentication, the body limit, request limits and
 * admission, graceful shutdown. The Javadoc of each method is the configuration reference
 * (docs/configuration.md, written by hand from it; ConfigurationDocsTest fails when a setting is
 * missing there). Other groups of {@code gateway.*} live next to the code they configure (see
 * docs/architecture.md).
 */
@ConfigMapping(prefix = "gateway")
public interface EdgeConfig {

  /**
   * Client API keys accepted as {@code Authorization: Bearer KEY}, comma-separated. An entry {@code
   * sha256:<hex>} holds the SHA-256 of a key instead of the key itself. An entry may carry a name
   * for logs and metrics: {@code team-a=sha256:<hex>} or {@code team-a=KEY}.
   */
  Optional<List<String>> apiKeys();

  /** Client authentication. */
  Auth auth();

  /** Limits of the HTTP surface. */
  Http http();

  /** Request limits and overload protection. */
  Limits limits();

  /** Graceful shutdown on SIGTERM. */
  Shutdown shutdown();

  interface Auth {
    /**
     * Whether {@code /v1/*} requires an API key. Switching it off is only meant for a gateway that
     * sits behind another authenticating proxy; with auth on and no key configured the gateway
     * refuses to start.
     */
    @WithDefault("true")
    boolean enabled();
  }

  interface Http {
    /**
     * Largest accepted request body in bytes; larger bodies get 413. Base64 images make chat bodies
     * big (Bedrock accepts 20 images of 3.75 MB), so the default is generous.
     */
    @WithDefault("26214400")
    long maxBodySize();
  }

  interface Limits {
    /** Most messages accepted in one request; more gets a 400 naming {@code messages}. */
    @WithDefault("2000")
    int maxMessages();

    /** Most tools accepted in one request; more gets a 400 naming {@code tools}. */
    @WithDefault("256")
    int maxTools();

    /**
     * Most Bedrock calls in flight at once (streams included). Beyond it the gateway answers 503
     * with {@code Retry-After} at once instead of queueing without bound.
     */
    @WithDefault("4096")
    int maxInFlight();

    /** Seconds a client is asked to wait ({@code Retry-After}) when the gateway is overloaded. */
    @WithDefault("1")
    int overloadRetryAfterSeconds();
  }

  interface Shutdown {
    /**
     * On SIGTERM the gateway stops accepting requests (503 {@code shutting_down}) and gives the
     * requests and streams in flight this long to finish; streams still open then end with a {@code
     * shutting_down} error event, and the process exits 0. Keep it below the orchestrator's
     * termination grace period (Kubernetes: {@code terminationGracePeriodSeconds}).
     */
    @WithDefault("25s")
    Duration gracePeriod();
  }
}
