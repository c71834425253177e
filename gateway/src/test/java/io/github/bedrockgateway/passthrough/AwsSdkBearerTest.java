package io.github.bedrockgateway.passthrough;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.RecordedRequest;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.token.credentials.StaticTokenProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileSummary;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileType;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.auth.scheme.BedrockRuntimeAuthSchemeProvider;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * The AWS SDK for Java v2 pointed at the gateway exactly as a user would ({@code endpointOverride
 * http://GATEWAY/bedrock}, the gateway key as its Bedrock API key): every Bedrock Runtime operation
 * works through the pass-through, and the control-plane lists through {@code BedrockClient}.
 */
@QuarkusTest
@TestProfile(PassthroughProfile.class)
class AwsSdkBearerTest {

  static final String KEY = "test-key-1";
  static final String SONNET = "us.anthropic.claude-sonnet-4-20250514-v1:0";

  /** What Claude Code calls: a profile id without its version suffix. */
  static final String OPUS = "us.anthropic.claude-opus-5-5";

  /**
   * The scheme name the SDK's auth scheme preference takes (what AWS_BEARER_TOKEN_BEDROCK selects).
   */
  static final String BEARER = "httpBearerAuth";

  static final List<AutoCloseable> CLIENTS = Collections.synchronizedList(new ArrayList<>());

  @TestHTTPResource("/bedrock")
  URL bedrock;

  @Inject EmbeddedSimulator embedded;

  BedrockSimulator simulator;

  @BeforeEach
  void reset() {
    simulator = embedded.simulator();
    simulator.clearRequests();
  }

  @AfterAll
  static void close() throws Exception {
    for (AutoCloseable c : CLIENTS) {
      c.close();
    }
  }

  /**
   * What {@code AWS_BEARER_TOKEN_BEDROCK=<key>} configures: a token and the bearer scheme first.
   */
  BedrockRuntimeClient client(String key) {
    BedrockRuntimeClient c =
        BedrockRuntimeClient.builder()
            .endpointOverride(URI.create(bedrock.toString()))
            .region(Region.US_EAST_1)
            .tokenProvider(StaticTokenProvider.create(() -> key))
            .authSchemeProvider(BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of(BEARER)))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
            .build();
    CLIENTS.add(c);
    return c;
  }

  BedrockRuntimeAsyncClient asyncClient() {
    BedrockRuntimeAsyncClient c =
        BedrockRuntimeAsyncClient.builder()
            .endpointOverride(URI.create(bedrock.toString()))
            .region(Region.US_EAST_1)
            .tokenProvider(StaticTokenProvider.create(() -> KEY))
            .authSchemeProvider(BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of(BEARER)))
            .httpClientBuilder(NettyNioAsyncHttpClient.builder())
            .build();
    CLIENTS.add(c);
    return c;
  }

  static Message user(String text) {
    return Message.builder()
        .role(ConversationRole.USER)
        .content(ContentBlock.fromText(text))
        .build();
  }

  static String claudeBody(String text) {
    return "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":200,"
        + "\"anthropic_beta\":[\"interleaved-thinking-2025-05-14\",\"claude-code-20250219\"],"
        + "\"messages\":[{\"role\":\"user\",\"content\":"
        + Json.MAPPER.valueToTree(text)
        + "}]}";
  }

  void assertResignedByTheGateway(RecordedRequest seen) {
    assertThat(seen.authScheme()).isEqualTo(RecordedRequest.AuthScheme.SIGV4);
    assertThat(seen.accessKeyId()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
    assertThat(seen.errorType()).isNull();
    seen.headers()
        .forEach((name, values) -> assertThat(values).as(name).noneMatch(v -> v.contains(KEY)));
  }

  @Test
  void converse() {
    ConverseResponse r =
        client(KEY)
            .converse(c -> c.modelId("gpt-4o").messages(user("@sim reply=Hello from Bedrock")));
    assertThat(r.output().message().content().get(0).text()).isEqualTo("Hello from Bedrock");
    assertThat(r.usage().outputTokens()).isEqualTo(3);
    assertThat(r.responseMetadata().requestId()).isNotBlank();
    RecordedRequest seen = simulator.lastRequest();
    assertThat(seen.modelId()).isEqualTo(SONNET);
    assertResignedByTheGateway(seen);
    assertThat(seen.body().path("requestMetadata").path("gateway-key").asText()).isEqualTo("key-1");
  }

  @Test
  void converse_stream() throws Exception {
    StringBuilder text = new StringBuilder();
    List<ConverseStreamMetadataEvent> metadata = new ArrayList<>();
    ConverseStreamResponseHandler handler =
        ConverseStreamResponseHandler.builder()
            .subscriber(
                ConverseStreamResponseHandler.Visitor.builder()
                    .onContentBlockDelta(d -> text.append(d.delta().text()))
                    .onMetadata(metadata::add)
                    .build())
            .build();
    asyncClient()
        .converseStream(
            c -> c.modelId(SONNET).messages(user("@sim reply=streamed through the gateway")),
            handler)
        .get(30, TimeUnit.SECONDS);
    assertThat(text.toString()).isEqualTo("streamed through the gateway");
    assertThat(metadata).hasSize(1);
    assertThat(metadata.get(0).usage().outputTokens()).isEqualTo(4);
    assertResignedByTheGateway(simulator.lastRequest());
  }

  @Test
  void invoke_model_with_the_anthropic_body_and_betas_bedrock_does_not_know() throws Exception {
    InvokeModelResponse r =
        client(KEY)
            .invokeModel(
                i ->
                    i.modelId(OPUS)
                        .contentType("application/json")
                        .accept("application/json")
                        .body(SdkBytes.fromUtf8String(claudeBody("@sim reply=Invoked"))));
    JsonNode answer = Json.MAPPER.readTree(r.body().asByteArray());
    assertThat(answer.path("content").get(0).path("text").asText()).isEqualTo("Invoked");
    assertThat(r.contentType()).isEqualTo("application/json");
    RecordedRequest seen = simulator.lastRequest();
    assertThat(seen.operation()).isEqualTo(RecordedRequest.INVOKE);
    assertThat(seen.modelId()).isEqualTo(OPUS);
    assertResignedByTheGateway(seen);
    // the simulator refuses unknown betas with "invalid beta flag", as Bedrock does: the gateway
    // dropped it
    assertThat(seen.body().path("anthropic_beta"))
        .isEqualTo(Json.MAPPER.readTree("[\"interleaved-thinking-2025-05-14\"]"));
    JsonNode metadata = Json.MAPPER.readTree(seen.requestMetadata());
    assertThat(metadata.path("gateway-key").asText()).isEqualTo("key-1");
    assertThat(metadata.path("gateway-request-id").asText()).isNotBlank();
  }

  @Test
  void invoke_model_with_response_stream() throws Exception {
    List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());
    InvokeModelWithResponseStreamResponseHandler handler =
        InvokeModelWithResponseStreamResponseHandler.builder()
            .subscriber(
                InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                    .onChunk(
                        (PayloadPart p) -> {
                          try {
                            events.add(Json.MAPPER.readTree(p.bytes().asByteArray()));
                          } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                          }
                        })
                    .build())
            .build();
    asyncClient()
        .invokeModelWithResponseStream(
            i ->
                i.modelId(OPUS)
                    .contentType("application/json")
                    .body(SdkBytes.fromUtf8String(claudeBody("@sim reply=one two three"))),
            handler)
        .get(30, TimeUnit.SECONDS);
    assertThat(events)
        .extracting(e -> e.path("type").asText())
        .startsWith("message_start")
        .endsWith("message_delta", "message_stop");
    StringBuilder text = new StringBuilder();
    events.stream()
        .filter(e -> e.path("delta").path("type").asText().equals("text_delta"))
        .forEach(e -> text.append(e.path("delta").path("text").asText()));
    assertThat(text.toString()).isEqualTo("one two three");
    assertThat(
            events
                .get(events.size() - 1)
                .path("amazon-bedrock-invocationMetrics")
                .path("outputTokenCount")
                .asInt())
        .isEqualTo(3);
    assertThat(simulator.lastRequest().operation()).isEqualTo(RecordedRequest.INVOKE_STREAM);
    assertResignedByTheGateway(simulator.lastRequest());
  }

  @Test
  void count_tokens() {
    String body = claudeBody("How many tokens is this?");
    CountTokensResponse r =
        client(KEY)
            .countTokens(
                c ->
                    c.modelId(SONNET)
                        .input(in -> in.invokeModel(m -> m.body(SdkBytes.fromUtf8String(body)))));
    assertThat(r.inputTokens()).isPositive();
    RecordedRequest seen = simulator.lastRequest();
    assertThat(seen.operation()).isEqualTo(RecordedRequest.COUNT_TOKENS);
    String inner =
        new String(
            Base64.getDecoder().decode(seen.body().at("/input/invokeModel/body").asText()), UTF_8);
    assertThat(inner)
        .doesNotContain("claude-code-20250219")
        .contains("interleaved-thinking-2025-05-14");
    assertResignedByTheGateway(seen);
  }

  @Test
  void a_wrong_key_is_refused_as_aws_refuses_unknown_credentials_and_never_reaches_bedrock() {
    assertThatThrownBy(
            () -> client("not-the-key").converse(c -> c.modelId(SONNET).messages(user("hi"))))
        .isInstanceOfSatisfying(
            BedrockRuntimeException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("Incorrect API key provided.");
              assertThat(e.requestId()).isNotBlank();
            });
    assertThat(simulator.requests()).isEmpty();
  }

  @Test
  void bedrocks_errors_reach_the_sdk_as_its_own_exceptions() {
    assertThatThrownBy(
            () ->
                client(KEY)
                    .converse(c -> c.modelId(SONNET).messages(user("@sim error=throttling"))))
        .isInstanceOfSatisfying(
            ThrottlingException.class, e -> assertThat(e.statusCode()).isEqualTo(429));
    assertThatThrownBy(
            () ->
                client(KEY)
                    .invokeModel(
                        i ->
                            i.modelId(SONNET)
                                .contentType("application/json")
                                .body(
                                    SdkBytes.fromUtf8String(
                                        "{\"anthropic_version\":\"bedrock-2023-05-31\",\"model\":\"x\","
                                            + "\"max_tokens\":1,\"messages\":[]}"))))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.getMessage()).contains("extraneous key [model] is not permitted"));
  }

  @Test
  void the_control_plane_client_lists_the_gateways_inference_profiles() {
    try (BedrockClient control =
        BedrockClient.builder()
            .endpointOverride(URI.create(bedrock.toString()))
            .region(Region.US_EAST_1)
            .tokenProvider(StaticTokenProvider.create(() -> KEY))
            .authSchemeProvider(
                software.amazon.awssdk.services.bedrock.auth.scheme.BedrockAuthSchemeProvider
                    .defaultProvider(List.of(BEARER)))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      List<String> ids =
          control
              .listInferenceProfilesPaginator(
                  r -> r.typeEquals(InferenceProfileType.SYSTEM_DEFINED).maxResults(1))
              .inferenceProfileSummaries()
              .stream()
              .map(InferenceProfileSummary::inferenceProfileId)
              .toList();
      assertThat(ids).containsExactly(SONNET);
      assertThat(control.listFoundationModels(r -> r.byProvider("anthropic")).modelSummaries())
          .extracting(m -> m.modelId())
          .contains("anthropic.claude-3-5-haiku-20241022-v1:0");
    }
    assertThat(simulator.requests()).isEmpty();
  }
}
