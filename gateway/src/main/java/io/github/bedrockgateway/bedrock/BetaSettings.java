package io.github.bedrockgateway.bedrock;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/**
 * The {@code anthropic_beta} allow-list every Claude body sent to Bedrock goes through: the {@code
 * /bedrock} pass-through's InvokeModel and CountTokens bodies here, and the Messages API's ({@code
 * gateway.anthropic.*}, which reads the same {@code gateway.anthropic.betas} setting).
 */
@ConfigMapping(prefix = "gateway.anthropic")
public interface BetaSettings {

  /**
   * The {@code anthropic_beta} values forwarded to Bedrock for Claude models, comma-separated;
   * every other value is dropped (with a DEBUG log line), never refused. An entry is {@code BETA}
   * (every Claude model), {@code BETA@FRAGMENT} (only the Bedrock model ids containing {@code
   * FRAGMENT}, ignoring case; repeat the entry for several families) or {@code
   * CLIENT_BETA=BEDROCK_BETA} (the Anthropic API's name of a feature that Bedrock names
   * differently). The default is what Bedrock documents for Claude ({@link ClaudeBetas#DEFAULT}).
   */
  @WithDefault(ClaudeBetas.DEFAULT)
  List<String> betas();

  /** The allow-list these settings describe. */
  default ClaudeBetas allowList() {
    return ClaudeBetas.parse(betas());
  }
}
