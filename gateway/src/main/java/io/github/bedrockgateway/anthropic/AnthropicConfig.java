package io.github.bedrockgateway.anthropic;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the Anthropic Messages API ({@code POST /v1/messages}). The Javadoc of each method is
 * the configuration reference (docs/configuration.md, section "Anthropic Messages API").
 */
@ConfigMapping(prefix = "gateway.anthropic")
public interface AnthropicConfig {

  /**
   * The largest {@code max_tokens} each Claude family accepts, as {@code FRAGMENT=LIMIT} entries
   * matched in order against the Bedrock model id (case-insensitive; the first match wins). A
   * request asking for more is clamped to the limit (Claude Code asks for 128000 whatever the
   * model), and a {@code thinking.budget_tokens} left without room below it is lowered to the limit
   * minus one. Claude 3.7 Sonnet gets 128000 when the {@code output-128k-2025-02-19} beta is
   * forwarded. Models matching no entry are not clamped.
   */
  @WithDefault(OutputLimits.DEFAULT)
  List<String> maxOutputTokens();

  /**
   * While a stream is open, a {@code ping} event is written after each such interval in which
   * nothing else was (long thinking pauses, slow first tokens), so that proxies and clients with
   * idle timeouts keep the connection. ISO-8601 duration.
   */
  @WithDefault("PT10S")
  Duration pingInterval();
}
