package io.github.bedrockgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.RecordedRequest.AuthScheme;
import io.github.bedrockgateway.simulator.ShortTermKeys;
import io.github.bedrockgateway.simulator.SimulatorCredentials;
import io.github.bedrockgateway.simulator.SimulatorOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.auth.scheme.BedrockRuntimeAuthSchemeProvider;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;

/**
 * Why the gateway's clients always name their auth scheme ({@link Signer}): with {@code
 * AWS_BEARER_TOKEN_BEDROCK} (here its system property) set, an SDK client left alone sends that key
 * instead of its SigV4 credentials; one that prefers SigV4 keeps signing.
 */
class SignerSchemeTest {

  static BedrockSimulator simulator;

  @BeforeAll
  static void start() {
    simulator = new BedrockSimulator(SimulatorOptions.builder().port(0).build());
    simulator.start();
  }

  @AfterAll
  static void stop() {
    simulator.stop();
  }

  @AfterEach
  void clear() {
    System.clearProperty("aws.bearerTokenBedrock");
  }

  private AuthScheme schemeOfOneCall(boolean preferSigV4) {
    System.setProperty(
        "aws.bearerTokenBedrock",
        ShortTermKeys.mint(
            SimulatorCredentials.DEV_ACCESS_KEY_ID,
            SimulatorCredentials.DEV_SECRET_ACCESS_KEY,
            "us-east-1",
            Instant.now(),
            Duration.ofHours(1)));
    BedrockRuntimeClientBuilder builder =
        BedrockRuntimeClient.builder()
            .endpointOverride(simulator.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        SimulatorCredentials.DEV_ACCESS_KEY_ID,
                        SimulatorCredentials.DEV_SECRET_ACCESS_KEY)));
    if (preferSigV4) {
      builder.authSchemeProvider(
          BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of(Signer.SIGV4)));
    }
    try (BedrockRuntimeClient client = builder.build()) {
      client.converse(
          r ->
              r.modelId("anthropic.claude-3-5-haiku-20241022-v1:0")
                  .messages(
                      m -> m.role(ConversationRole.USER).content(ContentBlock.fromText("hi"))));
    }
    return simulator.lastRequest().authScheme();
  }

  @Test
  void left_alone_the_sdk_switches_to_the_bearer_key_of_the_environment() {
    assertThat(schemeOfOneCall(false)).isEqualTo(AuthScheme.BEARER);
  }

  @Test
  void preferring_sigv4_keeps_signing_with_the_credentials() {
    assertThat(schemeOfOneCall(true)).isEqualTo(AuthScheme.SIGV4);
  }
}
