package io.github.bedrockgateway.credentials;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.simulator.BedrockErrorType;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.RecordedRequest;
import io.github.bedrockgateway.simulator.credentials.IssuedCredentials;
import io.restassured.response.ValidatableResponse;
import java.util.List;

/**
 * Shared steps of the per-strategy gateway tests: send a chat request through the gateway, make the
 * embedded Bedrock simulator accept credentials a fake issued, and check that a request signed with
 * credentials the simulator does not know is refused (so the signature check is real).
 */
final class GatewaySigning {

  static final String BODY =
      "{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";

  private GatewaySigning() {}

  /** {@code POST /v1/chat/completions} with the test API key. */
  static ValidatableResponse chat() {
    return given()
        .header("Authorization", "Bearer test-key-1")
        .contentType("application/json")
        .body(BODY)
        .when()
        .post("/v1/chat/completions")
        .then();
  }

  /** Makes the simulator accept these credentials (exactly: key, secret, session token, expiry). */
  static void trust(BedrockSimulator simulator, List<IssuedCredentials> issued) {
    for (IssuedCredentials c : issued) {
      trust(simulator, c);
    }
  }

  static void trust(BedrockSimulator simulator, IssuedCredentials c) {
    simulator
        .credentials()
        .register(c.accessKeyId(), c.secretAccessKey(), c.sessionToken(), c.expiration());
  }

  /**
   * While the simulator does not know the gateway's credentials, a chat request fails and every
   * call Bedrock saw was refused as an unknown key (the gateway's one forced refresh and retry
   * included).
   */
  static void assertRefusedWhileUntrusted(BedrockSimulator simulator) {
    simulator.clearRequests();
    int status = chat().extract().statusCode();
    assertThat(status)
        .as("chat status while Bedrock does not know the credentials")
        .isNotEqualTo(200);
    List<RecordedRequest> seen = simulator.requests();
    assertThat(seen)
        .isNotEmpty()
        .allSatisfy(
            r ->
                assertThat(r.errorType())
                    .isEqualTo(BedrockErrorType.UNRECOGNIZED_CLIENT_EXCEPTION));
  }

  /** A chat request succeeds, signed (and accepted) with exactly this access key. */
  static void assertChatSignedWith(BedrockSimulator simulator, String accessKeyId) {
    simulator.clearRequests();
    chat().statusCode(200);
    assertThat(simulator.requests()).hasSize(1);
    assertThat(simulator.lastRequest().accessKeyId()).isEqualTo(accessKeyId);
    assertThat(simulator.lastRequest().errorType()).isNull();
  }
}
