package io.github.bedrockgateway.simulator;

import static io.github.bedrockgateway.simulator.SimulatorClients.DEV;
import static io.github.bedrockgateway.simulator.SimulatorClients.converse;
import static io.github.bedrockgateway.simulator.SimulatorClients.converseStream;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.token.credentials.StaticTokenProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.auth.scheme.BedrockAuthSchemeProvider;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensInput;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;

/**
 * Bedrock API keys ({@code Authorization: Bearer KEY}) through the SDK's bearer-token auth:
 * registered long-term keys and short-term keys minted by {@link ShortTermKeys} on every runtime
 * route and the control plane, the front door's refusals, and the fingerprint the request record
 * keeps instead of the key.
 */
class BedrockSimulatorBearerKeyTest {

  private static final String LONG_TERM = "ABSKQmVkcm9ja0FQSUtleS1zaW11bGF0b3ItdGVzdA==";

  /**
   * Keys are minted relative to the simulator's clock (the system clock, as SigV4 clients need it).
   */
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private static BedrockSimulator simulator;

  @BeforeAll
  static void start() {
    simulator = new BedrockSimulator(SimulatorOptions.builder().apiKeys(LONG_TERM).build());
    simulator.start();
  }

  @AfterAll
  static void stop() {
    simulator.stop();
  }

  @BeforeEach
  void clear() {
    simulator.clearRequests();
  }

  private static String devKey(Instant issued, Duration expires) {
    return ShortTermKeys.mint(
        SimulatorCredentials.DEV_ACCESS_KEY_ID,
        SimulatorCredentials.DEV_SECRET_ACCESS_KEY,
        "us-west-2",
        issued,
        expires);
  }

  @Test
  void a_minted_key_has_the_token_generators_format() {
    String key = devKey(Instant.parse("2026-12-03T08:00:00Z"), Duration.ofHours(12));

    assertThat(key).startsWith("bedrock-api-key-");
    String url =
        new String(Base64.getDecoder().decode(key.substring("bedrock-api-key-".length())), UTF_8);
    assertThat(url)
        .startsWith("bedrock.amazonaws.com/?")
        .endsWith("&Version=1")
        .contains(
            "Action=CallWithBearerToken",
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261203%2Fus-west-2%2Fbedrock%2Faws4_request",
            "X-Amz-Date=20261203T080000Z",
            "X-Amz-Expires=43200",
            "X-Amz-SignedHeaders=host",
            "X-Amz-Signature=");
  }

  @Test
  void a_registered_long_term_key_is_accepted_and_recorded_by_fingerprint_only() {
    try (BedrockRuntimeClient client = SimulatorClients.bearer(simulator, LONG_TERM)) {
      assertThat(client.converse(converse("hi")).output().message().content().get(0).text())
          .isEqualTo("hi");
    }
    RecordedRequest seen = simulator.lastRequest();
    assertThat(seen.authScheme()).isEqualTo(RecordedRequest.AuthScheme.BEARER);
    assertThat(seen.bearerKeyFingerprint())
        .isEqualTo(SimulatorCredentials.fingerprint(LONG_TERM))
        .hasSize(16)
        .doesNotContain(LONG_TERM);
    assertThat(seen.header("Authorization")).isEqualTo("Bearer " + LONG_TERM);
    assertThat(seen.accessKeyId()).isNull();
  }

  @Test
  void a_short_term_key_works_on_every_runtime_route() throws Exception {
    String key = devKey(NOW.minus(Duration.ofHours(1)), Duration.ofHours(12));
    try (BedrockRuntimeClient client = SimulatorClients.bearer(simulator, key);
        BedrockRuntimeAsyncClient async = SimulatorClients.bearerAsync(simulator, key)) {
      client.converse(converse("one"));
      async
          .converseStream(
              converseStream("two"),
              ConverseStreamResponseHandler.builder().subscriber(event -> {}).build())
          .get(10, TimeUnit.SECONDS);
      SdkBytes body =
          SdkBytes.fromUtf8String(
              "{\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 10,"
                  + " \"messages\": [{\"role\": \"user\", \"content\": \"three\"}]}");
      client.invokeModel(r -> r.modelId(SimulatorClients.CLAUDE).body(body));
      async
          .invokeModelWithResponseStream(
              r -> r.modelId(SimulatorClients.CLAUDE).body(body),
              InvokeModelWithResponseStreamResponseHandler.builder()
                  .subscriber(event -> {})
                  .build())
          .get(10, TimeUnit.SECONDS);
      assertThat(
              client
                  .countTokens(
                      r ->
                          r.modelId(SimulatorClients.CLAUDE)
                              .input(CountTokensInput.fromInvokeModel(b -> b.body(body))))
                  .inputTokens())
          .isPositive();
    }
    List<RecordedRequest> seen = simulator.requests();
    assertThat(seen)
        .extracting(RecordedRequest::operation)
        .containsExactly(
            RecordedRequest.CONVERSE,
            RecordedRequest.CONVERSE_STREAM,
            RecordedRequest.INVOKE,
            RecordedRequest.INVOKE_STREAM,
            RecordedRequest.COUNT_TOKENS);
    assertThat(seen)
        .allSatisfy(
            r -> {
              assertThat(r.authScheme()).isEqualTo(RecordedRequest.AuthScheme.BEARER);
              assertThat(r.accessKeyId()).isEqualTo(SimulatorCredentials.DEV_ACCESS_KEY_ID);
              assertThat(r.bearerKeyFingerprint()).isEqualTo(SimulatorCredentials.fingerprint(key));
              assertThat(r.errorType()).isNull();
            });
  }

