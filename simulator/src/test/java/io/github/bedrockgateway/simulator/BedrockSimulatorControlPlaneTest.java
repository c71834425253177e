package io.github.bedrockgateway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrock.model.FoundationModelLifecycleStatus;
import software.amazon.awssdk.services.bedrock.model.FoundationModelSummary;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileStatus;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileSummary;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileType;
import software.amazon.awssdk.services.bedrock.model.InferenceType;
import software.amazon.awssdk.services.bedrock.model.ListInferenceProfilesResponse;
import software.amazon.awssdk.services.bedrock.model.ModelModality;
import software.amazon.awssdk.services.bedrock.model.ValidationException;

/**
 * The control-plane routes driven by the real Bedrock (control-plane) SDK clients, which must parse
 * them.
 */
class BedrockSimulatorControlPlaneTest {

  static BedrockSimulator simulator;
  static BedrockClient client;

  @BeforeAll
  static void start() {
    simulator = new BedrockSimulator(SimulatorOptions.defaults());
    simulator.start();
    client = sync(SimulatorClients.DEV);
  }

  @AfterAll
  static void stop() {
    client.close();
    simulator.stop();
  }

  @AfterEach
  void reset() {
    simulator.controlPlane().reset();
    simulator.clearRequests();
  }

  static BedrockClient sync(
      software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
    return BedrockClient.builder()
        .endpointOverride(simulator.endpoint())
        .region(Region.EU_WEST_1)
        .credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @Test
  void lists_foundation_models_with_every_field_the_sdk_knows() {
    List<FoundationModelSummary> models = client.listFoundationModels(r -> {}).modelSummaries();
    assertThat(models).hasSize(ControlPlane.defaultFoundationModels().size());
    FoundationModelSummary haiku = models.get(0);
    assertThat(haiku.modelId()).isEqualTo("anthropic.claude-3-5-haiku-20241022-v1:0");
    assertThat(haiku.modelArn())
        .isEqualTo(
            "arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0");
    assertThat(haiku.modelName()).isEqualTo("Claude 3.5 Haiku");
    assertThat(haiku.providerName()).isEqualTo("Anthropic");
    assertThat(haiku.inputModalities()).containsExactly(ModelModality.TEXT, ModelModality.IMAGE);
    assertThat(haiku.outputModalities()).containsExactly(ModelModality.TEXT);
    assertThat(haiku.responseStreamingSupported()).isTrue();
    assertThat(haiku.inferenceTypesSupported()).containsExactly(InferenceType.ON_DEMAND);
    assertThat(haiku.modelLifecycle().status()).isEqualTo(FoundationModelLifecycleStatus.ACTIVE);
    assertThat(models)
        .extracting(FoundationModelSummary::modelId)
        .contains("amazon.titan-embed-text-v2:0");

    RecordedRequest seen = simulator.lastRequest();
    assertThat(seen.operation()).isEqualTo("list-foundation-models");
    assertThat(seen.rawPath()).isEqualTo("/foundation-models");
    assertThat(seen.accessKeyId()).isEqualTo(SimulatorCredentials.DEV_ACCESS_KEY_ID);
    assertThat(seen.errorType()).isNull();
  }

  @Test
  void filters_foundation_models_like_bedrock() {
    List<FoundationModelSummary> text =
        client
            .listFoundationModels(
                r ->
                    r.byOutputModality(ModelModality.TEXT).byInferenceType(InferenceType.ON_DEMAND))
            .modelSummaries();
    assertThat(text)
        .extracting(FoundationModelSummary::modelId)
        .containsExactly(
            "anthropic.claude-3-5-haiku-20241022-v1:0",
            "amazon.nova-pro-v1:0",
            "amazon.nova-lite-v1:0",
            "meta.llama3-8b-instruct-v1:0",
            "mistral.mistral-large-2402-v1:0",
            "anthropic.claude-v2:1");
    assertThat(client.listFoundationModels(r -> r.byProvider("amazon")).modelSummaries())
        .extracting(FoundationModelSummary::providerName)
        .containsOnly("Amazon");
    assertThatThrownBy(() -> client.listFoundationModels(r -> r.byOutputModality("SPEECH")))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .contains("Value 'SPEECH' at 'byOutputModality' failed to satisfy constraint"));
  }

