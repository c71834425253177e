package io.github.bedrockgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.bedrockgateway.simulator.ClaudeOnBedrock;

/** Which betas reach Bedrock for which Claude model: one named case per rule. */
class BetaAllowListTest {

    /** What Claude Code 2.1.332 sends in Bedrock mode (docs/claude-code.md). */
    static final List<String> CLAUDE_CODE = List.of("interleaved-thinking-2025-05-14", "tool-search-tool-2025-10-19",
            "thinking-token-count-2026-05-13");

    static Stream<Arguments> cases() {
        BetaAllowList defaults = BetaAllowList.defaults();
        return Stream.of(
                Arguments.of("Claude Code's betas on a model of no listed family: the unknown one is dropped", defaults,
                        "us.anthropic.claude-opus-5-5", CLAUDE_CODE,
                        new BetaAllowList.Filtered(List.of("interleaved-thinking-2025-05-14", "tool-search-tool-2025-10-19"),
                                List.of("thinking-token-count-2026-05-13"))),
                Arguments.of("Anthropic-only betas are dropped for Claude 4.5", defaults,
                        "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
                        List.of("claude-code-20250219", "context-1m-2025-08-07", "advanced-tool-use-2025-11-20"),
                        new BetaAllowList.Filtered(List.of("context-1m-2025-08-07"),
                                List.of("claude-code-20250219", "advanced-tool-use-2025-11-20"))),
                Arguments.of("Claude 3.7 Sonnet takes output-128k, not interleaved thinking", defaults,
                        "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
                        List.of("output-128k-2025-02-19", "interleaved-thinking-2025-05-14"),
                        new BetaAllowList.Filtered(List.of("output-128k-2025-02-19"),
                                List.of("interleaved-thinking-2025-05-14"))),
                Arguments.of("Claude 3.5 Sonnet v2 takes the first computer use only", defaults,
                        "anthropic.claude-3-5-sonnet-20241022-v2:0",
                        List.of("computer-use-2025-01-24", "computer-use-2024-10-22"),
                        new BetaAllowList.Filtered(List.of("computer-use-2024-10-22"), List.of("computer-use-2025-01-24"))),
                Arguments.of("Claude 3.5 Haiku takes none", defaults, "anthropic.claude-3-5-haiku-20241022-v1:0",
                        List.of("token-efficient-tools-2025-02-19"),
                        new BetaAllowList.Filtered(List.of(), List.of("token-efficient-tools-2025-02-19"))),
                Arguments.of("a repeated beta is sent once", defaults, "anthropic.claude-sonnet-4-20250514-v1:0",
                        List.of("context-1m-2025-08-07", "context-1m-2025-08-07"),
                        new BetaAllowList.Filtered(List.of("context-1m-2025-08-07"), List.of("context-1m-2025-08-07"))),
                Arguments.of("an operator's extra beta for one family", BetaAllowList.of(true,
                        List.of("claude-opus-5:thinking-token-count-2026-05-13"), List.of()),
                        "us.anthropic.claude-opus-5-5", CLAUDE_CODE, new BetaAllowList.Filtered(CLAUDE_CODE, List.of())),
                Arguments.of("an extra beta for one family does not reach another", BetaAllowList.of(true,
                        List.of("claude-opus-5:thinking-token-count-2026-05-13"), List.of()),
                        "us.anthropic.claude-sonnet-4-5-20250929-v1:0", List.of("thinking-token-count-2026-05-13"),
                        new BetaAllowList.Filtered(List.of(), List.of("thinking-token-count-2026-05-13"))),
                Arguments.of("an operator's denied beta for every Claude model", BetaAllowList.of(true, List.of(),
                        List.of("context-1m-2025-08-07")), "us.anthropic.claude-sonnet-4-20250514-v1:0",
                        List.of("context-1m-2025-08-07", "interleaved-thinking-2025-05-14"),
                        new BetaAllowList.Filtered(List.of("interleaved-thinking-2025-05-14"), List.of("context-1m-2025-08-07"))),
                Arguments.of("filtering off forwards everything", BetaAllowList.of(false, List.of(), List.of()),
                        "us.anthropic.claude-opus-5-5", CLAUDE_CODE, new BetaAllowList.Filtered(CLAUDE_CODE, List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keeps_the_betas_bedrock_takes_for_the_model(String name, BetaAllowList list, String model,
            List<String> requested, BetaAllowList.Filtered expected) {
        assertThat(list.filter(model, requested)).isEqualTo(expected);
    }

    @Test
    void every_beta_forwarded_by_default_is_one_the_simulator_plays_bedrock_with() {
        // the simulator refuses a beta outside its list with "invalid beta flag", as Bedrock does
        assertThat(ClaudeOnBedrock.ACCEPTED_BETAS).containsAll(BetaAllowList.CURRENT);
        BetaAllowList.FAMILIES.values().forEach(betas -> assertThat(ClaudeOnBedrock.ACCEPTED_BETAS).containsAll(betas));
        // and what real clients send that Bedrock refuses never passes
        for (String refused : ClaudeOnBedrock.REFUSED_BETAS_SEEN_IN_CLIENTS) {
            assertThat(BetaAllowList.defaults().allowed("us.anthropic.claude-opus-5-5")).doesNotContain(refused);
        }
    }

    @Test
    void an_entry_without_a_beta_names_the_setting() {
        assertThatThrownBy(() -> BetaAllowList.of(true, List.of("claude-opus:"), List.of()))
                .hasMessageContaining("gateway.anthropic-betas.extra");
    }

    @Test
    void claude_models_are_recognised_by_id_profile_and_arn() {
        assertThat(BetaAllowList.isClaude("us.anthropic.claude-opus-5-5")).isTrue();
        assertThat(BetaAllowList.isClaude("anthropic.claude-3-5-haiku-20241022-v1:0")).isTrue();
        assertThat(BetaAllowList.isClaude("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2")).isTrue();
        assertThat(BetaAllowList.isClaude("amazon.nova-pro-v1:0")).isFalse();
    }
}
