package io.github.bedrockgateway.credentials;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
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
 * {@code /v1/messages} on the assume-role strategy against the fake STS: when Bedrock stops
 * accepting the gateway's session, the session is refreshed and the call made once more, invisibly
 * to the client, for a stream (before its first byte) as for a plain answer. (In this package for
 * the fake STS's issued sessions.)
 */
@QuarkusTest
@WithTestResource(FakeStsTestResource.class)
@TestProfile(AnthropicCredentialsRetryTest.OwnApp.class)
class AnthropicCredentialsRetryTest {

  /** An app (and fake STS) of its own: forced refreshes here must not pace another class's. */
  public static class OwnApp implements QuarkusTestProfile {}

  @Inject EmbeddedSimulator embedded;

  @Inject AwsCredentialsProvider provider;

  private static final String STREAM =
      """
      {"model": "claude-haiku", "max_tokens": 20, "stream": true,
       "messages": [{"role": "user", "content": "@sim reply=still here"}]}""";
  private static final String PLAIN =
      """
      {"model": "claude-haiku", "max_tokens": 20, "messages": [{"role": "user", "content": "@sim reply=again"}]}""";

  @Test
  void a_refused_session_is_refreshed_and_the_call_retried_for_streams_and_plain_answers()
      throws Exception {
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

    String session = provider.resolveCredentials().accessKeyId();
    simulator.credentials().remove(session);
    simulator.clearRequests();
    given()
        .header("x-api-key", "test-key-1")
        .contentType("application/json")
        .body(STREAM)
        .when()
        .post("/v1/messages")
        .then()
        .statusCode(200)
        .body(containsString("still"))
        .body(containsString("event: message_stop"));
    List<RecordedRequest> seen = simulator.requests();
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).operation()).isEqualTo(RecordedRequest.INVOKE_STREAM);
    assertThat(seen.get(0).errorType()).isEqualTo(BedrockErrorType.UNRECOGNIZED_CLIENT_EXCEPTION);
    assertThat(seen.get(1).accessKeyId()).isNotEqualTo(session).startsWith("ASIA");
    assertThat(seen.get(1).errorType()).isNull();

    // Forced refreshes closer together than 5 s share one result (RefreshingCredentialsProvider's
    // pacing): wait past it before revoking the new session.
    Thread.sleep(5_500);
    String second = provider.resolveCredentials().accessKeyId();
    simulator.credentials().remove(second);
    simulator.clearRequests();
    given()
        .header("x-api-key", "test-key-1")
        .contentType("application/json")
        .body(PLAIN)
        .when()
        .post("/v1/messages")
        .then()
        .statusCode(200)
        .body("content[0].text", equalTo("again"));
    seen = simulator.requests();
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).operation()).isEqualTo(RecordedRequest.INVOKE);
    assertThat(seen.get(0).errorType()).isEqualTo(BedrockErrorType.UNRECOGNIZED_CLIENT_EXCEPTION);
    assertThat(seen.get(1).accessKeyId()).isNotEqualTo(second);
    assertThat(seen.get(1).errorType()).isNull();
  }
}
