package io.github.bedrockgateway.simulator;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the simulator's {@code InvokeModel} / {@code InvokeModelWithResponseStream} routes accept
 * from a Claude request body, in one place, so gateway tests can rely on the same lists: the {@code
 * anthropic_version} Bedrock requires, the top-level keys of the Messages body Bedrock allows
 * (anything else is {@code extraneous key [...] is not permitted}) and the {@code anthropic_beta}
 * values it knows (anything else is {@code invalid beta flag}, the failure gateways in front of
 * Bedrock meet most).
 */
public final class ClaudeOnBedrock {

  /** The only {@code anthropic_version} Bedrock takes. */
  public static final String ANTHROPIC_VERSION = "bedrock-2023-05-31";

  /**
   * The {@code anthropic_beta} values the simulator accepts, as Bedrock's published list for Claude
   * models. A request naming any other value is refused with {@link #INVALID_BETA_FLAG}.
   */
  public static final Set<String> ACCEPTED_BETAS =
      ordered(
          List.of(
              "interleaved-thinking-2025-05-14",
              "context-1m-2025-08-07",
              "context-management-2025-06-27",
              "tool-search-tool-2025-10-19",
              "tool-examples-2025-10-29",
              "effort-2025-11-24",
              "fine-grained-tool-streaming-2025-05-14",
              "token-efficient-tools-2025-02-19",
              "computer-use-2024-10-22",
              "computer-use-2025-01-24",
              "output-128k-2025-02-19",
              "dev-full-thinking-2025-05-14"));

  /**
   * Betas real clients send that Bedrock refuses (Claude Code sends all of them to the Anthropic
   * API). Documentation and tests only: the check is "not in {@link #ACCEPTED_BETAS}", so these are
   * refused like any other unknown value.
   */
  public static final Set<String> REFUSED_BETAS_SEEN_IN_CLIENTS =
      ordered(
          List.of(
              "claude-code-20250219",
              "per-turn-control-2026-07-01",
              "mid-conversation-tool-changes-2026-07-01",
              "thinking-token-count-2026-05-13",
              "advanced-tool-use-2025-11-20",
              "mcp-servers-2025-12-04",
              "extended-cache-ttl-2025-04-11"));

  /**
   * The top-level keys of a Claude InvokeModel body. {@code model} and {@code stream} are not among
   * them (the model is in the path, streaming is the route), nor is {@code output_format}.
   */
  public static final Set<String> BODY_KEYS =
      ordered(
          List.of(
              "anthropic_version",
              "anthropic_beta",
              "max_tokens",
              "messages",
              "system",
              "stop_sequences",
              "temperature",
              "top_p",
              "top_k",
              "tools",
              "tool_choice",
              "thinking",
              "metadata",
              "context_management",
              "output_config"));

  /**
   * The message of the 400 {@code ValidationException} for a beta not in {@link #ACCEPTED_BETAS}.
   */
  public static final String INVALID_BETA_FLAG =
      "The model returned the following errors: invalid beta flag";

  private ClaudeOnBedrock() {}

  private static Set<String> ordered(List<String> values) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(values));
  }
}
