package io.github.bedrockgateway.passthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.bedrock.ModelCatalog;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Bedrock id called for a client's model id: catalog aliases first, then the built-in Claude
 * names.
 */
class ModelIdsTest {

  static final ModelCatalog CATALOG =
      ModelCatalog.parse(
          List.of(
              "gpt-4o=us.anthropic.claude-sonnet-4-20250514-v1:0",
              "claude-sonnet-4-5=eu.anthropic.claude-sonnet-4-5-20250929-v1:0"));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "an alias", "us-east-1", "gpt-4o", "us.anthropic.claude-sonnet-4-20250514-v1:0"),
        Arguments.of(
            "an alias wins over the built-in name",
            "us-east-1",
            "claude-sonnet-4-5",
            "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"),
        Arguments.of(
            "an Anthropic name becomes the region's profile",
            "eu-west-1",
            "claude-haiku-4-5",
            "eu.anthropic.claude-haiku-4-5-20251001-v1:0"),
        Arguments.of(
            "an unversioned profile id is completed",
            "us-east-1",
            "us.anthropic.claude-opus-4-1",
            "us.anthropic.claude-opus-4-1-20250805-v1:0"),
        Arguments.of(
            "Claude Code's id of a model newer than the table stays",
            "us-east-1",
            "us.anthropic.claude-opus-5-5",
            "us.anthropic.claude-opus-5-5"),
        Arguments.of(
            "a versioned id goes as it is",
            "us-east-1",
            "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
            "us.anthropic.claude-3-7-sonnet-20250219-v1:0"),
        Arguments.of(
            "an ARN goes as it is",
            "us-east-1",
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3x9q2example",
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3x9q2example"),
        Arguments.of(
            "another provider's model goes as it is",
            "us-east-1",
            "amazon.nova-pro-v1:0",
            "amazon.nova-pro-v1:0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resolves_the_bedrock_id(String name, String region, String clientId, String expected) {
    assertThat(new ModelIds(CATALOG, region).resolve(clientId)).isEqualTo(expected);
  }
}
