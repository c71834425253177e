package io.github.bedrockgateway.simulator;

import static io.github.bedrockgateway.simulator.SimulatorClients.DEV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * Titan Text Embeddings V2 and Cohere Embed v3 / v4 through InvokeModel with the real SDK client.
 */
class BedrockSimulatorEmbeddingsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static BedrockSimulator simulator;
  private static BedrockRuntimeClient client;

  @BeforeAll
  static void start() {
    simulator = new BedrockSimulator(SimulatorOptions.defaults());
    simulator.start();
    client = SimulatorClients.sync(simulator, DEV);
  }

  @AfterAll
  static void stop() {
    client.close();
    simulator.stop();
  }

  private static InvokeModelResponse invokeRaw(String modelId, String body) {
    return client.invokeModel(r -> r.modelId(modelId).body(SdkBytes.fromUtf8String(body)));
  }

  private static JsonNode invoke(String modelId, String body) throws Exception {
    return JSON.readTree(invokeRaw(modelId, body).body().asByteArray());
  }

  private static List<Float> floats(JsonNode array) {
    List<Float> values = new ArrayList<>();
    array.forEach(v -> values.add(v.floatValue()));
    return values;
  }

  private static List<Float> floats(float[] array) {
    List<Float> values = new ArrayList<>();
    for (float v : array) {
      values.add(v);
    }
    return values;
  }

  private static double norm(JsonNode array) {
    double sum = 0;
    for (JsonNode v : array) {
      sum += v.doubleValue() * v.doubleValue();
    }
    return Math.sqrt(sum);
  }

  @Test
  void titan_v2_answers_a_unit_vector_of_1024_by_default_deterministic_from_the_text()
      throws Exception {
    InvokeModelResponse response =
        invokeRaw(EmbeddingModels.TITAN_TEXT_V2, "{\"inputText\": \"Hello world\"}");
    JsonNode answer = JSON.readTree(response.body().asByteArray());

    assertThat(answer.path("embedding")).hasSize(1024);
    assertThat(norm(answer.path("embedding"))).isCloseTo(1.0, within(1e-4));
    assertThat(answer.path("inputTextTokenCount").asInt()).isEqualTo(3);
    assertThat(floats(answer.path("embedding")))
        .isEqualTo(floats(EmbeddingModels.vector("Hello world", 1024, true)));
    assertThat(response.sdkHttpResponse().firstMatchingHeader("X-Amzn-Bedrock-Input-Token-Count"))
        .hasValue("3");
    assertThat(
            invoke(EmbeddingModels.TITAN_TEXT_V2, "{\"inputText\": \"Hello world\"}")
                .path("embedding"))
        .isEqualTo(answer.path("embedding"));
    assertThat(
            invoke(EmbeddingModels.TITAN_TEXT_V2, "{\"inputText\": \"Hello world!\"}")
                .path("embedding"))
        .isNotEqualTo(answer.path("embedding"));
    assertThat(simulator.lastRequest().operation()).isEqualTo(RecordedRequest.INVOKE);
  }

  @Test
  void titan_v2_honours_dimensions_normalize_and_embedding_types() throws Exception {
    JsonNode small =
        invoke(
            EmbeddingModels.TITAN_TEXT_V2,
            "{\"inputText\": \"abc\", \"dimensions\": 256, \"normalize\": false, \"embeddingTypes\": [\"float\", \"binary\"]}");

    assertThat(small.path("embedding")).hasSize(256);
    assertThat(floats(small.path("embedding")))
        .isEqualTo(floats(EmbeddingModels.vector("abc", 256, false)));
    assertThat(norm(small.path("embedding"))).isGreaterThan(1.5);
    assertThat(small.path("embeddingsByType").path("float")).isEqualTo(small.path("embedding"));
    assertThat(small.path("embeddingsByType").path("binary"))
        .hasSize(256)
        .allSatisfy(bit -> assertThat(bit.asInt()).isIn(0, 1));
  }

  @Test
  void cohere_v3_embeds_each_text_as_floats_or_by_type() throws Exception {
    JsonNode floats =
        invoke(
            EmbeddingModels.COHERE_ENGLISH_V3,
            "{\"texts\": [\"first\", \"second\"], \"input_type\": \"search_document\"}");
    assertThat(floats.path("response_type").asText()).isEqualTo("embeddings_floats");
    assertThat(floats.path("embeddings")).hasSize(2);
    assertThat(floats.path("embeddings").get(0)).hasSize(1024);
    assertThat(floats(floats.path("embeddings").get(1)))
        .isEqualTo(floats(EmbeddingModels.vector("second", 1024, true)));
    assertThat(floats.path("texts"))
        .extracting(JsonNode::asText)
        .containsExactly("first", "second");
    assertThat(floats.path("id").asText()).isNotBlank();

    JsonNode byType =
        invoke(
            EmbeddingModels.COHERE_MULTILINGUAL_V3,
            "{\"texts\": [\"erste\"], \"input_type\":"
                + " \"search_query\", \"embedding_types\": [\"float\", \"int8\", \"ubinary\"]}");
    assertThat(byType.path("response_type").asText()).isEqualTo("embeddings_by_type");
    assertThat(byType.path("embeddings").path("float").get(0)).hasSize(1024);
    assertThat(byType.path("embeddings").path("int8").get(0)).hasSize(1024);
    assertThat(byType.path("embeddings").path("ubinary").get(0)).hasSize(128);
  }

  @Test
  void cohere_v4_defaults_to_1536_and_takes_an_output_dimension() throws Exception {
    assertThat(
            invoke(
                    EmbeddingModels.COHERE_V4,
                    "{\"texts\": [\"x\"], \"input_type\": \"clustering\"}")
                .path("embeddings")
                .get(0))
        .hasSize(1536);
    assertThat(
            invoke(
                    "us." + EmbeddingModels.COHERE_V4,
                    "{\"texts\": [\"x\"], \"input_type\": \"clustering\","
                        + " \"output_dimension\": 256}")
                .path("embeddings")
                .get(0))
        .hasSize(256);
  }

  static Stream<Arguments> refusals() {
    String ninetySeven = JSON.valueToTree(Collections.nCopies(97, "t")).toString();
    return Stream.of(
        Arguments.of(EmbeddingModels.TITAN_TEXT_V2, "{}", "#: required key [inputText] not found"),
        Arguments.of(
            EmbeddingModels.TITAN_TEXT_V2,
            "{\"inputText\": [\"a\", \"b\"]}",
            "#/inputText: expected type: String, found: JSONArray"),
        Arguments.of(
            EmbeddingModels.TITAN_TEXT_V2,
            "{\"inputText\": \"a\", \"dimensions\": 300}",
            "#/dimensions: 300 is not a valid enum value"),
        Arguments.of(
            EmbeddingModels.TITAN_TEXT_V2,
            "{\"texts\": [\"a\"]}",
            "#: extraneous key [texts] is not permitted"),
        Arguments.of(
            EmbeddingModels.COHERE_ENGLISH_V3,
            "{\"texts\": [\"a\"]}",
            "#: required key [input_type] not found"),
        Arguments.of(
            EmbeddingModels.COHERE_ENGLISH_V3,
            "{\"texts\": " + ninetySeven + ", \"input_type\":" + " \"search_document\"}",
            "#/texts: expected maxItems: 96, actual: 97"),
        Arguments.of(
            EmbeddingModels.COHERE_ENGLISH_V3,
            "{\"texts\": [\"a\"], \"input_type\": \"search_document\","
                + " \"output_dimension\": 256}",
            "#: extraneous key [output_dimension] is not permitted"),
        Arguments.of(
            EmbeddingModels.COHERE_V4,
            "{\"texts\": [\"a\"], \"input_type\": \"search_document\","
                + " \"output_dimension\": 100}",
            "#/output_dimension: 100 is not a valid enum value"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("refusals")
  void refuses_malformed_bodies_as_bedrock_does(String modelId, String body, String problem) {
    ValidationException refused =
        catchThrowableOfType(ValidationException.class, () -> invokeRaw(modelId, body));
    assertThat(refused.awsErrorDetails().errorMessage())
        .startsWith("Malformed input request: ")
        .contains(problem)
        .endsWith(", please reformat your input and try again.");
  }

  @Test
  void an_error_directive_in_a_text_fails_the_call() {
    ThrottlingException refused =
        catchThrowableOfType(
            ThrottlingException.class,
            () ->
                invokeRaw(
                    EmbeddingModels.TITAN_TEXT_V2,
                    "{\"inputText\": \"hello\\n@sim error=throttling\"}"));
    assertThat(refused.statusCode()).isEqualTo(429);
  }

  @Test
  void embedding_models_do_not_stream() {
    try (BedrockRuntimeAsyncClient async = SimulatorClients.async(simulator, DEV)) {
      Throwable failure =
          catchThrowable(
              () ->
                  async
                      .invokeModelWithResponseStream(
                          r ->
                              r.modelId(EmbeddingModels.TITAN_TEXT_V2)
                                  .body(SdkBytes.fromUtf8String("{\"inputText\": \"a\"}")),
                          InvokeModelWithResponseStreamResponseHandler.builder()
                              .subscriber(event -> {})
                              .build())
                      .join());
      assertThat(failure).hasCauseInstanceOf(ValidationException.class);
      assertThat(failure.getCause())
          .hasMessageContaining("The model is unsupported for streaming.");
    }
  }
}
