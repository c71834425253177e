package io.github.bedrockgateway.passthrough;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.bedrock.ModelCatalog;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The control-plane lists answered from the catalog, in Bedrock's shapes. */
class ControlPlaneListsTest {

  static final ControlPlaneLists.Place PLACE = new ControlPlaneLists.Place("aws", "us-east-1");
  static final List<ModelCatalog.Entry> CATALOG =
      ModelCatalog.parse(
              List.of(
                  "gpt-4o=us.anthropic.claude-sonnet-4-20250514-v1:0",
                  "claude-haiku=anthropic.claude-3-5-haiku-20241022-v1:0",
                  "amazon.nova-pro-v1:0",
                  "sonnet-eu=eu.anthropic.claude-sonnet-4-20250514-v1:0",
                  "team=arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3x9q2example",
                  "again=us.anthropic.claude-sonnet-4-20250514-v1:0",
                  "embed=amazon.titan-embed-text-v2:0"))
          .list();

  static JsonNode json(byte[] body) throws Exception {
    return Json.MAPPER.readTree(body);
  }

  @Test
  void lists_the_system_profiles_of_the_catalog_once_each() throws Exception {
    byte[] body =
        ControlPlaneLists.listInferenceProfiles(
            ControlPlaneLists.profiles(CATALOG, PLACE), null, null, null);
    assertThat(new String(body, UTF_8))
        .isEqualTo(
            "{\"inferenceProfileSummaries\":["
                + "{\"inferenceProfileName\":\"US anthropic.claude-sonnet-4-20250514-v1:0\","
                + "\"description\":\"Served by the Bedrock Chat Gateway's model catalog.\","
                + "\"inferenceProfileArn\":\"arn:aws:bedrock:us-east-1::inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0\","
                + "\"models\":[{\"modelArn\":\"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0\"}],"
                + "\"inferenceProfileId\":\"us.anthropic.claude-sonnet-4-20250514-v1:0\",\"status\":\"ACTIVE\",\"type\":\"SYSTEM_DEFINED\"},"
                + "{\"inferenceProfileName\":\"EU anthropic.claude-sonnet-4-20250514-v1:0\","
                + "\"description\":\"Served by the Bedrock Chat Gateway's model catalog.\","
                + "\"inferenceProfileArn\":\"arn:aws:bedrock:us-east-1::inference-profile/eu.anthropic.claude-sonnet-4-20250514-v1:0\","
                + "\"models\":[{\"modelArn\":\"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0\"}],"
                + "\"inferenceProfileId\":\"eu.anthropic.claude-sonnet-4-20250514-v1:0\",\"status\":\"ACTIVE\",\"type\":\"SYSTEM_DEFINED\"}]}");
  }

