package io.github.bedrockgateway.openai.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which Bedrock ids are embedding models the route serves. */
class EmbeddingModelTest {

  static Stream<Arguments> ids() {
    return Stream.of(
        Arguments.of("amazon.titan-embed-text-v2:0", Optional.of(EmbeddingModel.TITAN_TEXT_V2)),
        Arguments.of(
            "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0",
            Optional.of(EmbeddingModel.TITAN_TEXT_V2)),
        Arguments.of("cohere.embed-english-v3", Optional.of(EmbeddingModel.COHERE_V3)),
        Arguments.of("cohere.embed-multilingual-v3", Optional.of(EmbeddingModel.COHERE_V3)),
        Arguments.of("cohere.embed-v4:0", Optional.of(EmbeddingModel.COHERE_V4)),
        Arguments.of("us.cohere.embed-v4:0", Optional.of(EmbeddingModel.COHERE_V4)),
        Arguments.of("eu.cohere.embed-v4:0", Optional.of(EmbeddingModel.COHERE_V4)),
        Arguments.of(
            "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.cohere.embed-v4:0",
            Optional.of(EmbeddingModel.COHERE_V4)),
        Arguments.of("Cohere.Embed-English-V3", Optional.of(EmbeddingModel.COHERE_V3)),
        // served by other routes, or embedding models this route does not serve
        Arguments.of("amazon.titan-embed-text-v1", Optional.empty()),
        Arguments.of("amazon.titan-embed-image-v1", Optional.empty()),
        Arguments.of("us.anthropic.claude-sonnet-4-20250514-v1:0", Optional.empty()),
        Arguments.of("text-embedding-3-small", Optional.empty()),
        // an application inference profile does not say which model it calls
        Arguments.of(
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3x9q2example",
            Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ids")
  void recognises(String bedrockModelId, Optional<EmbeddingModel> expected) {
    assertThat(EmbeddingModel.of(bedrockModelId)).isEqualTo(expected);
  }
}
