package io.github.bedrockgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The beta allow-list: what Bedrock gets for which model, what is dropped, and the configuration
 * syntax.
 */
class ClaudeBetasTest {

  private static final ClaudeBetas DEFAULTS =
      ClaudeBetas.parse(List.of(ClaudeBetas.DEFAULT.split(",")));
  private static final String SONNET_45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  private static final String SONNET_37 = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
  private static final String OPUS_55 = "us.anthropic.claude-opus-5-5";

  /** What Claude Code 2.1.332 sends in Messages mode. */
  private static final List<String> CLAUDE_CODE =
      List.of(
          "claude-code-20250219",
          "interleaved-thinking-2025-05-14",
          "context-management-2025-06-27",
          "per-turn-control-2026-07-01",
          "mid-conversation-tool-changes-2026-07-01",
          "thinking-token-count-2026-05-13",
          "advanced-tool-use-2025-11-20",
          "effort-2025-11-24");

  static Stream<Arguments> filtering() {
    return Stream.of(
        Arguments.of(
            "Claude Code's betas: Bedrock's kept, advanced-tool-use renamed, the rest dropped",
            OPUS_55,
            CLAUDE_CODE,
            List.of(
                "interleaved-thinking-2025-05-14",
                "context-management-2025-06-27",
                "tool-search-tool-2025-10-19",
                "effort-2025-11-24"),
            List.of(
                "claude-code-20250219",
                "per-turn-control-2026-07-01",
                "mid-conversation-tool-changes-2026-07-01",
                "thinking-token-count-2026-05-13")),
        Arguments.of(
            "a renamed beta and its Bedrock name are sent once",
            SONNET_45,
            List.of("advanced-tool-use-2025-11-20", "tool-search-tool-2025-10-19"),
            List.of("tool-search-tool-2025-10-19"),
            List.of()),
        Arguments.of(
            "output-128k only for 3.7 Sonnet",
            SONNET_37,
            List.of("output-128k-2025-02-19"),
            List.of("output-128k-2025-02-19"),
            List.of()),
        Arguments.of(
            "output-128k dropped for Sonnet 4.5",
            SONNET_45,
            List.of("output-128k-2025-02-19"),
            List.of(),
            List.of("output-128k-2025-02-19")),
        Arguments.of(
            "context-1m for Sonnet 4.5",
            SONNET_45,
            List.of("context-1m-2025-08-07"),
            List.of("context-1m-2025-08-07"),
            List.of()),
        Arguments.of(
            "context-1m for Opus 4.6 (a second fragment of the same beta)",
            "global.anthropic.claude-opus-4-6-v1",
            List.of("context-1m-2025-08-07"),
            List.of("context-1m-2025-08-07"),
            List.of()),
        Arguments.of(
            "context-1m dropped for Haiku 4.5",
            "anthropic.claude-haiku-4-5-20251001-v1:0",
            List.of("context-1m-2025-08-07"),
            List.of(),
            List.of("context-1m-2025-08-07")),
        Arguments.of(
            "an application profile ARN names no family: family betas dropped, general ones kept",
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc",
            List.of("context-1m-2025-08-07", "interleaved-thinking-2025-05-14"),
            List.of("interleaved-thinking-2025-05-14"),
            List.of("context-1m-2025-08-07")),
        Arguments.of("nothing asked, nothing sent", SONNET_45, List.of(), List.of(), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filtering")
  void forwards_what_bedrock_takes_and_drops_the_rest(
      String name,
      String modelId,
      List<String> requested,
      List<String> forwarded,
      List<String> dropped) {
    assertThat(DEFAULTS.filter(modelId, requested))
        .isEqualTo(new ClaudeBetas.Filtered(forwarded, dropped));
  }

  @Test
  void reads_comma_separated_and_repeated_headers_once_each_in_order() {
    assertThat(ClaudeBetas.requested(List.of("a-1, b-2 ,,", "c-3,a-1", " ")))
        .containsExactly("a-1", "b-2", "c-3");
  }

  @Test
  void an_unqualified_entry_wins_over_a_family_one() {
    ClaudeBetas betas = ClaudeBetas.parse(List.of("x-1@claude-3-7", "x-1"));
    assertThat(betas.filter(SONNET_45, List.of("x-1")).forwarded()).containsExactly("x-1");
  }

  @Test
  void an_operator_can_allow_a_new_beta_for_one_family() {
    ClaudeBetas betas = ClaudeBetas.parse(List.of("new-beta-2026-01-01@CLAUDE-OPUS-5"));
    assertThat(betas.filter(OPUS_55, List.of("new-beta-2026-01-01")).forwarded())
        .containsExactly("new-beta-2026-01-01");
    assertThat(betas.filter(SONNET_45, List.of("new-beta-2026-01-01")).dropped())
        .containsExactly("new-beta-2026-01-01");
  }

  @Test
  void refuses_malformed_entries_at_startup_naming_the_setting() {
    for (String entry : List.of("x@", "@claude", "=y", "x=", "a=b@claude")) {
      assertThatThrownBy(() -> ClaudeBetas.parse(List.of(entry)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("gateway.anthropic.betas")
          .hasMessageContaining(entry);
    }
  }
}