  @Test
  void application_profiles_are_listed_by_type() throws Exception {
    JsonNode list =
        json(
            ControlPlaneLists.listInferenceProfiles(
                ControlPlaneLists.profiles(CATALOG, PLACE), "APPLICATION", null, null));
    assertThat(list.path("inferenceProfileSummaries")).hasSize(1);
    JsonNode p = list.path("inferenceProfileSummaries").get(0);
    assertThat(p.path("inferenceProfileId").asText()).isEqualTo("k3x9q2example");
    assertThat(p.path("inferenceProfileArn").asText())
        .isEqualTo(
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3x9q2example");
    assertThat(p.path("inferenceProfileName").asText()).isEqualTo("team");
    assertThat(list.has("nextToken")).isFalse();
  }

  @Test
  void pages_follow_next_token_to_the_end() throws Exception {
    List<ModelCatalog.Entry> many = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      many.add(new ModelCatalog.Entry("m" + i, "us.anthropic.claude-model-" + i, "anthropic"));
    }
    List<ControlPlaneLists.Profile> profiles = ControlPlaneLists.profiles(many, PLACE);
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      JsonNode page =
          json(ControlPlaneLists.listInferenceProfiles(profiles, "SYSTEM_DEFINED", "2", token));
      page.path("inferenceProfileSummaries")
          .forEach(p -> seen.add(p.path("inferenceProfileId").asText()));
      token = page.hasNonNull("nextToken") ? page.path("nextToken").asText() : null;
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen)
        .containsExactly(
            "us.anthropic.claude-model-0",
            "us.anthropic.claude-model-1",
            "us.anthropic.claude-model-2",
            "us.anthropic.claude-model-3",
            "us.anthropic.claude-model-4");
  }

  @Test
  void refuses_parameters_bedrock_refuses_naming_them() {
    List<ControlPlaneLists.Profile> profiles = ControlPlaneLists.profiles(CATALOG, PLACE);
    assertThatThrownBy(
            () -> ControlPlaneLists.listInferenceProfiles(profiles, "FOREIGN", null, null))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.param()).isEqualTo("type"));
    assertThatThrownBy(() -> ControlPlaneLists.listInferenceProfiles(profiles, null, "0", null))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.param()).isEqualTo("maxResults"));
    assertThatThrownBy(() -> ControlPlaneLists.listInferenceProfiles(profiles, null, "1001", null))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.param()).isEqualTo("maxResults"));
    assertThatThrownBy(
            () -> ControlPlaneLists.listInferenceProfiles(profiles, null, null, "not-a-token"))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.param()).isEqualTo("nextToken"));
    assertThatThrownBy(() -> ControlPlaneLists.listFoundationModels(List.of(), null, "SOUND", null))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.param()).isEqualTo("byOutputModality"));
  }

  @Test
  void gets_one_profile_by_id_or_arn() throws Exception {
    List<ControlPlaneLists.Profile> profiles = ControlPlaneLists.profiles(CATALOG, PLACE);
    assertThat(
            json(ControlPlaneLists.getInferenceProfile(
                    profiles,
                    "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3x9q2example"))
                .path("inferenceProfileId")
                .asText())
        .isEqualTo("k3x9q2example");
    assertThat(
            json(ControlPlaneLists.getInferenceProfile(
                    profiles, "eu.anthropic.claude-sonnet-4-20250514-v1:0"))
                .path("type")
                .asText())
        .isEqualTo("SYSTEM_DEFINED");
    assertThat(ControlPlaneLists.getInferenceProfile(profiles, "us.meta.llama-nope")).isNull();
  }

  @Test
  void lists_foundation_models_with_bedrocks_filters() throws Exception {
    List<ControlPlaneLists.Model> models = ControlPlaneLists.foundationModels(CATALOG, PLACE);
    assertThat(models)
        .containsExactly(
            new ControlPlaneLists.Model(
                "anthropic.claude-sonnet-4-20250514-v1:0",
                "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0",
                "anthropic",
                "TEXT",
                "INFERENCE_PROFILE"),
            new ControlPlaneLists.Model(
                "anthropic.claude-3-5-haiku-20241022-v1:0",
                "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0",
                "anthropic",
                "TEXT",
                "ON_DEMAND"),
            new ControlPlaneLists.Model(
                "amazon.nova-pro-v1:0",
                "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0",
                "amazon",
                "TEXT",
                "ON_DEMAND"),
            new ControlPlaneLists.Model(
                "amazon.titan-embed-text-v2:0",
                "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0",
                "amazon",
                "EMBEDDING",
                "ON_DEMAND"));
    JsonNode anthropic =
        json(ControlPlaneLists.listFoundationModels(models, "Anthropic", "TEXT", null));
    assertThat(anthropic.path("modelSummaries"))
        .extracting(n -> n.path("modelId").asText())
        .containsExactly(
            "anthropic.claude-sonnet-4-20250514-v1:0", "anthropic.claude-3-5-haiku-20241022-v1:0");
    JsonNode onDemand =
        json(ControlPlaneLists.listFoundationModels(models, null, null, "ON_DEMAND"));
    assertThat(onDemand.path("modelSummaries")).hasSize(3);
  }
}
