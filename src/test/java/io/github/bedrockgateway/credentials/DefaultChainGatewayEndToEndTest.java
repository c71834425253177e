package io.github.bedrockgateway.credentials;

import static io.github.bedrockgateway.credentials.GatewaySigning.assertChatSignedWith;
import static io.github.bedrockgateway.credentials.GatewaySigning.assertRefusedWhileUntrusted;
import static io.github.bedrockgateway.credentials.GatewaySigning.trust;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.EmbeddedSimulator;
import io.github.bedrockgateway.simulator.SimulatorCredentials;
import io.github.bedrockgateway.simulator.credentials.FakeContainerCredentials;
import io.github.bedrockgateway.simulator.credentials.IssuedCredentials;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The gateway on the default strategy (the AWS SDK default chain) where the only source the chain
 * finds is a container credentials endpoint: chat requests reach the Bedrock simulator signed with
 * exactly the credentials the fake endpoint served, not the %test dev pair (which is application
 * configuration, invisible to the SDK chain).
 */
@QuarkusTest
@WithTestResource(value = FakeContainerCredentialsTestResource.class,
        initArgs = @ResourceArg(name = "strategy", value = "default"))
@TestProfile(DefaultChainGatewayEndToEndTest.OwnApp.class)
class DefaultChainGatewayEndToEndTest {

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
    void chat_requests_are_signed_with_what_the_default_chain_found() {
        BedrockSimulator simulator = embedded.simulator();
        FakeContainerCredentials agent = FakeContainerCredentialsTestResource.agent;
        assertThat(manager.strategyName()).isEqualTo("default");

        assertRefusedWhileUntrusted(simulator);

        trust(simulator, agent.issued());
        agent.onIssued(c -> trust(simulator, c));
        String key = provider.resolveCredentials().accessKeyId();
        assertThat(key).isNotEqualTo(SimulatorCredentials.DEV_ACCESS_KEY_ID);
        assertThat(agent.issued()).extracting(IssuedCredentials::accessKeyId).contains(key);
        assertChatSignedWith(simulator, key);
        assertThat(agent.calls()).isNotEmpty().allSatisfy(call ->
                assertThat(call.authorization()).isEqualTo(FakeContainerCredentialsTestResource.AUTHORIZATION_TOKEN));
    }
}
