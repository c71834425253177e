package io.github.bedrockgateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.simulator.SimulatorCredentials;
import io.github.bedrockgateway.simulator.credentials.FakeContainerCredentials;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * The gateway on the default strategy (the AWS SDK default chain) where the only source the chain
 * finds is a container credentials endpoint: chat requests reach the Bedrock simulator signed with
 * exactly the credentials the fake endpoint served, not the %test dev pair (which is application
 * configuration, invisible to the SDK chain).
 */
@QuarkusTest
@WithTestResource(
    value = FakeContainerCredentialsTestResource.class,
    initArgs = @ResourceArg(name = "strategy", value = "default"))
@TestProfile(DefaultChainGatewayEndToEndTest.OwnApp.class)
class DefaultChainGatewayEndToEndTest extends StrategyGatewayTest {

  /** An app (and fake agent) of its own. */
  public static class OwnApp implements QuarkusTestProfile {}

  @Test
  void chat_requests_are_signed_with_what_the_default_chain_found() {
    FakeContainerCredentials agent = FakeContainerCredentialsTestResource.agent;
    String key = assertChatSignedWithIssued("default", agent);
    assertThat(key).isNotEqualTo(SimulatorCredentials.DEV_ACCESS_KEY_ID);
    assertThat(agent.calls())
        .isNotEmpty()
        .allSatisfy(
            call ->
                assertThat(call.authorization())
                    .isEqualTo(FakeContainerCredentialsTestResource.AUTHORIZATION_TOKEN));
  }
}
