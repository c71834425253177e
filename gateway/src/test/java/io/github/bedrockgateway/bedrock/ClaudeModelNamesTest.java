package io.github.bedrockgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Anthropic model names and unversioned Claude ids -> the Bedrock id of a region, and what is left
 * alone.
 */
class ClaudeModelNamesTest {

  static Stream<Arguments> mapped() {
    return Stream.of(
        Arguments.of(
            "dated name, us region",
            "claude-sonnet-4-5-20250929",
            "us-east-1",
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
        Arguments.of(
            "alias without date",
            "claude-sonnet-4-5",
            "us-west-2",
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
        Arguments.of(
            "haiku 4.5 alias, eu region",
            "claude-haiku-4-5",
            "eu-central-1",
            "eu.anthropic.claude-haiku-4-5-20251001-v1:0"),
        Arguments.of(
            "opus 4.1 alias, apac region",
            "claude-opus-4-1",
            "ap-northeast-1",
            "apac.anthropic.claude-opus-4-1-20250805-v1:0"),
        Arguments.of(
            "the -0 aliases of the 4.0 models",
            "claude-sonnet-4-0",
            "us-east-1",
            "us.anthropic.claude-sonnet-4-20250514-v1:0"),
        Arguments.of(
            "-latest alias and the v2 of 3.5 sonnet",
            "claude-3-5-sonnet-latest",
            "us-east-1",
            "us.anthropic.claude-3-5-sonnet-20241022-v2:0"),
        Arguments.of(
            "3.7 sonnet",
            "claude-3-7-sonnet-20250219",
            "us-east-2",
            "us.anthropic.claude-3-7-sonnet-20250219-v1:0"),
        Arguments.of(
            "opus 4.6 has a -v1 suffix",
            "claude-opus-4-6",
            "us-east-1",
            "us.anthropic.claude-opus-4-6-v1"),
        Arguments.of(
            "sonnet 4.6 has no suffix",
            "claude-sonnet-4-6",
            "eu-west-1",
            "eu.anthropic.claude-sonnet-4-6"),
        Arguments.of(
            "a model newer than the table: no suffix (Claude Code's default)",
            "claude-opus-5-5",
            "us-east-1",
            "us.anthropic.claude-opus-5-5"),
        Arguments.of(
            "a dated name newer than the table gets -v1:0",
            "claude-sonnet-4-7-20260301",
            "us-east-1",
            "us.anthropic.claude-sonnet-4-7-20260301-v1:0"),
        Arguments.of(
            "GovCloud",
            "claude-sonnet-4-5",
            "us-gov-west-1",
            "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0"),
        Arguments.of(
            "region outside the geographies: global profile",
            "claude-sonnet-4-5",
            "ca-central-1",
            "global.anthropic.claude-sonnet-4-5-20250929-v1:0"),
        Arguments.of(
            "region outside the geographies, model without a global profile: base id",
            "claude-opus-4-1",
            "sa-east-1",
            "anthropic.claude-opus-4-1-20250805-v1:0"),
        Arguments.of(
            "upper case is read as lower case",
            "Claude-Haiku-4-5",
            "us-east-1",
            "us.anthropic.claude-haiku-4-5-20251001-v1:0"),
        Arguments.of(
            "unversioned profile id keeps its prefix",
            "us.anthropic.claude-opus-4-1",
            "eu-west-1",
            "us.anthropic.claude-opus-4-1-20250805-v1:0"),
        Arguments.of(
            "unversioned profile id of a model newer than the table",
            "us.anthropic.claude-opus-5-5",
            "us-east-1",
            "us.anthropic.claude-opus-5-5"),
        Arguments.of(
            "global profile id without version",
            "global.anthropic.claude-sonnet-4-5",
            "us-east-1",
            "global.anthropic.claude-sonnet-4-5-20250929-v1:0"),
        Arguments.of(
            "base id without version stays a base id",
            "anthropic.claude-haiku-4-5",
            "us-east-1",
            "anthropic.claude-haiku-4-5-20251001-v1:0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mapped")
  void maps_claude_names_to_the_bedrock_id_of_the_region(
      String name, String input, String region, String expected) {
    assertThat(ClaudeModelNames.resolve(input, region)).contains(expected);
  }

  static Stream<Arguments> leftAlone() {
    return Stream.of(
        Arguments.of(
            "a full Bedrock id with version", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
        Arguments.of("a base id with version", "anthropic.claude-3-5-haiku-20241022-v1:0"),
        Arguments.of(
            "an application inference profile ARN",
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123"),
        Arguments.of("another provider's model", "amazon.nova-pro-v1:0"),
        Arguments.of("an OpenAI name", "gpt-4o"),
        Arguments.of("a name with a dot that is not a profile", "claude.sonnet"),
        Arguments.of("an empty name", ""),
        Arguments.of("a bare 'claude'", "claude"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("leftAlone")
  void leaves_other_names_to_the_caller(String name, String input) {
    assertThat(ClaudeModelNames.resolve(input, "us-east-1")).isEmpty();
  }

  static Stream<Arguments> geographies() {
    return Stream.of(
        Arguments.of("us-east-1", "us"), Arguments.of("us-west-2", "us"),
        Arguments.of("us-gov-east-1", "us-gov"), Arguments.of("eu-west-3", "eu"),
        Arguments.of("eu-central-2", "eu"), Arguments.of("ap-southeast-2", "apac"),
        Arguments.of("ap-south-1", "apac"), Arguments.of("ca-central-1", null),
        Arguments.of("sa-east-1", null), Arguments.of("me-central-1", null));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("geographies")
  void knows_the_profile_geography_of_a_region(String region, String geography) {
    assertThat(ClaudeModelNames.geography(region)).isEqualTo(geography);
  }
}
