package io.github.bedrockgateway.devsim;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The dev-mode simulator's settings. They exist only in dev mode: a packaged gateway refuses them.
 */
@ConfigMapping(prefix = "gateway.simulator")
public interface SimulatorConfig {

  /** Port of the dev-mode Bedrock simulator (dev mode points the Bedrock endpoints at it). */
  @WithDefault("8089")
  int port();

  /** Whether the dev-mode simulator verifies SigV4 signatures. */
  @WithDefault("true")
  boolean verifySignatures();
}