  @Test
  void pages_inference_profiles_and_the_sdk_paginator_collects_every_page() {
    ListInferenceProfilesResponse first = client.listInferenceProfiles(r -> {});
    assertThat(first.inferenceProfileSummaries()).hasSize(ControlPlane.DEFAULT_PAGE_SIZE);
    assertThat(first.nextToken()).isNotBlank();

    List<InferenceProfileSummary> all =
        client.listInferenceProfilesPaginator(r -> {}).inferenceProfileSummaries().stream()
            .toList();
    assertThat(all).hasSize(8); // the system-defined ones only: Bedrock's default without a type
    assertThat(all)
        .extracting(InferenceProfileSummary::type)
        .containsOnly(InferenceProfileType.SYSTEM_DEFINED);
    InferenceProfileSummary us = all.get(0);
    assertThat(us.inferenceProfileId()).isEqualTo("us.anthropic.claude-sonnet-4-20250514-v1:0");
    assertThat(us.inferenceProfileArn())
        .isEqualTo(
            "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0");
    assertThat(us.inferenceProfileName()).isEqualTo("US Claude Sonnet 4");
    assertThat(us.status()).isEqualTo(InferenceProfileStatus.ACTIVE);
    assertThat(us.createdAt()).isEqualTo(Instant.parse("2024-08-27T00:00:00Z"));
    assertThat(us.models()).hasSize(3);
    assertThat(us.models().get(0).modelArn())
        .isEqualTo(
            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0");
    assertThat(all)
        .extracting(InferenceProfileSummary::inferenceProfileId)
        .contains(
            "global.anthropic.claude-sonnet-4-20250514-v1:0",
            "apac.anthropic.claude-sonnet-4-20250514-v1:0");
    assertThat(simulator.requests()).hasSize(3); // 1 + 2 pages of 5, 3
  }

  @Test
  void filters_inference_profiles_by_type_and_honours_max_results() {
    List<InferenceProfileSummary> apps =
        client
            .listInferenceProfilesPaginator(r -> r.typeEquals(InferenceProfileType.APPLICATION))
            .inferenceProfileSummaries()
            .stream()
            .toList();
    assertThat(apps)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.inferenceProfileArn())
                  .isEqualTo(
                      "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/k3x9q2example");
              assertThat(p.type()).isEqualTo(InferenceProfileType.APPLICATION);
            });
    assertThat(client.listInferenceProfiles(r -> r.maxResults(2)).inferenceProfileSummaries())
        .hasSize(2);
    simulator.controlPlane().pageSize(100);
    assertThat(client.listInferenceProfiles(r -> {}).nextToken()).isNull();
    assertThatThrownBy(() -> client.listInferenceProfiles(r -> r.maxResults(5000)))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> client.listInferenceProfiles(r -> r.nextToken("garbage")))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void a_scripted_access_denied_reaches_the_sdk_as_its_exception_with_bedrocks_message() {
    simulator.controlPlane().denyAccess(ControlPlane.Operation.LIST_INFERENCE_PROFILES);
    assertThatThrownBy(() -> client.listInferenceProfiles(r -> {}))
        .isInstanceOfSatisfying(
            AccessDeniedException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo(
                      "User: arn:aws:sts::123456789012:"
                          + "assumed-role/bedrock-gateway/simulator is not authorized to perform: "
                          + "bedrock:ListInferenceProfiles because no identity-based policy allows the "
                          + "bedrock:ListInferenceProfiles action");
            });
    assertThat(simulator.lastRequest().errorType())
        .isEqualTo(BedrockErrorType.ACCESS_DENIED_EXCEPTION);
    assertThat(client.listFoundationModels(r -> {}).modelSummaries())
        .isNotEmpty(); // only that action
  }

  @Test
  void the_control_plane_checks_sigv4_like_the_runtime() {
    try (BedrockClient stranger =
        sync(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAUNKNOWNEXAMPLE00", "not-a-registered-secret")))) {
      assertThatThrownBy(() -> stranger.listFoundationModels(r -> {}))
          .hasMessageContaining("The security token included in the request is invalid.");
    }
    try (BedrockClient wrongSecret =
        sync(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    SimulatorCredentials.DEV_ACCESS_KEY_ID, "wrong-secret")))) {
      assertThatThrownBy(
              () ->
                  wrongSecret.listInferenceProfiles(
                      r -> r.typeEquals(InferenceProfileType.APPLICATION)))
          .hasMessageContaining("The request signature we calculated does not match");
    }
  }

  @Test
  void the_async_client_over_netty_reads_every_page_too() throws Exception {
    try (BedrockAsyncClient async =
        BedrockAsyncClient.builder()
            .endpointOverride(simulator.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(SimulatorClients.DEV)
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build()) {
      List<String> ids = new java.util.ArrayList<>();
      async
          .listInferenceProfilesPaginator(r -> {})
          .inferenceProfileSummaries()
          .subscribe(p -> ids.add(p.inferenceProfileId()))
          .get(10, TimeUnit.SECONDS);
      assertThat(ids).hasSize(8);
      simulator.controlPlane().denyAccess(ControlPlane.Operation.LIST_FOUNDATION_MODELS);
      assertThatThrownBy(() -> async.listFoundationModels(r -> {}).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(AccessDeniedException.class);
    }
  }
}
