package io.github.bedrockgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.error.GatewayException;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;

/**
 * Bedrock refusing the gateway's own credentials or API key: a 502 naming the strategy, which
 * routes retry once after a refresh.
 */
class BedrockErrorMapperCredentialsTest {

  record Case(
      String name,
      BedrockErrorMapper.Signing signing,
      int status,
      String code,
      String bedrockMessage,
      int expectedStatus,
      String expectedCode,
      String expectedMessage) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final BedrockErrorMapper.Signing API_KEY =
      new BedrockErrorMapper.Signing("bedrock-api-key", true);
  static final BedrockErrorMapper.Signing ROLE =
      new BedrockErrorMapper.Signing("assume-role", false);
  static final String SUFFIX_OF = " (Bedrock %s, request id req-1)";

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "an expired short-term key",
            API_KEY,
            403,
            "ExpiredTokenException",
            "The security token included in the request is expired",
            502,
            "upstream_authentication_failed",
            "Bedrock refused the gateway's Bedrock API key (credentials strategy "
                + "'bedrock-api-key'): The security token included in the request is expired. The gateway operator must replace "
                + "the key."
                + SUFFIX_OF.formatted("ExpiredTokenException")),
        new Case(
            "an unknown long-term key",
            API_KEY,
            403,
            "AccessDeniedException",
            "Authentication failed: Please make sure your API Key is valid.",
            502,
            "upstream_authentication_failed",
            "Bedrock refused the gateway's Bedrock API key (credentials strategy "
                + "'bedrock-api-key'): Authentication failed: Please make sure your API Key is valid. The gateway operator must "
                + "replace the key."
                + SUFFIX_OF.formatted("AccessDeniedException")),
        new Case(
            "a key with a wrong prefix",
            API_KEY,
            403,
            "AccessDeniedException",
            "Invalid API Key format: Must start with pre-defined prefix",
            502,
            "upstream_authentication_failed",
            "Bedrock refused the gateway's Bedrock API key (credentials strategy "
                + "'bedrock-api-key'): Invalid API Key format: Must start with pre-defined prefix. The gateway operator must "
                + "replace the key."
                + SUFFIX_OF.formatted("AccessDeniedException")),
        new Case(
            "no bedrock:CallWithBearerToken",
            API_KEY,
            403,
            "AccessDeniedException",
            "User: arn:aws:iam::123456789012:user/"
                + "BedrockAPIKey_1 is not authorized to perform: bedrock:CallWithBearerToken on resource: *",
            502,
            "upstream_authentication_failed",
            "Bedrock refused the gateway's Bedrock API key (credentials strategy "
                + "'bedrock-api-key'): User: arn:aws:iam::123456789012:user/BedrockAPIKey_1 is not authorized to perform: "
                + "bedrock:CallWithBearerToken on resource: *. The gateway operator must replace the key."
                + SUFFIX_OF.formatted("AccessDeniedException")),
        new Case(
            "a key whose identity lacks the model: the client's model is at stake",
            API_KEY,
            403,
            "AccessDeniedException",
            "You don't have access to the model with the specified model ID.",
            403,
            "model_access_denied",
            "You don't have access to the model with the specified model ID."
                + SUFFIX_OF.formatted("AccessDeniedException")),
        new Case(
            "role credentials refused",
            ROLE,
            403,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
            502,
            "upstream_authentication_failed",
            "Bedrock refused the gateway's AWS credentials (credentials strategy "
                + "'assume-role'); the gateway operator must fix them."
                + SUFFIX_OF.formatted("UnrecognizedClientException")));
  }

  @AfterEach
  void reset() {
    BedrockErrorMapper.signing(new BedrockErrorMapper.Signing(null, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void a_refusal_of_the_gateways_own_credentials_names_the_strategy(Case c) {
    BedrockErrorMapper.signing(c.signing());
    BedrockRuntimeException refused =
        (BedrockRuntimeException)
            BedrockRuntimeException.builder()
                .statusCode(c.status())
                .requestId("req-1")
                .awsErrorDetails(
                    AwsErrorDetails.builder()
                        .errorCode(c.code())
                        .errorMessage(c.bedrockMessage())
                        .build())
                .build();

    GatewayException mapped = BedrockErrorMapper.map(new CompletionException(refused));

    assertThat(mapped.status()).isEqualTo(c.expectedStatus());
    assertThat(mapped.code()).isEqualTo(c.expectedCode());
    assertThat(mapped.getMessage()).isEqualTo(c.expectedMessage());
  }
}
