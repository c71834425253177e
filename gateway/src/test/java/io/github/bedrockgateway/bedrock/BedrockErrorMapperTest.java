package io.github.bedrockgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.error.GatewayException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * An exception raised inside an event stream gets the same answer as the same error before the
 * stream.
 */
class BedrockErrorMapperTest {

  static Stream<Arguments> inStream() {
    return Stream.of(
        Arguments.of(
            ServiceUnavailableException.builder()
                .statusCode(503)
                .awsErrorDetails(details("serviceUnavailableException"))
                .build(),
            503,
            "upstream_unavailable"),
        Arguments.of(
            ThrottlingException.builder()
                .statusCode(429)
                .awsErrorDetails(details("throttlingException"))
                .build(),
            429,
            "rate_limit_exceeded"),
        Arguments.of(
            ValidationException.builder()
                .statusCode(400)
                .awsErrorDetails(details("validationException"))
                .build(),
            400,
            null),
        Arguments.of(
            ModelStreamErrorException.builder()
                .statusCode(424)
                .awsErrorDetails(details("modelStreamErrorException"))
                .build(),
            502,
            "model_error"),
        // the event-type name decides, not the status the SDK put on the in-stream exception
        Arguments.of(
            ModelStreamErrorException.builder()
                .statusCode(400)
                .awsErrorDetails(details("modelStreamErrorException"))
                .build(),
            502,
            "model_error"),
        Arguments.of(
            ThrottlingException.builder()
                .statusCode(400)
                .awsErrorDetails(details("throttlingException"))
                .build(),
            429,
            "rate_limit_exceeded"));
  }

  private static AwsErrorDetails details(String code) {
    return AwsErrorDetails.builder().errorCode(code).errorMessage("what Bedrock said").build();
  }

  @ParameterizedTest(name = "{1} {2}")
  @MethodSource("inStream")
  void maps_an_in_stream_exception_like_its_http_twin(Exception e, int status, String code) {
    GatewayException mapped = BedrockErrorMapper.map(e);
    assertThat(mapped.status()).isEqualTo(status);
    assertThat(mapped.code()).isEqualTo(code);
    assertThat(mapped.getMessage()).contains("what Bedrock said");
  }
}
