package io.github.bedrockgateway.credentials;

import static io.github.bedrockgateway.credentials.GatewaySigning.assertChatSignedWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.credentials.FakeSts;
import io.github.bedrockgateway.simulator.credentials.IssuedCredentials;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gateway on the web-identity strategy (IRSA-style settings) against the fake STS: chat
 * requests reach the Bedrock simulator signed with exactly the session AssumeRoleWithWebIdentity
 * issued for the token in the file, and after the token file is rotated the next forced refresh
 * sends the new token and requests are signed with the new session.
 */
@QuarkusTest
@WithTestResource(FakeStsWebIdentityTestResource.class)
@TestProfile(WebIdentityGatewayEndToEndTest.OwnApp.class)
class WebIdentityGatewayEndToEndTest extends StrategyGatewayTest {

  /** An app (and fake STS) of its own. */
  public static class OwnApp implements QuarkusTestProfile {}

  @Test
  void
      chat_requests_are_signed_with_the_web_identity_session_and_a_rotated_token_is_used_at_the_next_refresh()
          throws Exception {
    BedrockSimulator simulator = simulator();
    FakeSts sts = FakeStsWebIdentityTestResource.sts;
    String session = assertChatSignedWithIssued("web-identity", sts);
    assertThat(session).startsWith("ASIA");

    List<FakeSts.Call> calls = sts.calls();
    assertThat(calls)
        .isNotEmpty()
        .allSatisfy(
            call -> {
              assertThat(call.action()).isEqualTo("AssumeRoleWithWebIdentity");
              assertThat(call.callerAccessKeyId()).as("unsigned").isNull();
              assertThat(call.roleArn()).isEqualTo(CredentialsTestSupport.ROLE_ARN);
              assertThat(call.roleSessionName()).isEqualTo("irsa-e2e");
              assertThat(call.webIdentityToken())
                  .isEqualTo(FakeStsWebIdentityTestResource.FIRST_TOKEN);
            });

    // The kubelet rotates the projected token; from now on STS only accepts the new one.
    Files.writeString(
        FakeStsWebIdentityTestResource.tokenFile,
        FakeStsWebIdentityTestResource.SECOND_TOKEN + "\n");
    int before = sts.calls().size();
    // Forced refreshes within the pacing interval share the last one's result: ask until a new one
    // runs.
    CredentialsTestSupport.await(
        "a forced refresh with the rotated token",
        Duration.ofSeconds(30),
        () -> {
          try {
            manager.refreshNow().get(10, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          return sts.calls().size() > before;
        });
    FakeSts.Call refresh = sts.calls().get(sts.calls().size() - 1);
    assertThat(refresh.webIdentityToken()).isEqualTo(FakeStsWebIdentityTestResource.SECOND_TOKEN);
    assertThat(refresh.status()).isEqualTo(200);

    String rotated = provider.resolveCredentials().accessKeyId();
    List<IssuedCredentials> issued = sts.issued();
    assertThat(rotated)
        .isNotEqualTo(session)
        .isEqualTo(issued.get(issued.size() - 1).accessKeyId());
    assertChatSignedWith(simulator, rotated);
  }
}
