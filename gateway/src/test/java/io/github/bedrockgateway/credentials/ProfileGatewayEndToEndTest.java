package io.github.bedrockgateway.credentials;

import static io.github.bedrockgateway.credentials.GatewaySigning.assertChatSignedWith;
import static io.github.bedrockgateway.credentials.GatewaySigning.assertRefusedWhileUntrusted;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * The gateway on the profile strategy with a named profile holding long-term keys in a temporary
 * credentials file: chat requests reach the Bedrock simulator signed with exactly those keys (not
 * the %test static pair, which the simulator also accepts).
 */
@QuarkusTest
@WithTestResource(
    value = ProfileFilesTestResource.class,
    initArgs = @ResourceArg(name = "profile", value = ProfileFilesTestResource.STATIC_PROFILE))
@TestProfile(ProfileGatewayEndToEndTest.OwnApp.class)
class ProfileGatewayEndToEndTest extends StrategyGatewayTest {

  /** An app (and profile files) of its own. */
  public static class OwnApp implements QuarkusTestProfile {}

  @Test
  void chat_requests_are_signed_with_the_keys_of_the_named_profile() {
    BedrockSimulator simulator = simulator();
    assertThat(manager.strategyName()).isEqualTo("profile");
    assertThat(provider.resolveCredentials().accessKeyId())
        .isEqualTo(ProfileFilesTestResource.PROFILE_KEY_ID);

    assertRefusedWhileUntrusted(simulator);

    simulator
        .credentials()
        .register(ProfileFilesTestResource.PROFILE_KEY_ID, ProfileFilesTestResource.PROFILE_SECRET);
    assertChatSignedWith(simulator, ProfileFilesTestResource.PROFILE_KEY_ID);
    assertThat(ProfileFilesTestResource.sts.calls()).as("a key profile needs no STS").isEmpty();
  }
}
