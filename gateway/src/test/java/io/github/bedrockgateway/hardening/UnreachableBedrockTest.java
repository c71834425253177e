package io.github.bedrockgateway.hardening;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bedrock refusing connections: a 502 in the envelope, streaming or not, after the SDK's retries.
 */
@QuarkusTest
@TestProfile(UnreachableBedrockTest.ClosedPort.class)
class UnreachableBedrockTest {

  public static class ClosedPort implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort(); // closed again: nothing listens there
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      return Map.of(
          "gateway.bedrock.endpoint",
          "http://127.0.0.1:" + port,
          "gateway.bedrock.max-attempts",
          "2",
          "gateway.bedrock.connect-timeout",
          "2s");
    }
  }

  @Test
  void connection_refused_is_a_502_upstream_unreachable_streaming_or_not() {
    for (boolean stream : new boolean[] {false, true}) {
      given()
          .header("Authorization", "Bearer test-key-1")
          .contentType("application/json")
          .body(
              "{\"model\": \"gpt-4o\", \"stream\": "
                  + stream
                  + ", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
          .when()
          .post("/v1/chat/completions")
          .then()
          .statusCode(502)
          .body("error.type", equalTo("api_error"))
          .body("error.code", equalTo("upstream_unreachable"));
    }
  }
}
