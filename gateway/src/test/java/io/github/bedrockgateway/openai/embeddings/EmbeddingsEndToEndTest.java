package io.github.bedrockgateway.openai.embeddings;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.simulator.BedrockErrorType;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.EmbeddingModels;
import io.github.bedrockgateway.simulator.RecordedRequest;
import io.github.bedrockgateway.simulator.SimulatorCredentials;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/embeddings} end to end: the official OpenAI Java SDK (and raw HTTP for the error
 * envelope) against the gateway, the real AWS SDK signing InvokeModel calls to the in-repo
 * simulator, whose vectors are a known function of the text ({@link EmbeddingModels#vector}), so
 * every answer is checked value for value and in order.
 */
@QuarkusTest
@TestProfile(EmbeddingsEndToEndTest.Profile.class)
class EmbeddingsEndToEndTest {

  static final String KEY = "test-key-1";
  static final String TITAN = "amazon.titan-embed-text-v2:0";
  static final String COHERE_V3 = "cohere.embed-english-v3";
  static final int MAX_CONCURRENT = 3;

  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "gateway.models.list",
          "gpt-4o=us.anthropic.claude-sonnet-4-20250514-v1:0,"
              + "text-embedding-3-small="
              + TITAN
              + ",embed-v4=us.cohere.embed-v4:0",
          "gateway.embeddings.max-inputs",
          "300",
          "gateway.embeddings.max-concurrent-calls",
          String.valueOf(MAX_CONCURRENT));
    }
  }

  @TestHTTPResource("/v1")
  URL baseUrl;

  @Inject EmbeddedSimulator embedded;

  BedrockSimulator simulator;
  OpenAIClient client;
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
  void open() {
    client =
        OpenAIOkHttpClient.builder().baseUrl(baseUrl.toString()).apiKey(KEY).maxRetries(0).build();
    simulator = embedded.simulator();
    simulator.clearRequests();
    java.util.logging.Logger.getLogger("gateway.access").addHandler(capture);
  }

  @AfterEach
  void close() {
    java.util.logging.Logger.getLogger("gateway.access").removeHandler(capture);
    client.close();
  }

  private static Response post(String body) {
    return given()
        .header("Authorization", "Bearer " + KEY)
        .contentType("application/json")
        .body(body)
        .when()
        .post("/v1/embeddings");
  }

  private static List<Float> expected(String text, int dimensions) {
    float[] v = EmbeddingModels.vector(text, dimensions, true);
    List<Float> out = new ArrayList<>(v.length);
    for (float f : v) {
      out.add(f);
    }
    return out;
  }

  private List<RecordedRequest> invokes() {
    return simulator.requests().stream()
        .filter(r -> RecordedRequest.INVOKE.equals(r.operation()))
        .toList();
  }

  @Test
  void titan_embeds_each_text_in_one_call_and_answers_floats_in_input_order() throws Exception {
    List<String> texts = List.of("The food was delicious", "and the waiter", "friendly.");
    CreateEmbeddingResponse answer =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("text-embedding-3-small")
                    .inputOfArrayOfStrings(texts)
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                    .build());

    assertThat(answer.model()).isEqualTo("text-embedding-3-small");
    assertThat(answer.data()).extracting(Embedding::index).containsExactly(0L, 1L, 2L);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(answer.data().get(i).embedding())
          .as("vector %d", i)
          .isEqualTo(expected(texts.get(i), 1024));
    }
    int tokens = texts.stream().mapToInt(InvokeModelToOpenAi::estimateTokens).sum();
    assertThat(answer.usage().promptTokens()).isEqualTo(tokens);
    assertThat(answer.usage().totalTokens()).isEqualTo(tokens);

    List<RecordedRequest> calls = invokes();
    assertThat(calls)
        .hasSize(3)
        .allSatisfy(
            call -> {
              assertThat(call.modelId()).isEqualTo(TITAN);
              assertThat(call.errorType()).isNull();
            });
    assertThat(calls)
        .extracting(call -> call.body().path("inputText").asText())
        .containsExactlyInAnyOrderElementsOf(texts);
    assertThat(calls.get(0).body().path("normalize").asBoolean()).isTrue();
    assertThat(calls.get(0).body().has("dimensions")).isFalse();
  }

  @Test
  void base64_is_decoded_by_the_sdk_to_the_same_vectors_as_float() {
    List<String> texts = List.of("alpha", "beta");
    EmbeddingCreateParams.Builder params =
        EmbeddingCreateParams.builder()
            .model("text-embedding-3-small")
            .inputOfArrayOfStrings(texts)
            .dimensions(256);
    CreateEmbeddingResponse floats =
        client
            .embeddings()
            .create(params.encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
    CreateEmbeddingResponse base64 =
        client
            .embeddings()
            .create(params.encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
    // the SDK's default: it asks for base64 when the application names no format
    CreateEmbeddingResponse byDefault =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("text-embedding-3-small")
                    .inputOfArrayOfStrings(texts)
                    .dimensions(256)
                    .build());

    assertThat(base64.data().get(0).embeddingValue().isBase64()).isTrue();
    for (CreateEmbeddingResponse other : List.of(base64, byDefault)) {
      for (int i = 0; i < texts.size(); i++) {
        assertThat(other.data().get(i).embedding())
            .isEqualTo(floats.data().get(i).embedding())
            .isEqualTo(expected(texts.get(i), 256));
      }
    }
    assertThat(invokes())
        .hasSize(6)
        .allSatisfy(call -> assertThat(call.body().path("dimensions").asInt()).isEqualTo(256));
  }

  @Test
  void base64_on_the_wire_is_little_endian_float32() throws Exception {
    Response r =
        post(
            """
                {"model": "text-embedding-3-small", "input": "wire check", "dimensions": 512,
                 "encoding_format": "base64"}
                """);
    r.then().statusCode(200).contentType("application/json");
    JsonNode body = Json.MAPPER.readTree(r.asString());
    byte[] bytes = Base64.getDecoder().decode(body.path("data").path(0).path("embedding").asText());
    assertThat(bytes).hasSize(512 * 4);
    float[] decoded = new float[512];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(decoded);
    assertThat(decoded).containsExactly(EmbeddingModels.vector("wire check", 512, true));
    assertThat(body.path("object").asText()).isEqualTo("list");
    assertThat(body.path("data").path(0).path("object").asText()).isEqualTo("embedding");
  }

  @Test
  void cohere_takes_96_texts_per_call_and_the_answer_keeps_the_input_order() {
    List<String> texts = IntStream.range(0, 200).mapToObj(i -> "passage number " + i).toList();
    CreateEmbeddingResponse answer =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model(COHERE_V3)
                    .inputOfArrayOfStrings(texts)
                    .build());

    assertThat(answer.data()).hasSize(200);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(answer.data().get(i).index()).isEqualTo(i);
      assertThat(answer.data().get(i).embedding())
          .as("vector %d", i)
          .isEqualTo(expected(texts.get(i), 1024));
    }
    List<RecordedRequest> calls = invokes();
    assertThat(calls).hasSize(3);
    List<List<String>> sent =
        calls.stream()
            .map(
                call -> {
                  List<String> batch = new ArrayList<>();
                  call.body().path("texts").forEach(t -> batch.add(t.asText()));
                  return batch;
                })
            .sorted((a, b) -> Integer.compare(texts.indexOf(a.get(0)), texts.indexOf(b.get(0))))
            .toList();
    assertThat(sent)
        .containsExactly(texts.subList(0, 96), texts.subList(96, 192), texts.subList(192, 200));
    assertThat(calls)
        .allSatisfy(
            call -> {
              assertThat(call.modelId()).isEqualTo(COHERE_V3);
              assertThat(call.body().path("input_type").asText()).isEqualTo("search_document");
              assertThat(call.body().path("embedding_types")).hasToString("[\"float\"]");
            });
  }

  @Test
  void cohere_v4_takes_dimensions_and_the_input_type_extension_through_an_alias() {
    CreateEmbeddingResponse answer =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("embed-v4")
                    .input("what is the capital of France?")
                    .dimensions(512)
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                    .putAdditionalBodyProperty("input_type", JsonValue.from("search_query"))
                    .build());

    assertThat(answer.model()).isEqualTo("embed-v4");
    assertThat(answer.data().get(0).embedding())
        .isEqualTo(expected("what is the capital of France?", 512));
    RecordedRequest call = simulator.lastRequest();
    assertThat(call.modelId()).isEqualTo("us.cohere.embed-v4:0");
    assertThat(call.body())
        .isEqualTo(
            Json.MAPPER.valueToTree(
                Map.of(
                    "texts",
                    List.of("what is the capital of France?"),
                    "input_type",
                    "search_query",
                    "embedding_types",
                    List.of("float"),
                    "output_dimension",
                    512)));
  }

  @Test
  void every_call_carries_the_attribution_and_the_exchange_is_logged() {
    Response r =
        post(
            """
                {"model": "text-embedding-3-small", "input": ["one", "two"]}
                """);
    r.then().statusCode(200);
    String requestId = r.header("x-request-id");
    assertThat(r.header("x-bedrock-request-id")).isNotBlank();
    assertThat(invokes())
        .hasSize(2)
        .allSatisfy(
            call -> {
              String metadata = call.header("X-Amzn-Bedrock-Request-Metadata");
              assertThat(metadata).isNotNull();
              try {
                assertThat(Json.MAPPER.readTree(metadata))
                    .isEqualTo(
                        Json.MAPPER.valueToTree(
                            Map.of("gateway-key", "key-1", "gateway-request-id", requestId)));
              } catch (java.io.IOException e) {
                throw new AssertionError(e);
              }
            });
    String line =
        poll(
            () -> {
              synchronized (accessLines) {
                return accessLines.stream()
                    .filter(l -> l.contains(requestId))
                    .findFirst()
                    .orElse(null);
              }
            });
    assertThat(line)
        .contains("model=text-embedding-3-small")
        .contains("bedrock_model=" + TITAN)
        .contains("status=200")
        .contains("input_tokens=2")
        .contains("output_tokens=0")
        .contains("bedrock_request_id=" + r.header("x-bedrock-request-id"));
  }

  @Test
  void runs_calls_concurrently_and_keeps_the_order_when_they_finish_out_of_order() {
    // The first call answers late: the others overtake it, and the answer is still in input order.
    List<String> texts = new ArrayList<>();
    texts.add("slow one\n@sim latency=4000");
    IntStream.range(1, 8).forEach(i -> texts.add("quick " + i));
    CreateEmbeddingResponse answer =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model(TITAN)
                    .inputOfArrayOfStrings(texts)
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                    .build());
    for (int i = 0; i < texts.size(); i++) {
      assertThat(answer.data().get(i).embedding()).isEqualTo(expected(texts.get(i), 1024));
    }
    List<RecordedRequest> calls = invokes();
    assertThat(calls).hasSize(8);
    RecordedRequest slow =
        calls.stream()
            .filter(c -> c.body().path("inputText").asText().startsWith("slow"))
            .findFirst()
            .orElseThrow();
    // sequential calls would each wait for the slow one's 4 s answer
    assertThat(calls)
        .filteredOn(c -> c != slow)
        .allSatisfy(
            c ->
                assertThat(Duration.between(slow.receivedAt(), c.receivedAt()))
                    .isLessThan(Duration.ofMillis(4000)));
  }

  @Test
  void never_runs_more_calls_at_once_than_configured() {
    // Every call takes at least 300 ms: with at most N running, the (k+N)-th call can only be sent
    // after one of the calls k..k+N-1 has answered, so at least 300 ms after the k-th arrived.
    List<String> texts =
        IntStream.range(0, 9).mapToObj(i -> "held " + i + "\n@sim latency=300").toList();
    client
        .embeddings()
        .create(EmbeddingCreateParams.builder().model(TITAN).inputOfArrayOfStrings(texts).build());
    List<RecordedRequest> calls = new ArrayList<>(invokes());
    assertThat(calls).hasSize(9);
    calls.sort((a, b) -> a.receivedAt().compareTo(b.receivedAt()));
    for (int k = 0; k + MAX_CONCURRENT < calls.size(); k++) {
      assertThat(
              Duration.between(
                  calls.get(k).receivedAt(), calls.get(k + MAX_CONCURRENT).receivedAt()))
          .as("call %d after call %d", k + MAX_CONCURRENT, k)
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  void a_client_that_hangs_up_cancels_the_calls_in_flight_and_no_more_start() throws Exception {
    // Every call would take 30 s; the client leaves once the first N are in flight.
    List<String> texts =
        IntStream.range(0, 8).mapToObj(i -> "long " + i + "\n@sim latency=30000").toList();
    byte[] body = Json.MAPPER.writeValueAsBytes(Map.of("model", TITAN, "input", texts));
    try (Socket socket = new Socket(baseUrl.getHost(), baseUrl.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/embeddings HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                  + KEY
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      simulator.awaitRequests(MAX_CONCURRENT, Duration.ofSeconds(30));
    }
    List<RecordedRequest> calls = invokes();
    assertThat(calls).hasSize(MAX_CONCURRENT);
    for (RecordedRequest call : calls) {
      assertThat(call.clientCancelled().get(30, TimeUnit.SECONDS)).as("call cancelled").isTrue();
    }
    // the calls were cancelled, not answered: nothing could have started another one
    assertThat(invokes()).hasSize(MAX_CONCURRENT);
  }

  @Test
  void credentials_bedrock_refuses_are_refreshed_and_the_call_retried_once() throws Exception {
    // Bedrock stops accepting the gateway's key: the call is retried once after a refresh (the
    // static
    // strategy has nothing newer to offer, so the retry is refused too) and the client gets a 502.
    simulator.credentials().remove(SimulatorCredentials.DEV_ACCESS_KEY_ID);
    try {
      Response r = post("{\"model\": \"" + TITAN + "\", \"input\": \"refused twice\"}");
      r.then().statusCode(502);
      assertThat(Json.MAPPER.readTree(r.asString()).path("error").path("code").asText())
          .isEqualTo("upstream_authentication_failed");
    } finally {
      simulator
          .credentials()
          .register(
              SimulatorCredentials.DEV_ACCESS_KEY_ID, SimulatorCredentials.DEV_SECRET_ACCESS_KEY);
    }
    assertThat(invokes())
        .hasSize(2)
        .allSatisfy(
            call ->
                assertThat(call.errorType())
                    .isEqualTo(BedrockErrorType.UNRECOGNIZED_CLIENT_EXCEPTION));
  }

  @Test
  void refuses_a_chat_model_naming_model_without_calling_bedrock() {
    post("""
                {"model": "gpt-4o", "input": "hello"}
                """)
        .then()
        .statusCode(400)
        .contentType("application/json")
        .body("error.type", org.hamcrest.Matchers.equalTo("invalid_request_error"))
        .body("error.param", org.hamcrest.Matchers.equalTo("model"))
        .body(
            "error.message",
            org.hamcrest.Matchers.containsString(
                "The model 'gpt-4o' (us.anthropic.claude-sonnet-4-20250514-v1:0) is not an embedding model"));
    assertThat(simulator.requests()).isEmpty();
  }

  @Test
  void refuses_token_input_through_the_sdk_naming_input() {
    assertThatThrownBy(
            () ->
                client
                    .embeddings()
                    .create(
                        EmbeddingCreateParams.builder()
                            .model(TITAN)
                            .inputOfArrayOfTokenArrays(
                                List.of(List.of(1820L, 25977L), List.of(374L)))
                            .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.param()).contains("input");
              assertThat(e.type()).contains("invalid_request_error");
              assertThat(e.getMessage()).contains("takes text only");
            });
    assertThat(simulator.requests()).isEmpty();
  }

  @Test
  void refuses_bad_parameters_in_the_openai_envelope() throws Exception {
    record Case(String body, String param, String message) {}
    List<Case> cases =
        List.of(
            new Case(
                "{\"model\": \"" + TITAN + "\", \"input\": [1820, 25977]}",
                "input",
                "takes text only"),
            new Case(
                "{\"model\": \"" + COHERE_V3 + "\", \"input\": \"x\", \"dimensions\": 512}",
                "dimensions",
                "Cohere Embed v3 has 1024 dimensions only"),
            new Case(
                "{\"model\": \"" + TITAN + "\", \"input\": \"x\", \"dimensions\": 1536}",
                "dimensions",
                "offers 256, 512 or 1024 dimensions"),
            new Case(
                "{\"model\": \"embed-v4\", \"input\": \"x\", \"dimensions\": 100}",
                "dimensions",
                "offers 256, 512, 1024 or 1536 dimensions"),
            new Case(
                "{\"model\": \"" + TITAN + "\", \"input\": \"x\", \"encoding_format\": \"int8\"}",
                "encoding_format",
                "'encoding_format' must be 'float' or 'base64'"),
            new Case(
                "{\"model\": \"" + COHERE_V3 + "\", \"input\": \"x\", \"input_type\": \"query\"}",
                "input_type",
                "'input_type' must be one of"),
            new Case(
                "{\"model\": \""
                    + TITAN
                    + "\", \"input\": "
                    + Json.MAPPER.writeValueAsString(Collections.nCopies(301, "x"))
                    + "}",
                "input",
                "at most 300 are accepted"),
            new Case("{\"input\": \"x\"}", "model", "You must provide a model parameter"),
            new Case("{\"model\": \"" + TITAN + "\"}", "input", "You must provide 'input'"));
    for (Case c : cases) {
      Response r = post(c.body());
      JsonNode error = Json.MAPPER.readTree(r.asString()).path("error");
      assertThat(r.statusCode()).as(c.body()).isEqualTo(400);
      assertThat(error.path("type").asText()).as(c.body()).isEqualTo("invalid_request_error");
      assertThat(error.path("param").asText()).as(c.body()).isEqualTo(c.param());
      assertThat(error.path("message").asText()).as(c.body()).contains(c.message());
    }
    assertThat(simulator.requests()).isEmpty();
  }

  @Test
  void a_bedrock_refusal_of_one_text_names_the_inputs_of_its_call() throws Exception {
    List<String> texts =
        new ArrayList<>(IntStream.range(0, 100).mapToObj(i -> "text " + i).toList());
    texts.set(97, "y".repeat(3000)); // Cohere v3 takes at most 2048 characters per text
    Response r = post(Json.MAPPER.writeValueAsString(Map.of("model", COHERE_V3, "input", texts)));
    JsonNode error = Json.MAPPER.readTree(r.asString()).path("error");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error.path("param").asText()).isEqualTo("input");
    assertThat(error.path("message").asText())
        .startsWith("Bedrock refused one of input[96] to input[99]: ")
        .contains("ValidationException");
  }

  @Test
  void a_throttled_call_fails_the_whole_request_with_retry_after_and_no_partial_list()
      throws Exception {
    List<String> texts =
        new ArrayList<>(IntStream.range(0, 150).mapToObj(i -> "text " + i).toList());
    texts.set(120, "text 120\n@sim error=ThrottlingException");
    Response r = post(Json.MAPPER.writeValueAsString(Map.of("model", COHERE_V3, "input", texts)));
    r.then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());
    JsonNode error = Json.MAPPER.readTree(r.asString()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(r.asString()).doesNotContain("\"data\"");
  }

  @Test
  void other_methods_and_missing_keys_are_refused_in_the_openai_envelope() {
    given()
        .header("Authorization", "Bearer " + KEY)
        .when()
        .get("/v1/embeddings")
        .then()
        .statusCode(405)
        .body("error.type", org.hamcrest.Matchers.equalTo("invalid_request_error"));
    given()
        .contentType("application/json")
        .body("{\"model\": \"" + TITAN + "\", \"input\": \"x\"}")
        .when()
        .post("/v1/embeddings")
        .then()
        .statusCode(401)
        .body("error.code", org.hamcrest.Matchers.equalTo("invalid_api_key"));
    assertThat(simulator.requests()).isEmpty();
  }

  /**
   * The access line is written when the response has ended on the server, a moment after the client
   * read it.
   */
  private static <T> T poll(Supplier<T> value) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(value::get, java.util.Objects::nonNull);
  }
}
