package io.github.bedrockgateway.bedrock;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Models served: aliases and the catalog returned by {@code GET /v1/models} ({@code
 * gateway.models.*}). The Javadoc of each method is the configuration reference
 * (docs/configuration.md).
 */
@ConfigMapping(prefix = "gateway.models")
public interface ModelsConfig {

  /**
   * Models listed by {@code GET /v1/models}, comma-separated. An entry {@code alias=modelId} makes
   * the client-facing name {@code alias} call the Bedrock model or inference profile {@code
   * modelId}; a bare entry lists a Bedrock model id under its own name. Names that are not listed
   * pass through unchanged as Bedrock model ids.
   */
  @WithName("list")
  Optional<List<String>> entries();

  /** Discovery of the foundation models and inference profiles the account can call. */
  Discovery discovery();

  interface Discovery {
    /**
     * Whether {@code GET /v1/models} also lists what Bedrock's control plane reports: the
     * foundation models offered on demand that produce text ({@code ListFoundationModels}) and the
     * active inference profiles ({@code ListInferenceProfiles}, system-defined and application).
     * Needs {@code bedrock:ListFoundationModels} and {@code bedrock:ListInferenceProfiles}; without
     * them the list keeps the configured aliases. Discovery runs in the background, never on a
     * request.
     */
    @WithDefault("true")
    boolean enabled();

    /** How often the discovered list is refreshed. */
    @WithDefault("1h")
    Duration refreshInterval();
  }
}
