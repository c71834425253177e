package io.github.bedrockgateway.passthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.error.GatewayException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The gateway's own errors as the Bedrock exceptions an AWS SDK knows. */
class BedrockErrorsTest {

  static Stream<Arguments> shapes() {
    return Stream.of(
        Arguments.of(
            "missing or wrong gateway key",
            new GatewayException(
                401,
                GatewayException.AUTHENTICATION,
                "Incorrect API key provided.",
                null,
                "invalid_api_key"),
            new BedrockErrors.Shape("UnrecognizedClientException", 403)),
        Arguments.of(
            "permission",
            new GatewayException(403, GatewayException.PERMISSION, "x", null, null),
            new BedrockErrors.Shape("AccessDeniedException", 403)),
        Arguments.of(
            "invalid request",
            GatewayException.invalid("messages", "Too many"),
            new BedrockErrors.Shape("ValidationException", 400)),
        Arguments.of(
            "body not JSON",
            new GatewayException(
                400, GatewayException.INVALID_REQUEST, "x", null, BedrockErrors.SERIALIZATION),
            new BedrockErrors.Shape("SerializationException", 400)),
        Arguments.of(
            "body too large",
            new GatewayException(
                413, GatewayException.INVALID_REQUEST, "x", null, "request_too_large"),
            new BedrockErrors.Shape("ValidationException", 413)),
        Arguments.of(
            "unknown path",
            new GatewayException(
                404, GatewayException.NOT_FOUND, "x", null, BedrockErrors.UNKNOWN_OPERATION),
            new BedrockErrors.Shape("UnknownOperationException", 404)),
        Arguments.of(
            "unknown profile",
            new GatewayException(404, GatewayException.NOT_FOUND, "x", null, null),
            new BedrockErrors.Shape("ResourceNotFoundException", 404)),
        Arguments.of(
            "gateway at its in-flight limit",
            new GatewayException(503, GatewayException.SERVER_ERROR, "x", null, "overloaded"),
            new BedrockErrors.Shape("ServiceUnavailableException", 503)),
        Arguments.of(
            "throttled",
            new GatewayException(429, GatewayException.RATE_LIMIT, "x", null, null),
            new BedrockErrors.Shape("ThrottlingException", 429)),
        Arguments.of(
            "Bedrock unreachable",
            new GatewayException(
                502, GatewayException.API_ERROR, "x", null, "upstream_unreachable"),
            new BedrockErrors.Shape("InternalServerException", 500)),
        Arguments.of(
            "Bedrock too slow",
            new GatewayException(504, GatewayException.SERVER_ERROR, "x", null, "upstream_timeout"),
            new BedrockErrors.Shape("InternalServerException", 500)),
        Arguments.of(
            "gateway bug",
            new GatewayException(500, GatewayException.SERVER_ERROR, "x", null, null),
            new BedrockErrors.Shape("InternalServerException", 500)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void renders_each_gateway_error_as_a_bedrock_exception(
      String name, GatewayException e, BedrockErrors.Shape expected) {
    assertThat(BedrockErrors.shape(e)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void the_protocol_takes_bearer_keys_and_names_requests_with_x_request_id() {
    Edge.Protocol p = BedrockErrors.protocol();
    assertThat(p.name()).isEqualTo("bedrock");
    assertThat(p.requestIdHeader()).isEqualTo("x-request-id");
    assertThat(p.keys()).isEqualTo(io.github.bedrockgateway.edge.KeySource.BEARER);
  }
}
