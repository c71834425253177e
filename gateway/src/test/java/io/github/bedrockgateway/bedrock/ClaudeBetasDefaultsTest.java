package io.github.bedrockgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bedrockgateway.simulator.ClaudeOnBedrock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which betas reach Bedrock for which Claude model: one named case per rule. */
class ClaudeBetasDefaultsTest {

  static final ClaudeBetas DEFAULTS = ClaudeBetas.defaults();

  /** What Claude Code 2.1.332 sends in the Bedrock-mode body (docs/claude-code.md). */
  static final List<String> CLAUDE_CODE_BEDROCK =
      List.of(
          "interleaved-thinking-2025-05-14",
          "tool-search-tool-2025-10-19",
          "thinking-token-count-2026-05-13");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "Claude Code's Bedrock-mode betas: the one Bedrock does not know is dropped",
            "us.anthropic.claude-opus-5-5",
            CLAUDE_CODE_BEDROCK,
            new ClaudeBetas.Filtered(
                List.of("interleaved-thinking-2025-05-14", "tool-search-tool-2025-10-19"),
                List.of("thinking-token-count-2026-05-13"))),
        Arguments.of(
            "Anthropic-only betas are dropped, the Anthropic name of tool search renamed",
            "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
            List.of(
                "claude-code-20250219", "context-1m-2025-08-07", "advanced-tool-use-2025-11-20"),
            new ClaudeBetas.Filtered(
                List.of("context-1m-2025-08-07", "tool-search-tool-2025-10-19"),
                List.of("claude-code-20250219"))),
        Arguments.of(
            "Claude 3.7 Sonnet takes output-128k",
            "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
            List.of("output-128k-2025-02-19", "token-efficient-tools-2025-02-19"),
            new ClaudeBetas.Filtered(
                List.of("output-128k-2025-02-19", "token-efficient-tools-2025-02-19"), List.of())),
        Arguments.of(
            "output-128k is dropped for Claude 4",
            "anthropic.claude-sonnet-4-20250514-v1:0",
            List.of("output-128k-2025-02-19"),
            new ClaudeBetas.Filtered(List.of(), List.of("output-128k-2025-02-19"))),
        Arguments.of(
            "context-1m is dropped for Haiku 4.5",
            "us.anthropic.claude-haiku-4-5-20251001-v1:0",
            List.of("context-1m-2025-08-07"),
            new ClaudeBetas.Filtered(List.of(), List.of("context-1m-2025-08-07"))),
        Arguments.of(
            "a repeated beta is sent once",
            "anthropic.claude-sonnet-4-20250514-v1:0",
            List.of("context-1m-2025-08-07", "context-1m-2025-08-07"),
            new ClaudeBetas.Filtered(List.of("context-1m-2025-08-07"), List.of())),
        Arguments.of(
            "nothing asked, nothing sent",
            "us.anthropic.claude-opus-5-5",
            List.of(),
            new ClaudeBetas.Filtered(List.of(), List.of())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void keeps_the_betas_bedrock_takes_for_the_model(
      String name, String model, List<String> requested, ClaudeBetas.Filtered expected) {
    assertThat(DEFAULTS.filter(model, requested)).isEqualTo(expected);
  }

  @Test
  void an_operator_allows_a_new_beta_for_one_family() {
    ClaudeBetas list = ClaudeBetas.parse(List.of("thinking-token-count-2026-05-13@Claude-Opus-5"));
    assertThat(list.filter("us.anthropic.claude-opus-5-5", CLAUDE_CODE_BEDROCK).forwarded())
        .containsExactly("thinking-token-count-2026-05-13");
    assertThat(
            list.filter("us.anthropic.claude-sonnet-4-5-20250929-v1:0", CLAUDE_CODE_BEDROCK)
                .forwarded())
        .isEmpty();
  }

  @Test
  void every_beta_forwarded_by_default_is_one_the_simulator_plays_bedrock_with() {
    // the simulator refuses a beta outside its list with "invalid beta flag", as Bedrock does
    assertThat(ClaudeOnBedrock.ACCEPTED_BETAS).containsAll(DEFAULTS.betas());
    for (String refused : ClaudeOnBedrock.REFUSED_BETAS_SEEN_IN_CLIENTS) {
      assertThat(DEFAULTS.filter("us.anthropic.claude-opus-5-5", List.of(refused)).forwarded())
          .as(refused)
          .allMatch(ClaudeOnBedrock.ACCEPTED_BETAS::contains);
    }
  }

  @Test
  void malformed_entries_name_the_setting() {
    for (String entry : List.of("x@", "@claude", "=y", "x=", "a=b@claude")) {
      assertThatThrownBy(() -> ClaudeBetas.parse(List.of(entry)))
          .hasMessageContaining("gateway.anthropic.betas")
          .hasMessageContaining(entry);
    }
  }

  @Test
  void claude_models_are_recognised_by_id_profile_and_arn() {
    assertThat(ClaudeBetas.isClaude("us.anthropic.claude-opus-5-5")).isTrue();
    assertThat(ClaudeBetas.isClaude("anthropic.claude-3-5-haiku-20241022-v1:0")).isTrue();
    assertThat(
            ClaudeBetas.isClaude("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2"))
        .isTrue();
    assertThat(ClaudeBetas.isClaude("amazon.nova-pro-v1:0")).isFalse();
  }
}
