package io.github.bedrockgateway.passthrough;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The Bedrock Runtime pass-through under {@code /bedrock} (docs/claude-code.md,
 * docs/compatibility.md).
 */
@ConfigMapping(prefix = "gateway.passthrough")
public interface PassthroughSettings {

  /**
   * Serve {@code /bedrock/*}: the Bedrock Runtime operations (re-signed with the gateway's
   * credentials) and the control-plane lists that AWS SDKs, the AWS CLI and Claude Code's Bedrock
   * mode use with a gateway key as their bearer token. With {@code false} nothing is served under
   * {@code /bedrock}.
   */
  @WithDefault("true")
  boolean enabled();
}
