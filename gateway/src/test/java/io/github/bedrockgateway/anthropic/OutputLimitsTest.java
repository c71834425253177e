package io.github.bedrockgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The max_tokens limit per Claude family. */
class OutputLimitsTest {

  private static final OutputLimits DEFAULTS =
      OutputLimits.parse(List.of(OutputLimits.DEFAULT.split(",")));

  static Stream<Arguments> limits() {
    return Stream.of(
        Arguments.of("us.anthropic.claude-sonnet-4-5-20250929-v1:0", List.of(), 64000),
        Arguments.of("global.anthropic.claude-sonnet-4-6", List.of(), 64000),
        Arguments.of("us.anthropic.claude-haiku-4-5-20251001-v1:0", List.of(), 64000),
        Arguments.of("us.anthropic.claude-opus-4-1-20250805-v1:0", List.of(), 32000),
        Arguments.of("anthropic.claude-opus-4-20250514-v1:0", List.of(), 32000),
        Arguments.of("us.anthropic.claude-opus-4-5-20251101-v1:0", List.of(), 64000),
        Arguments.of("us.anthropic.claude-opus-4-6-v1", List.of(), 128000),
        Arguments.of("us.anthropic.claude-3-7-sonnet-20250219-v1:0", List.of(), 64000),
        Arguments.of(
            "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
            List.of("output-128k-2025-02-19"),
            128000),
        Arguments.of("anthropic.claude-3-5-haiku-20241022-v1:0", List.of(), 8192),
        Arguments.of("anthropic.claude-3-haiku-20240307-v1:0", List.of(), 4096),
        Arguments.of("us.anthropic.claude-opus-5-5", List.of(), -1));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("limits")
  void knows_each_familys_output_limit(String modelId, List<String> betas, int limit) {
    assertThat(DEFAULTS.limit(modelId, betas))
        .isEqualTo(limit < 0 ? OptionalInt.empty() : OptionalInt.of(limit));
  }

  @Test
  void refuses_malformed_entries() {
    for (String entry : List.of("claude", "claude=", "=5", "claude=-1", "claude=lots")) {
      assertThatThrownBy(() -> OutputLimits.parse(List.of(entry)))
          .hasMessageContaining("gateway.anthropic.max-output-tokens")
          .hasMessageContaining(entry);
    }
  }
}
