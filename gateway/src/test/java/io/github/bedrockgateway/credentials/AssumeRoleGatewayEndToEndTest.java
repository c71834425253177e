package io.github.bedrockgateway.credentials;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.github.bedrockgateway.simulator.BedrockErrorType;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.RecordedRequest;
import io.github.bedrockgateway.simulator.credentials.IssuedCredentials;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The gateway on the assume-role strategy against the fake STS: chat requests reach the Bedrock
 * simulator signed with exactly the session STS issued, and a session Bedrock refuses is refreshed
 * and the request retried once, invisibly to the client.
 */
@QuarkusTest
@WithTestResource(FakeStsTestResource.class)
@TestProfile(AssumeRoleGatewayEndToEndTest.OwnApp.class)
class AssumeRoleGatewayEndToEndTest {

  /** An app (and fake STS) of its own: the forced refresh here must not pace another class's. */
  public static class OwnApp implements QuarkusTestProfile {}

  @Inject EmbeddedSimulator embedded;

  @Inject AwsCredentialsProvider provider;

  private static final String BODY =
      "{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";

  private BedrockSimulator simulatorTrustingSts() {
    BedrockSimulator simulator = embedded.simulator();
    for (IssuedCredentials c : FakeStsTestResource.sts.issued()) {
      simulator
          .credentials()
          .register(c.accessKeyId(), c.secretAccessKey(), c.sessionToken(), c.expiration());
    }
    FakeStsTestResource.sts.onIssued(
        c ->
            simulator
                .credentials()
                .register(c.accessKeyId(), c.secretAccessKey(), c.sessionToken(), c.expiration()));
    simulator.clearRequests();
    return simulator;
  }

  @Test
  void
      chat_requests_are_signed_with_the_session_sts_issued_and_a_refused_session_is_refreshed_and_retried() {
    BedrockSimulator simulator = simulatorTrustingSts();
    String session = provider.resolveCredentials().accessKeyId();
    assertThat(session).startsWith("ASIA");

    given()
        .header("Authorization", "Bearer test-key-1")
        .contentType("application/json")
        .body(BODY)
        .when()
        .post("/v1/chat/completions")
        .then()
        .statusCode(200);
    assertThat(simulator.lastRequest().accessKeyId()).isEqualTo(session);
    assertThat(simulator.lastRequest().errorType()).isNull();

    // Bedrock stops accepting the session (revoked): the gateway refreshes and retries once.
    simulator.credentials().remove(session);
    simulator.clearRequests();
    given()
        .header("Authorization", "Bearer test-key-1")
        .contentType("application/json")
        .body(BODY)
        .when()
        .post("/v1/chat/completions")
        .then()
        .statusCode(200)
        .body("choices[0].message.content", equalTo("hi"));
    List<RecordedRequest> seen = simulator.requests();
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).accessKeyId()).isEqualTo(session);
    assertThat(seen.get(0).errorType()).isEqualTo(BedrockErrorType.UNRECOGNIZED_CLIENT_EXCEPTION);
    assertThat(seen.get(1).accessKeyId()).isNotEqualTo(session).startsWith("ASIA");
    assertThat(seen.get(1).errorType()).isNull();
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo(seen.get(1).accessKeyId());
  }
}