  @Test
  void the_control_plane_takes_the_same_keys() {
    String key = devKey(NOW, Duration.ofMinutes(15));
    try (BedrockClient bedrock =
        BedrockClient.builder()
            .endpointOverride(simulator.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(DEV)
            .tokenProvider(StaticTokenProvider.create(() -> key))
            .authSchemeProvider(
                BedrockAuthSchemeProvider.defaultProvider(List.of(SimulatorClients.BEARER_SCHEME)))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build()) {
      assertThat(bedrock.listFoundationModels(r -> {}).modelSummaries()).isNotEmpty();
      assertThat(
              bedrock
                  .listInferenceProfiles(r -> {})
                  .inferenceProfileSummaries()
                  .get(0)
                  .inferenceProfileArn())
          .startsWith("arn:aws:bedrock:us-west-2:");
    }
    assertThat(simulator.lastRequest().authScheme()).isEqualTo(RecordedRequest.AuthScheme.BEARER);
  }

  @Test
  void a_key_of_neither_kind_is_refused_with_the_front_doors_answer() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            simulator.endpoint()
                                + "/model/"
                                + SimulatorClients.CLAUDE.replace(":", "%3A")
                                + "/converse"))
                    .header("Authorization", "Bearer not-a-bedrock-key")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"messages\": []}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("AccessDeniedException");
    assertThat(response.body())
        .isEqualTo("{\"Message\":\"Invalid API Key format: Must start with pre-defined prefix\"}");
    assertThat(simulator.lastRequest().errorType())
        .isEqualTo(BedrockErrorType.ACCESS_DENIED_EXCEPTION);
    assertThat(simulator.lastRequest().bearerKeyFingerprint())
        .isEqualTo(SimulatorCredentials.fingerprint("not-a-bedrock-key"));
  }

  @Test
  void unknown_tampered_foreign_and_expired_keys_are_refused() {
    assertRefused("ABSKdW5rbm93bg==", 403, "AccessDeniedException", BearerAuth.INVALID_KEY);
    String valid = devKey(NOW, Duration.ofHours(1));
    assertRefused(
        valid.substring(0, valid.length() - 8) + "AAAAAAAA",
        403,
        "AccessDeniedException",
        BearerAuth.INVALID_KEY);
    assertRefused(
        ShortTermKeys.mint("AKIAUNKNOWNEXAMPLE00", "secret", "us-east-1", NOW, Duration.ofHours(1)),
        403,
        "UnrecognizedClientException",
        "The security token included in the request is invalid.");
    assertRefused(
        devKey(NOW.minus(Duration.ofHours(2)), Duration.ofHours(1)),
        403,
        "ExpiredTokenException",
        "The security token included in the request is expired");
  }

  @Test
  void a_key_minted_from_session_credentials_needs_the_registered_token() {
    simulator
        .credentials()
        .register(
            "ASIASESSIONEXAMPLE01", "session-secret", "token-1", NOW.plus(Duration.ofHours(1)));
    String good =
        ShortTermKeys.mint(
            "ASIASESSIONEXAMPLE01",
            "session-secret",
            "token-1",
            "us-east-1",
            NOW,
            Duration.ofHours(1));
    try (BedrockRuntimeClient client = SimulatorClients.bearer(simulator, good)) {
      assertThat(client.converse(converse("ok")).output().message().content().get(0).text())
          .isEqualTo("ok");
    }
    assertRefused(
        ShortTermKeys.mint(
            "ASIASESSIONEXAMPLE01", "session-secret", "us-east-1", NOW, Duration.ofHours(1)),
        403,
        "UnrecognizedClientException",
        "The security token included in the request is invalid.");
  }

  private static void assertRefused(String key, int status, String type, String message) {
    try (BedrockRuntimeClient client = SimulatorClients.bearer(simulator, key)) {
      BedrockRuntimeException refused =
          catchThrowableOfType(
              BedrockRuntimeException.class, () -> client.converse(converse("hi")));
      assertThat(refused).as(key).isNotNull();
      assertThat(refused.statusCode()).isEqualTo(status);
      assertThat(refused.awsErrorDetails().errorCode()).isEqualTo(type);
      assertThat(refused.awsErrorDetails().errorMessage()).isEqualTo(message);
      if (type.equals("AccessDeniedException")) {
        assertThat(refused).isInstanceOf(AccessDeniedException.class);
      }
    }
  }
}
