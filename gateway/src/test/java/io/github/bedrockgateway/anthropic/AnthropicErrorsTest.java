package io.github.bedrockgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The neutral error in Anthropic's statuses, types and envelope. */
class AnthropicErrorsTest {

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(
            "bad request", 400, "invalid_request_error", null, 400, "invalid_request_error"),
        Arguments.of(
            "bad key", 401, "authentication_error", "invalid_api_key", 401, "authentication_error"),
        Arguments.of(
            "no access", 403, "permission_error", "model_access_denied", 403, "permission_error"),
        Arguments.of(
            "unknown model", 404, "not_found_error", "model_not_found", 404, "not_found_error"),
        Arguments.of(
            "body too large",
            413,
            "invalid_request_error",
            "request_too_large",
            413,
            "request_too_large"),
        Arguments.of(
            "throttled", 429, "rate_limit_error", "rate_limit_exceeded", 429, "rate_limit_error"),
        Arguments.of(
            "gateway at its in-flight limit",
            503,
            "server_error",
            "overloaded",
            529,
            "overloaded_error"),
        Arguments.of(
            "Bedrock unavailable",
            503,
            "server_error",
            "upstream_unavailable",
            529,
            "overloaded_error"),
        Arguments.of(
            "model not ready", 503, "server_error", "model_not_ready", 529, "overloaded_error"),
        Arguments.of("gateway bug", 500, "server_error", null, 500, "api_error"),
        Arguments.of("upstream failure", 502, "api_error", "upstream_error", 502, "api_error"),
        Arguments.of("upstream timeout", 504, "server_error", "upstream_timeout", 504, "api_error"),
        Arguments.of("shutting down", 503, "server_error", "shutting_down", 503, "api_error"),
        Arguments.of(
            "wrong content type",
            415,
            "invalid_request_error",
            "unsupported_media_type",
            415,
            "invalid_request_error"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void renders_each_error_with_anthropics_status_and_type(
      String name, int status, String type, String code, int anthropicStatus, String anthropicType)
      throws Exception {
    GatewayException e = new GatewayException(status, type, "What happened.", null, code);
    assertThat(AnthropicErrors.status(e)).isEqualTo(anthropicStatus);
    assertThat(Json.MAPPER.readTree(AnthropicErrors.envelope(e)))
        .isEqualTo(
            Json.MAPPER.readTree(
                """
            {"type": "error", "error": {"type": "%s", "message": "What happened."}}
            """
                    .formatted(anthropicType)));
  }

  @Test
  void the_offending_field_leads_the_message_unless_the_message_names_it() {
    assertThat(
            AnthropicErrors.message(
                GatewayException.invalid("temperature", "Input should be at most 1")))
        .isEqualTo("temperature: Input should be at most 1");
    assertThat(
            AnthropicErrors.message(
                GatewayException.invalid("max_tokens", "max_tokens: Field required")))
        .isEqualTo("max_tokens: Field required");
    assertThat(AnthropicErrors.message(GatewayException.invalid(null, "The body is empty.")))
        .isEqualTo("The body is empty.");
  }

  @Test
  void a_stream_error_is_one_error_event() {
    GatewayException e =
        new GatewayException(503, "server_error", "Slow \"down\".", null, "upstream_unavailable");
    assertThat(AnthropicErrors.event(e))
        .isEqualTo(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"Slow \\\"down\\\".\"}}\n\n");
    assertThat(new String(AnthropicErrors.envelope(e), StandardCharsets.UTF_8))
        .doesNotContain("\n");
  }
}
