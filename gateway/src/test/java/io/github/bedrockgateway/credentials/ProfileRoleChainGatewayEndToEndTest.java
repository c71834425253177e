package io.github.bedrockgateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.simulator.credentials.FakeSts;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * The gateway on the profile strategy with a {@code role_arn} + {@code source_profile} profile: the
 * SDK assumes the role at the fake STS with the source profile's keys, and chat requests reach the
 * Bedrock simulator signed with exactly the session STS issued.
 */
@QuarkusTest
@WithTestResource(
    value = ProfileFilesTestResource.class,
    initArgs = @ResourceArg(name = "profile", value = ProfileFilesTestResource.CHAINED_PROFILE))
@TestProfile(ProfileRoleChainGatewayEndToEndTest.OwnApp.class)
class ProfileRoleChainGatewayEndToEndTest extends StrategyGatewayTest {

  /** An app (and profile files, fake STS) of its own. */
  public static class OwnApp implements QuarkusTestProfile {}

  @Test
  void chat_requests_are_signed_with_the_session_the_profile_role_chain_got_from_sts() {
    FakeSts sts = ProfileFilesTestResource.sts;
    String session = assertChatSignedWithIssued("profile", sts);
    assertThat(session).startsWith("ASIA");

    assertThat(sts.calls())
        .isNotEmpty()
        .allSatisfy(
            call -> {
              assertThat(call.action()).isEqualTo("AssumeRole");
              assertThat(call.roleArn()).isEqualTo(CredentialsTestSupport.ROLE_ARN);
              assertThat(call.callerAccessKeyId()).isEqualTo(CredentialsTestSupport.BASE_KEY_ID);
              assertThat(call.roleSessionName())
                  .isEqualTo(ProfileFilesTestResource.CHAINED_SESSION_NAME);
              assertThat(call.status()).isEqualTo(200);
            });
  }
}
