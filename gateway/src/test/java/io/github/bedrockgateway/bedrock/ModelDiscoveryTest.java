package io.github.bedrockgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.ControlPlane;
import io.github.bedrockgateway.simulator.SimulatorCredentials;
import io.github.bedrockgateway.simulator.SimulatorOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;

/** Discovery through the real control-plane SDK client against the simulator. */
class ModelDiscoveryTest {

  static BedrockSimulator simulator;
  static BedrockAsyncClient client;
  final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeAll
  static void start() {
    simulator = new BedrockSimulator(SimulatorOptions.defaults());
    simulator.start();
    client =
        BedrockAsyncClient.builder()
            .endpointOverride(simulator.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        SimulatorCredentials.DEV_ACCESS_KEY_ID,
                        SimulatorCredentials.DEV_SECRET_ACCESS_KEY)))
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    simulator.stop();
  }

  @BeforeEach
  void captureLogs() {
    Logger.getLogger(ModelDiscovery.class.getName()).addHandler(capture);
  }

  @AfterEach
  void reset() {
    Logger.getLogger(ModelDiscovery.class.getName()).removeHandler(capture);
    simulator.controlPlane().reset();
  }

  static boolean refresh(ModelDiscovery discovery) throws Exception {
    return discovery.refresh().get(20, TimeUnit.SECONDS);
  }

  static List<String> ids(ModelDiscovery discovery) {
    return discovery.models().stream().map(ModelCatalog.Entry::id).toList();
  }

  List<LogRecord> warnings() {
    return logged.stream()
        .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
        .toList();
  }

  @Test
  void lists_on_demand_text_models_and_active_profiles_of_both_types_sorted() throws Exception {
    ModelDiscovery discovery = new ModelDiscovery(true, Duration.ofHours(1), () -> client);
    assertThat(discovery.models()).isEmpty();
    assertThat(refresh(discovery)).isTrue();
    assertThat(ids(discovery))
        .containsExactly(
            "amazon.nova-lite-v1:0",
            "amazon.nova-pro-v1:0",
            "anthropic.claude-3-5-haiku-20241022-v1:0",
            "apac.anthropic.claude-sonnet-4-20250514-v1:0",
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3x9q2example",
            "eu.anthropic.claude-sonnet-4-20250514-v1:0",
            "global.anthropic.claude-sonnet-4-20250514-v1:0",
            "meta.llama3-8b-instruct-v1:0",
            "mistral.mistral-large-2402-v1:0",
            "us.amazon.nova-pro-v1:0",
            "us.anthropic.claude-3-5-haiku-20241022-v1:0",
            "us.anthropic.claude-sonnet-4-20250514-v1:0",
            "us.meta.llama3-2-90b-instruct-v1:0");
    // left out: LEGACY (claude-v2:1), provisioned-only (:200k), inference-profile-only (sonnet 4 by
    // its own id),
    // embeddings, image generation, and the INACTIVE profile
    assertThat(discovery.models())
        .filteredOn(e -> e.id().startsWith("arn:"))
        .singleElement()
        .satisfies(e -> assertThat(e.ownedBy()).isEqualTo("anthropic"));
    assertThat(discovery.models())
        .filteredOn(e -> e.id().equals("global.anthropic.claude-sonnet-4-20250514-v1:0"))
        .singleElement()
        .satisfies(e -> assertThat(e.ownedBy()).isEqualTo("anthropic"));
    assertThat(discovery.models())
        .filteredOn(e -> e.id().equals("mistral.mistral-large-2402-v1:0"))
        .singleElement()
        .satisfies(e -> assertThat(e.ownedBy()).isEqualTo("mistral"));
    assertThat(warnings()).isEmpty();
  }

  @Test
  void access_denied_is_logged_once_with_its_cause_and_the_other_list_still_works()
      throws Exception {
    simulator.controlPlane().denyAccess(ControlPlane.Operation.LIST_FOUNDATION_MODELS);
    ModelDiscovery discovery = new ModelDiscovery(true, Duration.ofHours(1), () -> client);
    assertThat(refresh(discovery)).isFalse();
    assertThat(refresh(discovery)).isFalse();
    assertThat(refresh(discovery)).isFalse();
    assertThat(ids(discovery))
        .isNotEmpty()
        .allSatisfy(id -> assertThat(id).matches("^(us|eu|apac|global|arn)[.:].*"));
    assertThat(warnings())
        .singleElement()
        .satisfies(
            w ->
                assertThat(w.getMessage())
                    .contains(
                        "bedrock:ListFoundationModels at "
                            + simulator.endpoint()
                            + " was refused (AccessDeniedException: "
                            + "User: arn:aws:sts::123456789012:assumed-role/bedrock-gateway/simulator is not authorized to "
                            + "perform: bedrock:ListFoundationModels")
                    .contains(
                        "Allow bedrock:ListFoundationModels and bedrock:ListInferenceProfiles")
                    .contains("GATEWAY_MODELS_DISCOVERY_ENABLED=false"));

    simulator.controlPlane().reset();
    assertThat(refresh(discovery)).isTrue();
    assertThat(ids(discovery)).contains("amazon.nova-pro-v1:0");
    assertThat(logged).anySatisfy(r -> assertThat(r.getMessage()).contains("works again"));
  }

  @Test
  void a_failure_after_a_success_keeps_what_was_found_and_no_access_at_all_lists_nothing()
      throws Exception {
    ModelDiscovery discovery = new ModelDiscovery(true, Duration.ofHours(1), () -> client);
    assertThat(refresh(discovery)).isTrue();
    List<String> before = ids(discovery);
    simulator.controlPlane().denyAccess(ControlPlane.Operation.LIST_FOUNDATION_MODELS);
    simulator.controlPlane().denyAccess(ControlPlane.Operation.LIST_INFERENCE_PROFILES);
    assertThat(refresh(discovery)).isFalse();
    assertThat(ids(discovery)).isEqualTo(before);
    assertThat(warnings()).hasSize(2);

    ModelDiscovery denied = new ModelDiscovery(true, Duration.ofHours(1), () -> client);
    assertThat(refresh(denied)).isFalse();
    assertThat(denied.models()).isEmpty();
  }

  @Test
  void an_endpoint_whose_name_does_not_resolve_is_named_with_network_advice_not_iam_advice()
      throws Exception {
    try (BedrockAsyncClient offline = clientFor(java.net.URI.create("http://bedrock.invalid"))) {
      assertThat(refresh(new ModelDiscovery(true, Duration.ofHours(1), () -> offline))).isFalse();
    }
    assertThat(warnings())
        .hasSize(2)
        .allSatisfy(
            w ->
                assertThat(w.getMessage())
                    .contains(" at http://bedrock.invalid failed: its host name does not resolve")
                    .contains("AWS_ENDPOINT_URL_BEDROCK (gateway.bedrock.control-endpoint)")
                    .contains("GATEWAY_MODELS_DISCOVERY_ENABLED=false")
                    .doesNotContain("Allow bedrock:")
                    .doesNotContain("See cause"));
  }

  @Test
  void a_refused_connection_is_named_with_its_endpoint() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (BedrockAsyncClient offline =
        clientFor(java.net.URI.create("http://127.0.0.1:" + closed))) {
      assertThat(refresh(new ModelDiscovery(true, Duration.ofHours(1), () -> offline))).isFalse();
    }
    assertThat(warnings())
        .hasSize(2)
        .allSatisfy(
            w ->
                assertThat(w.getMessage())
                    .contains(
                        " at http://127.0.0.1:" + closed + " failed: the connection was refused")
                    .doesNotContain("Allow bedrock:"));
  }

  @Test
  void throttling_is_reported_as_throttling_without_iam_advice() throws Exception {
    simulator
        .controlPlane()
        .fail(
            ControlPlane.Operation.LIST_INFERENCE_PROFILES,
            io.github.bedrockgateway.simulator.BedrockError.of(
                io.github.bedrockgateway.simulator.BedrockErrorType.THROTTLING_EXCEPTION));
    assertThat(refresh(new ModelDiscovery(true, Duration.ofHours(1), () -> client))).isFalse();
    assertThat(warnings())
        .singleElement()
        .satisfies(
            w ->
                assertThat(w.getMessage())
                    .contains(
                        "bedrock:ListInferenceProfiles at "
                            + simulator.endpoint()
                            + " was throttled (ThrottlingException")
                    .doesNotContain("Allow bedrock:"));
  }

  private static BedrockAsyncClient clientFor(java.net.URI endpoint) {
    return BedrockAsyncClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    SimulatorCredentials.DEV_ACCESS_KEY_ID,
                    SimulatorCredentials.DEV_SECRET_ACCESS_KEY)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @Test
  void reads_every_page_of_many_profiles() throws Exception {
    List<ControlPlane.InferenceProfile> many = new java.util.ArrayList<>();
    for (int i = 0; i < 57; i++) {
      many.add(
          ControlPlane.InferenceProfile.system(
              "us.vendor.model-" + String.format("%02d", i) + "-v1:0",
              "model " + i,
              "vendor.model-" + i,
              "us-east-1"));
    }
    simulator.controlPlane().inferenceProfiles(many);
    simulator.controlPlane().pageSize(4);
    ModelDiscovery discovery = new ModelDiscovery(true, Duration.ofHours(1), () -> client);
    assertThat(refresh(discovery)).isTrue();
    assertThat(ids(discovery)).filteredOn(id -> id.startsWith("us.vendor.")).hasSize(57);
  }
}
