package io.github.bedrockgateway.bedrock;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The Bedrock Runtime client: endpoint, timeouts, retries, connection pool ({@code
 * gateway.bedrock.*}). The Javadoc of each method is the configuration reference
 * (docs/configuration.md).
 */
@ConfigMapping(prefix = "gateway.bedrock")
public interface BedrockConfig {

  /**
   * Bedrock Runtime endpoint override. When unset, the standard {@code
   * AWS_ENDPOINT_URL_BEDROCK_RUNTIME} / {@code AWS_ENDPOINT_URL} variables apply, then the regional
   * AWS endpoint. An {@code http://} or {@code https://} URL, checked at start-up (kept as text so
   * that a value without its scheme is refused with a sentence saying how to write it).
   */
  Optional<String> endpoint();

  /**
   * Bedrock control-plane endpoint override (model discovery). When unset, the standard {@code
   * AWS_ENDPOINT_URL_BEDROCK} / {@code AWS_ENDPOINT_URL} variables apply, then the regional AWS
   * endpoint. In dev mode both point at the dev-mode simulator. An {@code http://} or {@code
   * https://} URL, checked at start-up.
   */
  Optional<String> controlEndpoint();

  /** TCP connect timeout to Bedrock. */
  @WithDefault("10s")
  Duration connectTimeout();

  /**
   * Longest time one write of a request to Bedrock may take (socket write timeout): a request body
   * that Bedrock stops accepting fails after this long instead of holding its connection.
   */
  @WithDefault("30s")
  Duration writeTimeout();

  /**
   * Longest silence tolerated on a Bedrock connection (socket read timeout). Reasoning models can
   * think for minutes before their first byte, so the default is generous.
   */
  @WithDefault("10m")
  Duration readTimeout();

  /**
   * Longest pause tolerated between two events of a stream once it has started; on expiry the
   * stream ends with an error event and the upstream call is cancelled.
   */
  @WithDefault("5m")
  Duration streamIdleTimeout();

  /** Whole-call timeout of a non-streaming request, retries included. */
  @WithDefault("10m")
  Duration requestTimeout();

  /**
   * Attempts per Bedrock call (the SDK's standard retry strategy: throttling and transient failures
   * are retried with jittered backoff before any byte reaches the client). 1 disables retries.
   */
  @WithDefault("3")
  int maxAttempts();

  /**
   * HTTP version towards Bedrock: {@code http1.1} (default) or {@code http2} (also written {@code
   * h2}); any other value stops startup. With HTTP/2 many calls share one connection, and the soak
   * test saw a connection closed after a client cancelled its stream, failing every call
   * multiplexed on it; HTTP/1.1 keeps each call's failure its own.
   */
  @WithDefault("http1.1")
  @WithConverter(HttpProtocol.Setting.class)
  HttpProtocol protocol();

  /** Maximum concurrent connections to Bedrock (each open stream holds one). */
  @WithDefault("2000")
  int maxConnections();

  /**
   * One Bedrock client (and connection pool) per Vert.x event loop, so that a request is received,
   * signed, sent to Bedrock, answered and written back on one thread with no hand-off between
   * threads (docs/performance.md). {@code false}: one client shared by all event loops. Either way
   * {@code max-connections} is the total.
   */
  @WithDefault("true")
  boolean eventLoopAffinity();
}
