package io.github.bedrockgateway.passthrough;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.RecordedRequest;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;

/**
 * The pass-through on the wire, with a raw HTTP client: what the client gets is, to the byte, what
 * Bedrock (the simulator, behind {@link RecordingUpstream}) sent; what Bedrock gets is the client's
 * request re-signed by the gateway, with the gateway's attribution and never the client's key.
 */
@QuarkusTest
@TestProfile(PassthroughProfile.class)
class PassthroughEndToEndTest {

  static final String KEY = "test-key-1";
  static final String SONNET = "us.anthropic.claude-sonnet-4-20250514-v1:0";

  @TestHTTPResource("/bedrock")
  URL bedrock;

  @Inject EmbeddedSimulator embedded;

  @Inject Edge edge;

  BedrockSimulator simulator;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final List<String> accessLines = Collections.synchronizedList(new ArrayList<>());
  final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          accessLines.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void reset() {
    simulator = embedded.simulator();
    simulator.clearRequests();
    simulator.resetHolds();
    java.util.logging.Logger.getLogger("gateway.access").addHandler(capture);
  }

  @AfterEach
  void stopCapture() {
    java.util.logging.Logger.getLogger("gateway.access").removeHandler(capture);
  }

  static String converse(String text) {
    return "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": "
        + Json.MAPPER.valueToTree(text)
        + "}]}],"
        + " \"inferenceConfig\": {\"maxTokens\": 200}}";
  }

  HttpRequest.Builder post(String path, String body) {
    return HttpRequest.newBuilder(URI.create(bedrock + path))
        .header("Authorization", "Bearer " + KEY)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  HttpResponse<byte[]> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  static RecordingUpstream.Answer upstreamAnswer(HttpResponse<?> r) {
    String id = r.headers().firstValue("x-amzn-RequestId").orElseThrow();
    return Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> RecordingUpstream.answer(id), a -> a != null);
  }

  /** The frames of an event stream, each decoded (which checks both CRCs). */
  static List<Message> frames(byte[] stream) {
    List<Message> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(stream);
    while (b.hasRemaining()) {
      int length = b.getInt(b.position());
      ByteBuffer frame = b.slice();
      frame.limit(length);
      out.add(Message.decode(frame));
      b.position(b.position() + length);
    }
    return out;
  }

  static String type(Message m) {
    var t = m.getHeaders().get(":event-type");
    return t != null ? t.getString() : "!" + m.getHeaders().get(":exception-type").getString();
  }

