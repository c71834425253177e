package io.github.bedrockgateway.credentials;

import static io.github.bedrockgateway.credentials.GatewaySigning.assertChatSignedWith;
import static io.github.bedrockgateway.credentials.GatewaySigning.assertRefusedWhileUntrusted;
import static io.github.bedrockgateway.credentials.GatewaySigning.trust;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.EmbeddedSimulator;
import io.github.bedrockgateway.simulator.credentials.FakeImds;
import io.github.bedrockgateway.simulator.credentials.IssuedCredentials;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The gateway on the instance-role strategy against the fake IMDS: chat requests reach the Bedrock
 * simulator signed with exactly the instance profile credentials IMDS served, fetched through IMDSv2
 * only (no tokenless IMDSv1 call, also not in the forced refresh after a refusal).
 */
@QuarkusTest
@WithTestResource(FakeImdsTestResource.class)
@TestProfile(InstanceRoleGatewayEndToEndTest.OwnApp.class)
class InstanceRoleGatewayEndToEndTest {

    /** An app (and fake IMDS) of its own. */
    public static class OwnApp implements QuarkusTestProfile {
    }

    @Inject
    EmbeddedSimulator embedded;

    @Inject
    AwsCredentialsProvider provider;

    @Inject
    CredentialsManager manager;

    @Test
    void chat_requests_are_signed_with_the_instance_profile_credentials_fetched_through_imdsv2_only() {
        BedrockSimulator simulator = embedded.simulator();
        FakeImds imds = FakeImdsTestResource.imds;
        assertThat(manager.strategyName()).isEqualTo("instance-role");

        assertRefusedWhileUntrusted(simulator);

        trust(simulator, imds.issued());
        imds.onIssued(c -> trust(simulator, c));
        String key = provider.resolveCredentials().accessKeyId();
        assertThat(imds.issued()).extracting(IssuedCredentials::accessKeyId).contains(key);
        assertChatSignedWith(simulator, key);

        assertThat(imds.tokenRequests()).isPositive();
        assertThat(imds.credentialRequests()).isPositive();
        assertThat(imds.imdsV1Attempted()).as("tokenless calls: %s", imds.tokenlessRequests()).isFalse();
    }
}
