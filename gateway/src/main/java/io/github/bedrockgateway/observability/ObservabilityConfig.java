package io.github.bedrockgateway.observability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * Access log and Bedrock request metadata ({@code gateway.observability.*}). The Javadoc of each
 * method is the configuration reference (docs/configuration.md).
 */
@ConfigMapping(prefix = "gateway.observability")
public interface ObservabilityConfig {

  /** Write one access-log line per request (logger {@code gateway.access}). */
  @WithDefault("true")
  boolean accessLog();

  /**
   * Access-log line format: {@code text} (key=value) or {@code json} (one JSON object per line).
   * Any other value stops startup.
   */
  @WithDefault("text")
  @WithConverter(AccessLogFormat.Setting.class)
  AccessLogFormat accessLogFormat();

  /**
   * Send the client key name and the gateway request id to Bedrock as {@code requestMetadata}
   * ({@code gateway-key}, {@code gateway-request-id}), so model invocation logs attribute usage.
   */
  @WithDefault("true")
  boolean requestMetadata();
}
