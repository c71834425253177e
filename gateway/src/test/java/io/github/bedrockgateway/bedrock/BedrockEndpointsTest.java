package io.github.bedrockgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** The one Bedrock Runtime endpoint resolution of the SDK clients and the pass-through. */
class BedrockEndpointsTest {

  @Test
  void a_configured_endpoint_wins_and_counts_as_an_override() {
    BedrockEndpoints.Endpoint e =
        BedrockEndpoints.runtime(
            Optional.of(URI.create("http://127.0.0.1:8089")), Region.EU_WEST_1);
    assertThat(e)
        .isEqualTo(new BedrockEndpoints.Endpoint(URI.create("http://127.0.0.1:8089"), true));
  }

  @Test
  void without_any_setting_it_is_the_regional_endpoint() {
    // the test JVM has no AWS_ENDPOINT_URL* variable (the suite configures endpoints through
    // properties)
    org.junit.jupiter.api.Assumptions.assumeTrue(
        System.getenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME") == null
            && System.getenv("AWS_ENDPOINT_URL") == null,
        "an endpoint variable is set in this environment");
    assertThat(BedrockEndpoints.runtime(Optional.empty(), Region.EU_CENTRAL_1))
        .isEqualTo(
            new BedrockEndpoints.Endpoint(
                URI.create("https://bedrock-runtime.eu-central-1.amazonaws.com"), false));
    assertThat(BedrockEndpoints.runtime(Optional.empty(), Region.CN_NORTH_1).uri())
        .isEqualTo(URI.create("https://bedrock-runtime.cn-north-1.amazonaws.com.cn"));
  }
}
