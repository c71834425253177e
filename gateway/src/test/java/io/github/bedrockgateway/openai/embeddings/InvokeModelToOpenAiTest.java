package io.github.bedrockgateway.openai.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.openai.embeddings.OpenAiToInvokeModel.Batch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table tests: a Bedrock embedding answer in, vectors and tokens out; vectors in, the OpenAI list
 * out.
 */
class InvokeModelToOpenAiTest {

  private static final Batch ONE =
      new Batch(0, List.of("hello world"), Json.MAPPER.createObjectNode());
  private static final Batch TWO =
      new Batch(96, List.of("a", "bcdefghij"), Json.MAPPER.createObjectNode());

  /** What a read gives, with the vectors boxed so that whole values compare. */
  record Read(List<List<Float>> vectors, int inputTokens) {}

  static Stream<Arguments> answers() {
    return Stream.of(
        Arguments.of(
            "Titan: the vector and Bedrock's count in the body (preferred to the header)",
            EmbeddingModel.TITAN_TEXT_V2,
            ONE,
            """
                        {"embedding": [0.5, -0.25, 1], "inputTextTokenCount": 3,
                         "embeddingsByType": {"float": [9.0, 9.0, 9.0]}}
                        """,
            OptionalInt.of(7),
            new Read(List.of(List.of(0.5f, -0.25f, 1f)), 3)),
        Arguments.of(
            "Titan: only embeddingsByType.float; the header's count",
            EmbeddingModel.TITAN_TEXT_V2,
            ONE,
            """
                        {"embeddingsByType": {"binary": [1, 0], "float": [0.125, 0.75]}}
                        """,
            OptionalInt.of(4),
            new Read(List.of(List.of(0.125f, 0.75f)), 4)),
        Arguments.of(
            "Cohere, embeddings by type: the float vectors in order, the header's count",
            EmbeddingModel.COHERE_V3,
            TWO,
            """
                        {"id": "5d2a", "response_type": "embeddings_by_type", "texts": ["a", "bcdefghij"],
                         "embeddings": {"int8": [[1, 2], [3, 4]], "float": [[0.1, 0.2], [0.3, 0.4]]}}
                        """,
            OptionalInt.of(5),
            new Read(List.of(List.of(0.1f, 0.2f), List.of(0.3f, 0.4f)), 5)),
        Arguments.of(
            "Cohere, embeddings as floats; no count anywhere: estimated, a quarter of the length",
            EmbeddingModel.COHERE_V4,
            TWO,
            """
                        {"id": "5d2a", "response_type": "embeddings_floats", "texts": ["a", "bcdefghij"],
                         "embeddings": [[1, 2], [3, 4]]}
                        """,
            OptionalInt.empty(),
            new Read(List.of(List.of(1f, 2f), List.of(3f, 4f)), 1 + 3)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void reads(
      String name,
      EmbeddingModel model,
      Batch batch,
      String answer,
      OptionalInt headerTokens,
      Read expected) {
    InvokeModelToOpenAi.Answer read =
        InvokeModelToOpenAi.read(
            model, batch, answer.getBytes(StandardCharsets.UTF_8), headerTokens);
    assertThat(
            new Read(
                read.vectors().stream().map(InvokeModelToOpenAiTest::boxed).toList(),
                read.inputTokens()))
        .isEqualTo(expected);
  }

  static Stream<Arguments> unreadable() {
    return Stream.of(
        Arguments.of("not JSON", EmbeddingModel.TITAN_TEXT_V2, ONE, "<html>", "could not be read"),
        Arguments.of(
            "not an object", EmbeddingModel.TITAN_TEXT_V2, ONE, "[1]", "it is not a JSON object"),
        Arguments.of(
            "no vector",
            EmbeddingModel.TITAN_TEXT_V2,
            ONE,
            """
                        {"inputTextTokenCount": 3}
                        """,
            "0 embedding(s) for 1 text(s)"),
        Arguments.of(
            "an empty vector",
            EmbeddingModel.TITAN_TEXT_V2,
            ONE,
            """
                        {"embedding": []}
                        """,
            "an embedding is empty"),
        Arguments.of(
            "a string in a vector",
            EmbeddingModel.TITAN_TEXT_V2,
            ONE,
            """
                        {"embedding": [0.1, "x"]}
                        """,
            "an embedding holds a non-number"),
        Arguments.of(
            "fewer vectors than texts",
            EmbeddingModel.COHERE_V3,
            TWO,
            """
                        {"embeddings": {"float": [[0.1]]}}
                        """,
            "1 embedding(s) for 2 text(s)"),
        Arguments.of(
            "embeddings neither array nor object",
            EmbeddingModel.COHERE_V3,
            TWO,
            """
                        {"embeddings": "none"}
                        """,
            "'embeddings' is neither an array nor an object"),
        Arguments.of(
            "a vector that is not an array",
            EmbeddingModel.COHERE_V4,
            TWO,
            """
                        {"embeddings": [[0.1], 3]}
                        """,
            "an embedding is not an array of numbers"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadable")
  void refuses_an_answer_it_cannot_read(
      String name, EmbeddingModel model, Batch batch, String answer, String why) {
    assertThatThrownBy(
            () ->
                InvokeModelToOpenAi.read(
                    model, batch, answer.getBytes(StandardCharsets.UTF_8), OptionalInt.empty()))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(502);
              assertThat(e.code()).isEqualTo("upstream_protocol_error");
              assertThat(e.getMessage())
                  .startsWith(
                      "Bedrock's answer from " + model.displayName() + " could not be read: ")
                  .contains(why);
            });
  }

  @Test
  void writes_the_openai_list_with_float_vectors_in_input_order() throws Exception {
    EmbeddingsRequest request = request(EncodingFormat.FLOAT);
    byte[] body =
        InvokeModelToOpenAi.list(
            request, List.of(new float[] {0.1f, -2.5f}, new float[] {1e-8f, 3f}), 12);
    assertThat(Json.MAPPER.readTree(body))
        .isEqualTo(
            Json.MAPPER.readTree(
                """
                {"object": "list",
                 "data": [{"object": "embedding", "index": 0, "embedding": [0.1, -2.5]},
                          {"object": "embedding", "index": 1, "embedding": [1.0E-8, 3.0]}],
                 "model": "text-embedding-3-small",
                 "usage": {"prompt_tokens": 12, "total_tokens": 12}}
                """));
    // floats are written as float32 values, not widened to doubles (0.1f is not
    // 0.10000000149011612)
    assertThat(new String(body, StandardCharsets.UTF_8)).contains("[0.1,-2.5]");
  }

  @Test
  void writes_base64_as_little_endian_float32() throws Exception {
    float[] vector = {1.0f, -0.5f, 0.1f};
    byte[] body = InvokeModelToOpenAi.list(request(EncodingFormat.BASE64), List.of(vector), 1);
    String encoded = Json.MAPPER.readTree(body).path("data").path(0).path("embedding").asText();
    // 1.0f is 0x3F800000: little-endian 00 00 80 3F
    assertThat(encoded).startsWith("AACAPwAAAL");
    ByteBuffer decoded =
        ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
    float[] back = new float[decoded.remaining() / 4];
    decoded.asFloatBuffer().get(back);
    assertThat(back).containsExactly(vector);
    assertThat(InvokeModelToOpenAi.base64(new float[] {1.0f})).isEqualTo("AACAPw==");
  }

  static Stream<Arguments> refusedCalls() {
    GatewayException validation =
        new GatewayException(
            400,
            GatewayException.INVALID_REQUEST,
            "Malformed input request: #/texts/3: expected maxLength: 2048, actual: 3000 (Bedrock "
                + "ValidationException, request id r-1)",
            null,
            null,
            Map.of("x-bedrock-request-id", "r-1"));
    GatewayException throttled =
        new GatewayException(
            429, GatewayException.RATE_LIMIT, "Too many requests", null, "rate_limit_exceeded");
    GatewayException notFound =
        new GatewayException(
            404, GatewayException.NOT_FOUND, "no such model", "model", "model_not_found");
    return Stream.of(
        Arguments.of(
            "a validation error of a Cohere call names the inputs it carried",
            validation,
            new Batch(96, List.of("a", "b", "c", "d"), Json.MAPPER.createObjectNode()),
            200,
            new GatewayException(
                400,
                GatewayException.INVALID_REQUEST,
                "Bedrock refused one of input[96] to " + "input[99]: " + validation.getMessage(),
                "input",
                null,
                validation.headers())),
        Arguments.of(
            "a validation error of a Titan call names its input",
            validation,
            new Batch(5, List.of("a"), Json.MAPPER.createObjectNode()),
            10,
            new GatewayException(
                400,
                GatewayException.INVALID_REQUEST,
                "Bedrock refused input[5]: " + validation.getMessage(),
                "input",
                null,
                validation.headers())),
        Arguments.of(
            "the only input",
            validation,
            ONE,
            1,
            new GatewayException(
                400,
                GatewayException.INVALID_REQUEST,
                "Bedrock refused the input: " + validation.getMessage(),
                "input",
                null,
                validation.headers())),
        Arguments.of("other errors pass unchanged", throttled, ONE, 1, throttled),
        Arguments.of(
            "an error that names its parameter passes unchanged", notFound, ONE, 1, notFound));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedCalls")
  void attributes_a_refused_call_to_its_inputs(
      String name, GatewayException e, Batch batch, int inputs, GatewayException expected) {
    GatewayException shown = InvokeModelToOpenAi.refused(e, batch, inputs);
    assertThat(
            List.of(
                shown.status(),
                shown.type(),
                shown.getMessage(),
                String.valueOf(shown.param()),
                String.valueOf(shown.code()),
                shown.headers()))
        .isEqualTo(
            List.of(
                expected.status(),
                expected.type(),
                expected.getMessage(),
                String.valueOf(expected.param()),
                String.valueOf(expected.code()),
                expected.headers()));
  }

  @Test
  void estimates_a_token_per_four_characters_and_at_least_one() {
    assertThat(InvokeModelToOpenAi.estimateTokens("a")).isEqualTo(1);
    assertThat(InvokeModelToOpenAi.estimateTokens("abcd")).isEqualTo(1);
    assertThat(InvokeModelToOpenAi.estimateTokens("abcde")).isEqualTo(2);
    assertThat(InvokeModelToOpenAi.estimateTokens("x".repeat(400))).isEqualTo(100);
  }

  private static EmbeddingsRequest request(EncodingFormat encoding) {
    return new EmbeddingsRequest(
        "text-embedding-3-small",
        "amazon.titan-embed-text-v2:0",
        EmbeddingModel.TITAN_TEXT_V2,
        List.of("a", "b"),
        null,
        encoding,
        null,
        null);
  }

  private static List<Float> boxed(float[] vector) {
    List<Float> out = new ArrayList<>(vector.length);
    for (float v : vector) {
      out.add(v);
    }
    return out;
  }
}
