package io.github.bedrockgateway.openai.chat;

import static io.github.bedrockgateway.openai.chat.ChatCompletionsEndToEndTest.KEY;
import static io.github.bedrockgateway.openai.chat.ChatCompletionsEndToEndTest.chat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.models.Model;
import io.github.bedrockgateway.bedrock.ModelDiscovery;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.ControlPlane;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/models} with discovery on: the configured aliases first, then what the control plane
 * (the embedded simulator, reached through the real control-plane SDK client) reports.
 */
@QuarkusTest
@TestProfile(ModelCatalogEndToEndTest.DiscoveryOn.class)
class ModelCatalogEndToEndTest {

  static final String APP_PROFILE =
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3x9q2example";

  /** Discovery on; an alias named like a discovered model, pointing elsewhere. */
  public static class DiscoveryOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "gateway.models.discovery.enabled",
          "true",
          "gateway.models.list",
          "gpt-4o=us.anthropic.claude-sonnet-4-20250514-v1:0,"
              + "amazon.nova-pro-v1:0=us.amazon.nova-pro-v1:0");
    }
  }

  @Inject EmbeddedSimulator embedded;

  @Inject ModelDiscovery discovery;

  @TestHTTPResource("/v1")
  URL baseUrl;

  BedrockSimulator simulator;

  @BeforeEach
  void discover() throws Exception {
    simulator = embedded.simulator();
    simulator.controlPlane().reset();
    assertThat(discovery.refresh().get(20, TimeUnit.SECONDS)).isTrue();
    simulator.clearRequests();
  }

  @AfterEach
  void reset() {
    simulator.controlPlane().reset();
  }

  static JsonPath models() {
    return given()
        .header("Authorization", "Bearer " + KEY)
        .when()
        .get("/v1/models")
        .then()
        .statusCode(200)
        .body("object", equalTo("list"))
        .extract()
        .jsonPath();
  }

  @Test
  void lists_the_aliases_first_then_the_discovered_models_without_shadowing_an_alias() {
    List<String> ids = models().getList("data.id");
    assertThat(ids.subList(0, 2)).containsExactly("gpt-4o", "amazon.nova-pro-v1:0");
    assertThat(ids).containsOnlyOnce("amazon.nova-pro-v1:0");
    assertThat(ids)
        .contains(
            "anthropic.claude-3-5-haiku-20241022-v1:0",
            "us.anthropic.claude-sonnet-4-20250514-v1:0",
            "eu.anthropic.claude-sonnet-4-20250514-v1:0",
            "apac.anthropic.claude-sonnet-4-20250514-v1:0",
            "global.anthropic.claude-sonnet-4-20250514-v1:0",
            APP_PROFILE);
    assertThat(ids)
        .doesNotContain(
            "amazon.titan-embed-text-v2:0", "anthropic.claude-v2:1", "us.deepseek.r1-v1:0");
    assertThat(simulator.requests())
        .isEmpty(); // the list is served from the snapshot, never from Bedrock

    // The alias still decides where its name goes.
    chat("""
                {"model": "amazon.nova-pro-v1:0", "messages": [{"role": "user", "content": "hi"}]}
                """)
        .then()
        .statusCode(200)
        .body("model", equalTo("amazon.nova-pro-v1:0"));
    assertThat(simulator.lastRequest().modelId()).isEqualTo("us.amazon.nova-pro-v1:0");
  }

  @Test
  void gets_a_discovered_model_whose_id_has_a_colon_raw_or_encoded() {
    for (String path :
        List.of(
            "/v1/models/global.anthropic.claude-sonnet-4-20250514-v1:0",
            "/v1/models/global.anthropic.claude-sonnet-4-20250514-v1%3A0")) {
      given()
          .urlEncodingEnabled(false)
          .header("Authorization", "Bearer " + KEY)
          .when()
          .get(path)
          .then()
          .statusCode(200)
          .body("id", equalTo("global.anthropic.claude-sonnet-4-20250514-v1:0"))
          .body("object", equalTo("model"))
          .body("owned_by", equalTo("anthropic"));
    }
  }

  @Test
  void gets_an_application_profile_by_its_arn_with_the_slash_raw_or_encoded() {
    for (String path :
        List.of(
            "/v1/models/" + APP_PROFILE,
            "/v1/models/" + APP_PROFILE.replace(":", "%3A").replace("/", "%2F"))) {
      given()
          .urlEncodingEnabled(false)
          .header("Authorization", "Bearer " + KEY)
          .when()
          .get(path)
          .then()
          .statusCode(200)
          .body("id", equalTo(APP_PROFILE))
          .body("owned_by", equalTo("anthropic"));
    }
    given()
        .urlEncodingEnabled(false)
        .header("Authorization", "Bearer " + KEY)
        .when()
        .get("/v1/models/arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/nope")
        .then()
        .statusCode(404)
        .body("error.code", equalTo("model_not_found"));
  }

  @Test
  void the_official_openai_sdk_lists_and_retrieves_discovered_models() {
    OpenAIClient client =
        OpenAIOkHttpClient.builder().baseUrl(baseUrl.toString()).apiKey(KEY).maxRetries(0).build();
    try {
      List<String> ids = client.models().list().data().stream().map(Model::id).toList();
      assertThat(ids).startsWith("gpt-4o", "amazon.nova-pro-v1:0").contains(APP_PROFILE);
      Model global = client.models().retrieve("global.anthropic.claude-sonnet-4-20250514-v1:0");
      assertThat(global.ownedBy()).isEqualTo("anthropic");
      assertThat(client.models().retrieve(APP_PROFILE).id()).isEqualTo(APP_PROFILE);
    } finally {
      client.close();
    }
  }

  @Test
  void when_bedrock_refuses_discovery_the_catalog_still_answers_with_the_configured_models()
      throws Exception {
    simulator.controlPlane().denyAccess(ControlPlane.Operation.LIST_FOUNDATION_MODELS);
    simulator.controlPlane().denyAccess(ControlPlane.Operation.LIST_INFERENCE_PROFILES);
    assertThat(discovery.refresh().get(20, TimeUnit.SECONDS)).isFalse();
    List<String> ids = models().getList("data.id");
    assertThat(ids.subList(0, 2)).containsExactly("gpt-4o", "amazon.nova-pro-v1:0");
    given()
        .header("Authorization", "Bearer " + KEY)
        .when()
        .get("/v1/models/gpt-4o")
        .then()
        .statusCode(200);
  }
}
