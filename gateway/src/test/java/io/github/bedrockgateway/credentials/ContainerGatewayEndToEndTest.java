package io.github.bedrockgateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.simulator.credentials.FakeContainerCredentials;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * The gateway on the container strategy against the fake container credentials endpoint: chat
 * requests reach the Bedrock simulator signed with exactly the credentials the endpoint served, and
 * every call to the endpoint carried the authorization token.
 */
@QuarkusTest
@WithTestResource(FakeContainerCredentialsTestResource.class)
@TestProfile(ContainerGatewayEndToEndTest.OwnApp.class)
class ContainerGatewayEndToEndTest extends StrategyGatewayTest {

  /** An app (and fake agent) of its own. */
  public static class OwnApp implements QuarkusTestProfile {}

  @Test
  void chat_requests_are_signed_with_the_credentials_the_container_endpoint_served() {
    FakeContainerCredentials agent = FakeContainerCredentialsTestResource.agent;
    assertChatSignedWithIssued("container", agent);

    assertThat(agent.calls())
        .isNotEmpty()
        .allSatisfy(
            call -> {
              assertThat(call.authorization())
                  .isEqualTo(FakeContainerCredentialsTestResource.AUTHORIZATION_TOKEN);
              assertThat(call.status()).isEqualTo(200);
            });
  }
}
