package io.github.bedrockgateway.anthropic;

import io.github.bedrockgateway.bedrock.ClaudeBetas;

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
   * The {@code anthropic-beta} values forwarded to Bedrock (as the body's {@code anthropic_beta}),
   * comma-separated. Bedrock refuses a whole request for one beta it does not know ({@code 400
   * invalid beta flag}), and clients such as Claude Code send betas only the Anthropic API has, so
   * every value not allowed here is dropped (with a DEBUG log line), never refused. An entry is
   * {@code BETA} (allowed for every Claude model), {@code BETA@FRAGMENT} (allowed only for Bedrock
   * model ids containing {@code FRAGMENT}, case-insensitive; an entry may repeat for several
   * fragments), or {@code CLIENT_BETA=BEDROCK_BETA} (the Anthropic API's name of a feature renamed to
   * Bedrock's, then checked like any other). The default is the list Bedrock documents for Claude.
   */
  @WithDefault(ClaudeBetas.DEFAULT)
  List<String> betas();

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