  String accessLine(String requestId) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                accessLines.stream()
                    .filter(l -> l.contains("request_id=" + requestId))
                    .findFirst()
                    .orElse(null),
            l -> l != null);
  }

  @Test
  void
      converse_answer_is_bedrocks_own_bytes_and_bedrock_got_the_gateways_signature_and_attribution()
          throws Exception {
    HttpResponse<byte[]> r =
        send(post("/model/gpt-4o/converse", converse("@sim reply=Hello there")).build());
    assertThat(r.statusCode()).isEqualTo(200);
    RecordingUpstream.Answer sent = upstreamAnswer(r);
    assertThat(r.body()).isEqualTo(sent.body());
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode answer = Json.MAPPER.readTree(r.body());
    assertThat(answer.at("/output/message/content/0/text").asText()).isEqualTo("Hello there");

    RecordedRequest seen = simulator.lastRequest();
    assertThat(seen.operation()).isEqualTo(RecordedRequest.CONVERSE);
    assertThat(seen.modelId()).isEqualTo(SONNET); // the alias, resolved through the catalog
    assertThat(seen.errorType()).isNull(); // the gateway's SigV4 signature verified
    assertThat(seen.accessKeyId()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
    String requestId = r.headers().firstValue("x-request-id").orElseThrow();
    assertThat(seen.body().path("requestMetadata"))
        .isEqualTo(
            Json.MAPPER.readTree(
                "{\"gateway-key\": \"key-1\", \"gateway-request-id\": \"" + requestId + "\"}"));
    assertThat(seen.body().path("messages"))
        .isEqualTo(Json.MAPPER.readTree(converse("@sim reply=Hello there")).path("messages"));
    assertNoClientKey(seen);

    String line = accessLine(requestId);
    assertThat(line)
        .contains("key=key-1")
        .contains("protocol=bedrock.converse ")
        .contains("model=gpt-4o")
        .contains("bedrock_model=" + SONNET)
        .contains("stream=false")
        .contains("status=200")
        .contains("output_tokens=2")
        .contains("bedrock_request_id=" + r.headers().firstValue("x-amzn-RequestId").orElseThrow());
  }

  static void assertNoClientKey(RecordedRequest seen) {
    assertThat(seen.header("Authorization")).startsWith("AWS4-HMAC-SHA256 ").doesNotContain(KEY);
    seen.headers()
        .forEach((name, values) -> assertThat(values).as(name).noneMatch(v -> v.contains(KEY)));
    assertThat(seen.bodyText()).doesNotContain(KEY);
  }

  @Test
  void converse_stream_reaches_the_client_byte_for_byte_with_usage_in_the_access_log()
      throws Exception {
    HttpResponse<byte[]> r =
        send(
            post(
                    "/model/" + SONNET + "/converse-stream",
                    converse("@sim reply=one two three four\n@sim reasoning=Think first."))
                .build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValue("application/vnd.amazon.eventstream");
    RecordingUpstream.Answer sent = upstreamAnswer(r);
    assertThat(r.body()).isEqualTo(sent.body());
    List<Message> frames = frames(r.body());
    assertThat(frames)
        .extracting(PassthroughEndToEndTest::type)
        .startsWith("messageStart")
        .endsWith("messageStop", "metadata");
    JsonNode usage = Json.MAPPER.readTree(frames.get(frames.size() - 1).getPayload()).path("usage");
    String line = accessLine(r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(line)
        .contains("protocol=bedrock.converse-stream")
        .contains("stream=true")
        .contains("status=200")
        .contains("input_tokens=" + usage.path("inputTokens").asInt())
        .contains("output_tokens=" + usage.path("outputTokens").asInt())
        .contains("ttft_ms=");
    assertThat(simulator.lastRequest().modelId()).isEqualTo(SONNET);
  }

  static String claude(String text) {
    return "{\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 100,"
        + " \"anthropic_beta\": [\"interleaved-thinking-2025-05-14\", \"claude-code-20250219\"],"
        + " \"messages\": [{\"role\": \"user\", \"content\": "
        + Json.MAPPER.valueToTree(text)
        + "}]}";
  }

  @Test
  void invoke_answer_and_headers_are_bedrocks_and_usage_comes_from_its_token_headers()
      throws Exception {
    HttpResponse<byte[]> r =
        send(
            post("/model/us.anthropic.claude-opus-5-5/invoke", claude("@sim reply=Invoked fine"))
                .header("Accept", "application/json")
                .build());
    assertThat(r.statusCode()).isEqualTo(200);
    RecordingUpstream.Answer sent = upstreamAnswer(r);
    assertThat(r.body()).isEqualTo(sent.body());
    for (String header :
        List.of(
            "x-amzn-bedrock-input-token-count",
            "x-amzn-bedrock-output-token-count",
            "x-amzn-bedrock-invocation-latency",
            "content-type")) {
      assertThat(r.headers().firstValue(header))
          .as(header)
          .isEqualTo(java.util.Optional.ofNullable(sent.headers().get(header)));
    }
    RecordedRequest seen = simulator.lastRequest();
    // only the member the gateway changed differs from what the client sent
    assertThat(seen.bodyText())
        .isEqualTo(
            claude("@sim reply=Invoked fine")
                .replace(
                    "[\"interleaved-thinking-2025-05-14\", \"claude-code-20250219\"]",
                    "[\"interleaved-thinking-2025-05-14\"]"));
    assertThat(seen.header("Accept")).isEqualTo("application/json");
    String requestId = r.headers().firstValue("x-request-id").orElseThrow();
    assertThat(Json.MAPPER.readTree(seen.requestMetadata()))
        .isEqualTo(
            Json.MAPPER.readTree(
                "{\"gateway-key\": \"key-1\", \"gateway-request-id\": \"" + requestId + "\"}"));
    assertNoClientKey(seen);
    assertThat(accessLine(requestId))
        .contains("protocol=bedrock.invoke ")
        .contains("model=us.anthropic.claude-opus-5-5")
        .contains("input_tokens=" + sent.headers().get("x-amzn-bedrock-input-token-count"))
        .contains("output_tokens=2");
  }

  @Test
  void invoke_stream_reaches_the_client_byte_for_byte_with_usage_from_the_last_chunk()
      throws Exception {
    HttpResponse<byte[]> r =
        send(
            post(
                    "/model/us.anthropic.claude-opus-5-5/invoke-with-response-stream",
                    claude("@sim reply=alpha beta gamma\n@sim thinking=Plan it."))
                .build());
    assertThat(r.statusCode()).isEqualTo(200);
    RecordingUpstream.Answer sent = upstreamAnswer(r);
    assertThat(r.body()).isEqualTo(sent.body());
    List<Message> frames = frames(r.body());
    assertThat(frames).extracting(PassthroughEndToEndTest::type).allMatch("chunk"::equals);
    JsonNode last =
        Json.MAPPER.readTree(
            java.util.Base64.getDecoder()
                .decode(
                    Json.MAPPER
                        .readTree(frames.get(frames.size() - 1).getPayload())
                        .path("bytes")
                        .asText()));
    JsonNode metrics = last.path("amazon-bedrock-invocationMetrics");
    assertThat(accessLine(r.headers().firstValue("x-request-id").orElseThrow()))
        .contains("protocol=bedrock.invoke-with-response-stream")
        .contains("stream=true")
        .contains("status=200")
        .contains("input_tokens=" + metrics.path("inputTokenCount").asInt())
        .contains("output_tokens=" + metrics.path("outputTokenCount").asInt());
  }

  @Test
  void an_embedding_model_is_forwarded_untouched_with_only_the_metadata_header_added()
      throws Exception {
    String body = "{\"inputText\": \"hello\", \"dimensions\": 256}";
    HttpResponse<byte[]> r = send(post("/model/amazon.titan-embed-text-v2:0/invoke", body).build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(upstreamAnswer(r).body());
    assertThat(Json.MAPPER.readTree(r.body()).path("embedding")).hasSize(256);
    assertThat(simulator.lastRequest().bodyText()).isEqualTo(body);
    assertThat(simulator.lastRequest().requestMetadata()).contains("\"gateway-key\":\"key-1\"");
  }

  @Test
  void count_tokens_passes_through() throws Exception {
    String inner =
        java.util.Base64.getEncoder().encodeToString(claude("How long is this?").getBytes(UTF_8));
    HttpResponse<byte[]> r =
        send(
            post(
                    "/model/" + SONNET + "/count-tokens",
                    "{\"input\": {\"invokeModel\": {\"body\": \"" + inner + "\"}}}")
                .build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(upstreamAnswer(r).body());
    assertThat(Json.MAPPER.readTree(r.body()).path("inputTokens").asInt()).isPositive();
    assertThat(simulator.lastRequest().operation()).isEqualTo(RecordedRequest.COUNT_TOKENS);
    assertThat(simulator.lastRequest().requestMetadata()).isNull();
  }

  @Test
  void
      credentials_bedrock_refuses_are_refreshed_and_tried_once_more_then_reported_as_the_gateways_fault()
          throws Exception {
    var registry = simulator.credentials();
    var dev = registry.find("AKIAIOSFODNN7EXAMPLE").orElseThrow();
    registry.remove(dev.accessKeyId());
    try {
      HttpResponse<byte[]> r = send(post("/model/" + SONNET + "/converse", converse("hi")).build());
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("InternalServerException");
      assertThat(Json.MAPPER.readTree(r.body()).path("message").asText())
          .startsWith(
              "Bedrock refused the gateway's AWS credentials; the gateway operator must fix them.");
      assertThat(simulator.requests())
          .hasSize(2)
          .allSatisfy(
              seen ->
                  assertThat(seen.errorType().wireName()).isEqualTo("UnrecognizedClientException"));
    } finally {
      registry.register(dev.accessKeyId(), dev.secretAccessKey());
    }
  }

  String scrape() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(bedrock.toString().replace("/bedrock", "/q/metrics")))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static double sample(String exposition, String name, Map<String, String> labels) {
    double sum = 0;
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "(?m)^" + java.util.regex.Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$")
            .matcher(exposition);
    while (m.find()) {
      String labelText = m.group(1);
      if (labels.entrySet().stream()
          .allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  @Test
  void pass_through_calls_are_counted_in_the_metrics_with_their_tokens() throws Exception {
    Map<String, String> streamed =
        Map.of("model", "claude-haiku", "key", "key-1", "stream", "true", "status", "200");
    Map<String, String> output = Map.of("model", "claude-haiku", "key", "key-1", "type", "output");
    String before = scrape();
    HttpResponse<byte[]> r =
        send(post("/model/claude-haiku/converse-stream", converse("@sim tokens=7")).build());
    assertThat(r.statusCode()).isEqualTo(200);
    String after =
        Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(
                this::scrape,
                m ->
                    sample(m, "gateway_requests_total", streamed)
                            - sample(before, "gateway_requests_total", streamed)
                        >= 1);
    assertThat(
            sample(after, "gateway_requests_total", streamed)
                - sample(before, "gateway_requests_total", streamed))
        .isEqualTo(1.0);
    assertThat(
            sample(after, "gateway_tokens_total", output)
                - sample(before, "gateway_tokens_total", output))
        .isEqualTo(7.0);
    assertThat(simulator.lastRequest().modelId())
        .isEqualTo("anthropic.claude-3-5-haiku-20241022-v1:0");
  }

  @Test
  void the_first_frames_reach_the_client_while_bedrock_still_holds_the_rest() throws Exception {
    HttpResponse<InputStream> r =
        http.send(
            post(
                    "/model/" + SONNET + "/converse-stream",
                    converse("@sim reply=first second third\n@sim hold=pt-held"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    try (InputStream in = r.body()) {
      // messageStart and the first delta are flushed before the simulator pauses at the hold
      byte[] head =
          CompletableFuture.supplyAsync(() -> readFrames(in, 2)).get(10, TimeUnit.SECONDS);
      assertThat(frames(head))
          .extracting(PassthroughEndToEndTest::type)
          .containsExactly("messageStart", "contentBlockDelta");
      assertThat(new String(frames(head).get(1).getPayload(), UTF_8)).contains("first ");
      assertThat(simulator.release("pt-held")).isPositive();
      byte[] rest = in.readAllBytes();
      assertThat(frames(rest))
          .extracting(PassthroughEndToEndTest::type)
          .endsWith("messageStop", "metadata");
    }
  }

  static byte[] readFrames(InputStream in, int count) {
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      for (int i = 0; i < count; i++) {
        byte[] prefix = in.readNBytes(4);
        int length = ByteBuffer.wrap(prefix).getInt();
        out.write(prefix);
        out.write(in.readNBytes(length - 4));
      }
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void a_client_that_goes_away_mid_stream_cancels_the_bedrock_call() throws Exception {
    HttpResponse<InputStream> r =
        http.send(
            post(
                    "/model/" + SONNET + "/converse-stream",
                    converse("@sim tokens=300\n@sim chunk-delay=30"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    InputStream in = r.body();
    CompletableFuture.supplyAsync(() -> readFrames(in, 3)).get(10, TimeUnit.SECONDS);
    in.close();
    RecordedRequest upstream = simulator.lastRequest();
    assertThat(upstream.clientCancelled().get(10, TimeUnit.SECONDS)).isTrue();
    String line = accessLine(r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(line).contains("status=499").contains("error=client_closed");
  }

  @Test
  void bedrocks_errors_pass_through_as_bedrock_sent_them() throws Exception {
    HttpResponse<byte[]> r =
        send(
            post("/model/" + SONNET + "/converse", converse("@sim error=too-many-tokens")).build());
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("x-amzn-ErrorType"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("ThrottlingException"));
    assertThat(r.body()).isEqualTo(upstreamAnswer(r).body());
    assertThat(new String(r.body(), UTF_8)).contains("Too many tokens");
    String line = accessLine(r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(line).contains("status=429").contains("error=ThrottlingException");
  }

  @Test
  void an_exception_bedrock_sends_inside_the_stream_passes_through_and_is_logged()
      throws Exception {
    HttpResponse<byte[]> r =
        send(
            post(
                    "/model/" + SONNET + "/converse-stream",
                    converse(
                        "@sim tokens=5\n@sim stream-error=throttlingException\n@sim stream-error-after=2"))
                .build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(upstreamAnswer(r).body());
    List<Message> frames = frames(r.body());
    assertThat(type(frames.get(frames.size() - 1))).isEqualTo("!throttlingException");
    String line = accessLine(r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(line).contains("status=429").contains("error=throttlingException");
  }

  @Test
  void a_stream_bedrock_leaves_silent_ends_with_an_exception_frame_after_whole_frames()
      throws Exception {
    // the profile's stream idle timeout is 3 s; the simulator holds after the first delta for up to
    // 30 s
    HttpResponse<byte[]> r =
        send(
            post(
                    "/model/" + SONNET + "/converse-stream",
                    converse("@sim reply=first second\n@sim hold=pt-never"))
                .build());
    assertThat(r.statusCode()).isEqualTo(200);
    List<Message> frames = frames(r.body());
    assertThat(frames)
        .extracting(PassthroughEndToEndTest::type)
        .containsExactly("messageStart", "contentBlockDelta", "!modelStreamErrorException");
    assertThat(new String(frames.get(2).getPayload(), UTF_8))
        .contains("Bedrock sent nothing for 3 s");
    assertThat(simulator.lastRequest().clientCancelled().get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void shutdown_ends_an_open_stream_with_a_service_unavailable_frame() throws Exception {
    HttpResponse<InputStream> r =
        http.send(
            post(
                    "/model/" + SONNET + "/converse-stream",
                    converse("@sim reply=first second\n@sim hold=pt-shutdown"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      CompletableFuture.supplyAsync(() -> readFrames(in, 2)).get(10, TimeUnit.SECONDS);
      edge.endOpenStreams(Duration.ofSeconds(5));
      List<Message> rest = frames(in.readAllBytes());
      assertThat(rest)
          .extracting(PassthroughEndToEndTest::type)
          .containsExactly("!serviceUnavailableException");
    } finally {
      simulator.release("pt-shutdown");
    }
  }

  @Test
  void a_wrong_or_missing_key_gets_the_403_aws_gives_unknown_credentials_and_never_reaches_bedrock()
      throws Exception {
    HttpResponse<byte[]> wrong =
        send(
            HttpRequest.newBuilder(URI.create(bedrock + "/model/" + SONNET + "/converse"))
                .header("Authorization", "Bearer not-a-key")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(converse("hi")))
                .build());
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrong.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("UnrecognizedClientException");
    assertThat(wrong.headers().firstValue("x-amzn-RequestId"))
        .isEqualTo(wrong.headers().firstValue("x-request-id"));
    assertThat(Json.MAPPER.readTree(wrong.body()).path("message").asText())
        .isEqualTo("Incorrect API key provided.");
    HttpResponse<byte[]> missing =
        send(
            HttpRequest.newBuilder(URI.create(bedrock + "/model/" + SONNET + "/invoke"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    assertThat(missing.statusCode()).isEqualTo(403);
    assertThat(Json.MAPPER.readTree(missing.body()).path("message").asText())
        .contains("Authorization header");
    HttpResponse<byte[]> list =
        send(
            HttpRequest.newBuilder(URI.create(bedrock + "/inference-profiles"))
                .header("Authorization", "Bearer not-a-key")
                .GET()
                .build());
    assertThat(list.statusCode()).isEqualTo(403);
    assertThat(simulator.requests()).isEmpty();
    assertThat(accessLine(wrong.headers().firstValue("x-request-id").orElseThrow()))
        .contains("status=403")
        .contains("error=invalid_api_key");
  }

  @Test
  void requests_bedrock_would_refuse_get_bedrocks_error_shapes() throws Exception {
    HttpResponse<byte[]> notJson =
        send(post("/model/" + SONNET + "/converse", "{\"messages\": [").build());
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.headers().firstValue("x-amzn-ErrorType")).hasValue("SerializationException");
    HttpResponse<byte[]> unknown = send(post("/model/" + SONNET + "/generate", "{}").build());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("UnknownOperationException");
    HttpResponse<byte[]> wrongMethod =
        send(
            HttpRequest.newBuilder(URI.create(bedrock + "/model/" + SONNET + "/converse"))
                .header("Authorization", "Bearer " + KEY)
                .GET()
                .build());
    assertThat(wrongMethod.statusCode()).isEqualTo(404);
    assertThat(wrongMethod.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("UnknownOperationException");
    HttpResponse<byte[]> dotDot = send(post("/model/%2E%2E/converse", converse("hi")).build());
    assertThat(dotDot.statusCode()).isIn(400, 404);
    assertThat(dotDot.headers().firstValue("x-amzn-ErrorType")).isPresent();
    HttpResponse<byte[]> gzip =
        send(
            post("/model/" + SONNET + "/converse", converse("hi"))
                .header("Content-Encoding", "gzip")
                .build());
    assertThat(gzip.statusCode()).isEqualTo(400);
    assertThat(gzip.headers().firstValue("x-amzn-ErrorType")).hasValue("ValidationException");
    assertThat(simulator.requests()).isEmpty();
  }

  @Test
  void the_control_plane_lists_come_from_the_catalog() throws Exception {
    HttpResponse<byte[]> profiles =
        send(
            HttpRequest.newBuilder(
                    URI.create(bedrock + "/inference-profiles?type=SYSTEM_DEFINED&maxResults=1"))
                .header("Authorization", "Bearer " + KEY)
                .GET()
                .build());
    assertThat(profiles.statusCode()).isEqualTo(200);
    JsonNode page = Json.MAPPER.readTree(profiles.body());
    assertThat(page.path("inferenceProfileSummaries"))
        .extracting(p -> p.path("inferenceProfileId").asText())
        .containsExactly(SONNET);
    assertThat(page.has("nextToken")).isFalse();
    HttpResponse<byte[]> models =
        send(
            HttpRequest.newBuilder(URI.create(bedrock + "/foundation-models?byProvider=anthropic"))
                .header("Authorization", "Bearer " + KEY)
                .GET()
                .build());
    assertThat(Json.MAPPER.readTree(models.body()).path("modelSummaries"))
        .extracting(m -> m.path("modelId").asText())
        .containsExactly(
            "anthropic.claude-sonnet-4-20250514-v1:0", "anthropic.claude-3-5-haiku-20241022-v1:0");
    HttpResponse<byte[]> one =
        send(
            HttpRequest.newBuilder(URI.create(bedrock + "/inference-profiles/" + SONNET))
                .header("Authorization", "Bearer " + KEY)
                .GET()
                .build());
    assertThat(Json.MAPPER.readTree(one.body()).path("models").get(0).path("modelArn").asText())
        .isEqualTo(
            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0");
    HttpResponse<byte[]> none =
        send(
            HttpRequest.newBuilder(URI.create(bedrock + "/inference-profiles/nope"))
                .header("Authorization", "Bearer " + KEY)
                .GET()
                .build());
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
    assertThat(simulator.requests())
        .isEmpty(); // answered by the gateway, not Bedrock's control plane
    assertThat(accessLine(profiles.headers().firstValue("x-request-id").orElseThrow()))
        .contains("protocol=bedrock.list-inference-profiles")
        .contains("status=200");
  }

  @Test
  void the_clients_bedrock_headers_are_forwarded_and_its_other_headers_are_not() throws Exception {
    HttpResponse<byte[]> r =
        send(
            post("/model/gpt-4o/converse", converse("hi"))
                .header("X-Amzn-Bedrock-Trace", "ENABLED")
                .header("anthropic-beta", "claude-code-20250219")
                .header("X-Amz-Security-Token", "client-session-token")
                .header("x-app", "cli")
                .build());
    assertThat(r.statusCode()).isEqualTo(200);
    RecordedRequest seen = simulator.lastRequest();
    assertThat(seen.header("X-Amzn-Bedrock-Trace")).isEqualTo("ENABLED");
    assertThat(seen.header("anthropic-beta")).isNull();
    assertThat(seen.header("x-app")).isNull();
    assertThat(seen.header("X-Amz-Security-Token")).isNull();
    assertNoClientKey(seen);
  }

  @Test
  void an_application_inference_profile_arn_is_routed_as_one_path_segment() throws Exception {
    String arn =
        "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3x9q2example";
    HttpResponse<byte[]> r =
        send(
            post(
                    "/model/" + java.net.URLEncoder.encode(arn, UTF_8) + "/converse",
                    converse("@sim reply=ok"))
                .build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(simulator.lastRequest().modelId()).isEqualTo(arn);
    assertThat(simulator.lastRequest().rawPath())
        .isEqualTo(
            "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fk3x9q2example/converse");
  }

  @Test
  void every_forwarded_call_is_released_from_the_in_flight_count() throws Exception {
    send(post("/model/" + SONNET + "/converse", converse("hi")).build());
    send(post("/model/" + SONNET + "/converse-stream", converse("hi")).build());
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> edge.inFlight() == 0);
    assertThat(Map.of("inFlight", edge.inFlight())).isEqualTo(Map.of("inFlight", 0));
  }
}
