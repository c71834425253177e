package io.github.bedrockgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where each Bedrock plane is reached, and the one sentence a malformed override gets. */
class EndpointsTest {

  @Test
  void the_gateway_setting_wins_then_the_service_variable_then_the_generic_one() {
    Map<String, String> env =
        Map.of(
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
            "http://runtime:1",
            "AWS_ENDPOINT_URL_BEDROCK",
            "http://control:2",
            "AWS_ENDPOINT_URL",
            "http://any:3");
    assertThat(Endpoints.runtime(Optional.of("https://mine:4"), env))
        .hasValueSatisfying(
            o -> {
              assertThat(o.uri()).hasToString("https://mine:4");
              assertThat(o.setting())
                  .isEqualTo("gateway.bedrock.endpoint (GATEWAY_BEDROCK_ENDPOINT)");
            });
    assertThat(Endpoints.runtime(Optional.empty(), env))
        .hasValueSatisfying(
            o -> assertThat(o.setting()).isEqualTo("AWS_ENDPOINT_URL_BEDROCK_RUNTIME"));
    assertThat(Endpoints.control(Optional.empty(), env))
        .hasValueSatisfying(o -> assertThat(o.uri()).hasToString("http://control:2"));
    assertThat(Endpoints.control(Optional.empty(), Map.of("AWS_ENDPOINT_URL", "http://any:3")))
        .hasValueSatisfying(o -> assertThat(o.setting()).isEqualTo("AWS_ENDPOINT_URL"));
    // the runtime variable alone does not move the control plane: the AWS convention
    assertThat(
            Endpoints.control(
                Optional.empty(), Map.of("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://runtime:1")))
        .isEmpty();
    assertThat(Endpoints.regional("bedrock", "eu-west-1"))
        .isEqualTo("https://bedrock.eu-west-1.amazonaws.com");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "localhost:8089 | 'localhost:8089', which has no http:// or https:// in front: write the endpoint as a URL, e.g. http://localhost:8089.",
        "127.0.0.1:8089 | '127.0.0.1:8089', which has no http:// or https:// in front: write the endpoint as a URL, e.g. http://127.0.0.1:8089.",
        "bedrock.internal | 'bedrock.internal', which has no http:// or https:// in front: write the endpoint as a URL, e.g. http://bedrock.internal.",
        "ftp://host:21 | 'ftp://host:21', whose scheme is 'ftp', not http or https: write the endpoint as a URL, e.g. http://localhost:8089.",
        "http://exa mple | 'http://exa mple', which is not a URL: write the endpoint as a URL, e.g. http://localhost:8089."
      })
  void a_value_that_is_not_an_http_url_stops_startup_with_one_sentence(
      String value, String expected) {
    assertThatThrownBy(
            () ->
                Endpoints.runtime(
                    Optional.empty(), Map.of("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", value)))
        .isInstanceOf(ConfigurationException.class)
        .hasNoCause()
        .hasMessage(
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME is " + expected + " See docs/configuration.md.");
  }
}
