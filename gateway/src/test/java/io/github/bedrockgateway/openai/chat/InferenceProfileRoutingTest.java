package io.github.bedrockgateway.openai.chat;

import static io.github.bedrockgateway.openai.chat.ChatCompletionsEndToEndTest.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.github.bedrockgateway.simulator.RecordedRequest;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inference profile ids and ARNs sent as {@code model} reach Bedrock as one correctly encoded path
 * segment ({@code :} as {@code %3A}, an ARN's {@code /} as {@code %2F}), streaming or not.
 */
@QuarkusTest
class InferenceProfileRoutingTest {

  @Inject EmbeddedSimulator embedded;

  @BeforeEach
  void reset() {
    embedded.simulator().clearRequests();
  }

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of(
            "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "global.anthropic.claude-sonnet-4-5-20250929-v1%3A0"),
        Arguments.of(
            "us.anthropic.claude-sonnet-4-20250514-v1:0",
            "us.anthropic.claude-sonnet-4-20250514-v1%3A0"),
        Arguments.of("eu.amazon.nova-pro-v1:0", "eu.amazon.nova-pro-v1%3A0"),
        Arguments.of(
            "apac.anthropic.claude-3-5-sonnet-20240620-v1:0",
            "apac.anthropic.claude-3-5-sonnet-20240620-v1%3A0"),
        Arguments.of(
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3x9q2example",
            "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fk3x9q2example"),
        Arguments.of(
            "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0",
            "arn%3Aaws%3Abedrock%3Aeu-west-1%3A123456789012%3Ainference-profile%2Feu.anthropic.claude-3-haiku-20240307-v1%3A0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void a_profile_id_or_arn_reaches_bedrock_as_one_encoded_segment(String model, String encoded) {
    String body =
        """
                {"model": "%s", "stream": %s, "messages": [{"role": "user", "content": "hi"}]}
                """;
    chat(body.formatted(model, false)).then().statusCode(200).body("model", equalTo(model));
    RecordedRequest plain = embedded.simulator().lastRequest();
    assertThat(plain.rawPath()).isEqualTo("/model/" + encoded + "/converse");
    assertThat(plain.modelId()).isEqualTo(model);
    assertThat(plain.errorType())
        .isNull(); // the signature, computed over the encoded path, matched

    chat(body.formatted(model, true))
        .then()
        .statusCode(200)
        .body(containsString("\"model\":\"" + model + "\""), containsString("data: [DONE]"));
    RecordedRequest streamed = embedded.simulator().lastRequest();
    assertThat(streamed.rawPath()).isEqualTo("/model/" + encoded + "/converse-stream");
    assertThat(streamed.modelId()).isEqualTo(model);
    assertThat(streamed.errorType()).isNull();
  }
}
