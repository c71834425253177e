package io.github.bedrockgateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.simulator.credentials.FakeImds;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * The gateway on the instance-role strategy against the fake IMDS: chat requests reach the Bedrock
 * simulator signed with exactly the instance profile credentials IMDS served, fetched through
 * IMDSv2 only (no tokenless IMDSv1 call, also not in the forced refresh after a refusal).
 */
@QuarkusTest
@WithTestResource(FakeImdsTestResource.class)
@TestProfile(InstanceRoleGatewayEndToEndTest.OwnApp.class)
class InstanceRoleGatewayEndToEndTest extends StrategyGatewayTest {

  /** An app (and fake IMDS) of its own. */
  public static class OwnApp implements QuarkusTestProfile {}

  @Test
  void
      chat_requests_are_signed_with_the_instance_profile_credentials_fetched_through_imdsv2_only() {
    FakeImds imds = FakeImdsTestResource.imds;
    assertChatSignedWithIssued("instance-role", imds);

    assertThat(imds.tokenRequests()).isPositive();
    assertThat(imds.credentialRequests()).isPositive();
    assertThat(imds.imdsV1Attempted())
        .as("tokenless calls: %s", imds.tokenlessRequests())
        .isFalse();
  }
}
