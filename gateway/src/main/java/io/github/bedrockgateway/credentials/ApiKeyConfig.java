package io.github.bedrockgateway.credentials;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the {@code bedrock-api-key} credentials strategy
 * (docs/credentials.md#bedrock-api-key). The key itself comes from {@code AWS_BEARER_TOKEN_BEDROCK}
 * or from {@link #file()}; it is never a configuration property.
 */
@ConfigMapping(prefix = "gateway.credentials.api-key")
public interface ApiKeyConfig {

  /**
   * A file holding the Bedrock API key ({@code GATEWAY_CREDENTIALS_API_KEY_FILE}), e.g. a mounted
   * Kubernetes secret. Read at startup and again whenever it changes (see {@link
   * #watchInterval()}), so a rotated key is used without a restart. Wins over {@code
   * AWS_BEARER_TOKEN_BEDROCK}.
   */
  Optional<String> file();

  /**
   * How often the key file's modification time and size are checked for a new key. Bedrock refusing
   * the key also makes the gateway read the file at once.
   */
  @WithDefault("10s")
  Duration watchInterval();
}
