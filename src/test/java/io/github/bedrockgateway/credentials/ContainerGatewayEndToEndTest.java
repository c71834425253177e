package io.github.bedrockgateway.credentials;

import static io.github.bedrockgateway.credentials.GatewaySigning.assertChatSignedWith;
import static io.github.bedrockgateway.credentials.GatewaySigning.assertRefusedWhileUntrusted;
import static io.github.bedrockgateway.credentials.GatewaySigning.trust;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.EmbeddedSimulator;
import io.github.bedrockgateway.simulator.credentials.FakeContainerCredentials;
import io.github.bedrockgateway.simulator.credentials.IssuedCredentials;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The gateway on the container strategy against the fake container credentials endpoint: chat
 * requests reach the Bedrock simulator signed with exactly the credentials the endpoint served, and
 * every call to the endpoint carried the authorization token.
 */
@QuarkusTest
@WithTestResource(FakeContainerCredentialsTestResource.class)
@TestProfile(ContainerGatewayEndToEndTest.OwnApp.class)
class ContainerGatewayEndToEndTest {

    /** An app (and fake agent) of its own. */
    public static class OwnApp implements QuarkusTestProfile {
    }

    @Inject
    EmbeddedSimulator embedded;

    @Inject
    AwsCredentialsProvider provider;

    @Inject
    CredentialsManager manager;

    @Test
    void chat_requests_are_signed_with_the_credentials_the_container_endpoint_served() {
        BedrockSimulator simulator = embedded.simulator();
        FakeContainerCredentials agent = FakeContainerCredentialsTestResource.agent;
        assertThat(manager.strategyName()).isEqualTo("container");

        assertRefusedWhileUntrusted(simulator);

        trust(simulator, agent.issued());
        agent.onIssued(c -> trust(simulator, c));
        String key = provider.resolveCredentials().accessKeyId();
        assertThat(agent.issued()).extracting(IssuedCredentials::accessKeyId).contains(key);
        assertChatSignedWith(simulator, key);

        assertThat(agent.calls()).isNotEmpty().allSatisfy(call -> {
            assertThat(call.authorization()).isEqualTo(FakeContainerCredentialsTestResource.AUTHORIZATION_TOKEN);
            assertThat(call.status()).isEqualTo(200);
        });
    }
}
