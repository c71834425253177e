package io.github.bedrockgateway.credentials;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The Bedrock region ({@code gateway.region}), which {@link RegionResolver} completes from the
 * standard AWS variables and the profile. The Javadoc is the configuration reference
 * (docs/configuration.md).
 */
@ConfigMapping(prefix = "gateway")
public interface RegionConfig {

  /**
   * Bedrock region (also the region of the STS endpoint used for assumed roles). When unset, {@code
   * AWS_REGION}, {@code AWS_DEFAULT_REGION} and the {@code region} of the selected profile are
   * tried in that order; startup fails when none is found.
   */
  Optional<String> region();
}
