package io.github.bedrockgateway.openai.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.openai.embeddings.OpenAiToInvokeModel.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table tests: an OpenAI embeddings request in, the whole list of expected InvokeModel calls out.
 */
class OpenAiToInvokeModelTest {

  private static final String TITAN = "amazon.titan-embed-text-v2:0";
  private static final UnaryOperator<String> ALIASES =
      name ->
          switch (name) {
            case "text-embedding-3-small" -> TITAN;
            case "embed-v4" -> "us.cohere.embed-v4:0";
            case "gpt-4o" -> "us.anthropic.claude-sonnet-4-20250514-v1:0";
            default -> name;
          };
  private static final OpenAiToInvokeModel.Rules RULES =
      new OpenAiToInvokeModel.Rules(2048, InputType.SEARCH_DOCUMENT);

  static Stream<Arguments> translations() {
    return Stream.of(
        Arguments.of(
            "one string to Titan: one call, normalised, Bedrock's default size",
            """
                        {"model": "amazon.titan-embed-text-v2:0", "input": "The food was delicious"}
                        """,
            List.of(
                batch(
                    0,
                    """
                                {"inputText": "The food was delicious", "normalize": true}
                                """,
                    "The food was delicious"))),
        Arguments.of(
            "an alias resolves through the catalog; Titan takes one text per call, in order",
            """
                        {"model": "text-embedding-3-small", "input": ["first", "second", "third"], "dimensions": 256,
                         "encoding_format": "base64", "user": "user-1234"}
                        """,
            List.of(
                batch(
                    0,
                    """
                                        {"inputText": "first", "dimensions": 256, "normalize": true}
                                        """,
                    "first"),
                batch(
                    1,
                    """
                                        {"inputText": "second", "dimensions": 256, "normalize": true}
                                        """,
                    "second"),
                batch(
                    2,
                    """
                                        {"inputText": "third", "dimensions": 256, "normalize": true}
                                        """,
                    "third"))),
        Arguments.of(
            "Titan ignores Cohere's input_type and truncate (checked, then left out)",
            """
                        {"model": "amazon.titan-embed-text-v2:0", "input": "x", "input_type": "search_query",
                         "truncate": "END"}
                        """,
            List.of(
                batch(
                    0,
                    """
                                {"inputText": "x", "normalize": true}
                                """,
                    "x"))),
        Arguments.of(
            "Cohere v3 English: search_document by default, floats asked for by name",
            """
                        {"model": "cohere.embed-english-v3", "input": ["a", "b"]}
                        """,
            List.of(
                batch(
                    0,
                    """
                                {"texts": ["a", "b"], "input_type": "search_document", "embedding_types": ["float"]}
                                """,
                    "a",
                    "b"))),
        Arguments.of(
            "Cohere v3 multilingual: the request's input_type and truncate; 1024 is its only size",
            """
                        {"model": "cohere.embed-multilingual-v3", "input": "¿Dónde está?", "dimensions": 1024,
                         "input_type": "search_query", "truncate": "END", "encoding_format": "float"}
                        """,
            List.of(
                batch(
                    0,
                    """
                                {"texts": ["¿Dónde está?"], "input_type": "search_query", "embedding_types": ["float"],
                                 "truncate": "END"}
                                """,
                    "¿Dónde está?"))),
        Arguments.of(
            "Cohere v4 through a system inference profile alias: dimensions become output_dimension",
            """
                        {"model": "embed-v4", "input": ["q"], "dimensions": 512, "input_type": "clustering",
                         "dimensions_note": "unknown fields are ignored"}
                        """,
            List.of(
                batch(
                    0,
                    """
                                {"texts": ["q"], "input_type": "clustering", "embedding_types": ["float"],
                                 "output_dimension": 512}
                                """,
                    "q"))),
        Arguments.of(
            "explicit nulls mean the defaults",
            """
                        {"model": "cohere.embed-v4:0", "input": "n", "dimensions": null, "encoding_format": null,
                         "input_type": null, "truncate": null, "user": null}
                        """,
            List.of(
                batch(
                    0,
                    """
                                {"texts": ["n"], "input_type": "search_document", "embedding_types": ["float"]}
                                """,
                    "n"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("translations")
  void translates(String name, String openAi, List<Batch> expected) throws Exception {
    EmbeddingsRequest request =
        OpenAiToInvokeModel.parse(Json.MAPPER.readTree(openAi), ALIASES, RULES);
    assertThat(OpenAiToInvokeModel.batches(request)).isEqualTo(expected);
  }

  @Test
  void parses_the_request_whole() throws Exception {
    EmbeddingsRequest request =
        OpenAiToInvokeModel.parse(
            Json.MAPPER.readTree(
                """
                {"model": "embed-v4", "input": ["a", "b"], "dimensions": 256, "encoding_format": "base64",
                 "input_type": "classification", "truncate": "START"}
                """),
            ALIASES,
            RULES);
    assertThat(request)
        .isEqualTo(
            new EmbeddingsRequest(
                "embed-v4",
                "us.cohere.embed-v4:0",
                EmbeddingModel.COHERE_V4,
                List.of("a", "b"),
                256,
                EncodingFormat.BASE64,
                InputType.CLASSIFICATION,
                "START"));
  }

  @Test
  void the_configured_default_input_type_applies_to_cohere_only() throws Exception {
    OpenAiToInvokeModel.Rules queries = new OpenAiToInvokeModel.Rules(10, InputType.SEARCH_QUERY);
    assertThat(
            OpenAiToInvokeModel.parse(
                    Json.MAPPER.readTree(
                        """
                {"model": "cohere.embed-english-v3", "input": "q"}
                """),
                    ALIASES,
                    queries)
                .inputType())
        .isEqualTo(InputType.SEARCH_QUERY);
    assertThat(
            OpenAiToInvokeModel.parse(
                    Json.MAPPER.readTree(
                        """
                {"model": "amazon.titan-embed-text-v2:0", "input": "q"}
                """),
                    ALIASES,
                    queries)
                .inputType())
        .isNull();
  }

  @Test
  void cohere_takes_96_texts_per_call_and_keeps_their_order() throws Exception {
    List<String> texts = IntStream.range(0, 200).mapToObj(i -> "text " + i).toList();
    EmbeddingsRequest request =
        OpenAiToInvokeModel.parse(
            Json.MAPPER.valueToTree(
                java.util.Map.of("model", "cohere.embed-english-v3", "input", texts)),
            ALIASES,
            RULES);
    List<Batch> batches = OpenAiToInvokeModel.batches(request);
    assertThat(batches).extracting(Batch::first).containsExactly(0, 96, 192);
    assertThat(batches).extracting(b -> b.texts().size()).containsExactly(96, 96, 8);
    List<String> sent = new ArrayList<>();
    for (Batch b : batches) {
      b.body().path("texts").forEach(t -> sent.add(t.asText()));
      assertThat(b.body().path("texts").size()).isEqualTo(b.texts().size());
    }
    assertThat(sent).isEqualTo(texts);
  }

  static Stream<Arguments> refusals() {
    String tokensMessage = "takes text only, and 'input' holds token ids";
    return Stream.of(
        Arguments.of("body is not an object", "[1, 2]", null, "must be a JSON object"),
        Arguments.of(
            "no model",
                """
                        {"input": "x"}
                        """,
            "model", "You must provide a model parameter"),
        Arguments.of(
            "model is not a string",
                """
                        {"model": 3, "input": "x"}
                        """,
            "model", "You must provide a model parameter"),
        Arguments.of(
            "a chat model alias",
            """
                        {"model": "gpt-4o", "input": "x"}
                        """,
            "model",
            "The model 'gpt-4o' (us.anthropic.claude-sonnet-4-20250514-v1:0) is not an embedding model"),
        Arguments.of(
            "an embedding model the gateway does not serve",
                """
                        {"model": "amazon.titan-embed-text-v1", "input": "x"}
                        """,
            "model", "'amazon.titan-embed-text-v1' is not an embedding model this gateway serves"),
        Arguments.of(
            "no input",
                """
                        {"model": "amazon.titan-embed-text-v2:0"}
                        """,
            "input", "You must provide 'input'"),
        Arguments.of(
            "null input",
                """
                        {"model": "amazon.titan-embed-text-v2:0", "input": null}
                        """,
            "input", "You must provide 'input'"),
        Arguments.of(
            "empty string",
                """
                        {"model": "amazon.titan-embed-text-v2:0", "input": ""}
                        """,
            "input", "'input' must not be an empty string"),
        Arguments.of(
            "empty array",
                """
                        {"model": "amazon.titan-embed-text-v2:0", "input": []}
                        """,
            "input", "'input' must not be an empty array"),
        Arguments.of(
            "an empty string among the inputs",
                """
                        {"model": "amazon.titan-embed-text-v2:0", "input": ["a", ""]}
                        """,
            "input", "input[1] is an empty string"),
        Arguments.of(
            "input is an object",
                """
                        {"model": "amazon.titan-embed-text-v2:0", "input": {"text": "x"}}
                        """,
            "input", "it is an object"),
        Arguments.of(
            "a number among strings",
                """
                        {"model": "amazon.titan-embed-text-v2:0", "input": ["a", 3]}
                        """,
            "input", "input[1] is an integer in an array of strings"),
        Arguments.of(
            "a string among token ids",
                """
                        {"model": "amazon.titan-embed-text-v2:0", "input": [1, "a"]}
                        """,
            "input", "input[1] is a string where an integer came first"),
        Arguments.of(
            "a token array to Titan",
            """
                        {"model": "amazon.titan-embed-text-v2:0", "input": [1820, 25977, 374]}
                        """,
            "input",
            tokensMessage),
        Arguments.of(
            "token arrays to Cohere (what LangChain sends by default)",
                """
                        {"model": "cohere.embed-english-v3", "input": [[1820, 25977], [374]]}
                        """,
            "input", "check_embedding_ctx_length=False"),
        Arguments.of(
            "token arrays to a model that is no embedding model: the model is named first",
                """
                        {"model": "gpt-4o", "input": [[1820]]}
                        """,
            "model", "is not an embedding model"),
        Arguments.of(
            "Titan sizes",
            """
                        {"model": "amazon.titan-embed-text-v2:0", "input": "x", "dimensions": 1536}
                        """,
            "dimensions",
            "Amazon Titan Text Embeddings v2 offers 256, 512 or 1024 dimensions; 'dimensions' 1536 is not available."),
        Arguments.of(
            "Cohere v3 has one size",
                """
                        {"model": "cohere.embed-english-v3", "input": "x", "dimensions": 512}
                        """,
            "dimensions",
                "Cohere Embed v3 has 1024 dimensions only; 'dimensions' 512 is not available."),
        Arguments.of(
            "Cohere v4 sizes",
                """
                        {"model": "cohere.embed-v4:0", "input": "x", "dimensions": 3072}
                        """,
            "dimensions", "Cohere Embed v4 offers 256, 512, 1024 or 1536 dimensions"),
        Arguments.of(
            "dimensions not an integer",
                """
                        {"model": "cohere.embed-v4:0", "input": "x", "dimensions": "256"}
                        """,
            "dimensions", "'dimensions' must be an integer; it is a string."),
        Arguments.of(
            "dimensions a fraction",
                """
                        {"model": "cohere.embed-v4:0", "input": "x", "dimensions": 256.5}
                        """,
            "dimensions", "'dimensions' must be an integer; it is a number."),
        Arguments.of(
            "unknown encoding",
                """
                        {"model": "cohere.embed-v4:0", "input": "x", "encoding_format": "int8"}
                        """,
            "encoding_format", "'encoding_format' must be 'float' or 'base64'; it is \"int8\"."),
        Arguments.of(
            "unknown input_type",
            """
                        {"model": "cohere.embed-v4:0", "input": "x", "input_type": "query"}
                        """,
            "input_type",
            "'input_type' must be one of search_document, search_query, classification, clustering"),
        Arguments.of(
            "unknown truncate",
                """
                        {"model": "cohere.embed-v4:0", "input": "x", "truncate": "end"}
                        """,
            "truncate", "'truncate' must be NONE, START or END; it is \"end\"."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refuses(String name, String openAi, String param, String message) {
    assertThatThrownBy(
            () -> OpenAiToInvokeModel.parse(Json.MAPPER.readTree(openAi), ALIASES, RULES))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.type()).isEqualTo(GatewayException.INVALID_REQUEST);
              assertThat(e.param()).isEqualTo(param);
              assertThat(e.getMessage()).contains(message);
            });
  }

  @Test
  void refuses_more_inputs_than_configured() {
    OpenAiToInvokeModel.Rules three = new OpenAiToInvokeModel.Rules(3, InputType.SEARCH_DOCUMENT);
    assertThatThrownBy(
            () ->
                OpenAiToInvokeModel.parse(
                    Json.MAPPER.readTree(
                        """
                {"model": "amazon.titan-embed-text-v2:0", "input": ["a", "b", "c", "d"]}
                """),
                    ALIASES,
                    three))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.param()).isEqualTo("input");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Too many inputs: 4 were sent and at most 3 are accepted in one request.");
            });
  }

  @Test
  void a_long_client_value_is_cut_short_in_the_message() {
    String longValue = "x".repeat(5000);
    assertThatThrownBy(
            () ->
                OpenAiToInvokeModel.parse(
                    Json.MAPPER.readTree(
                        """
                {"model": "cohere.embed-v4:0", "input": "x", "encoding_format": "%s"}
                """
                            .formatted(longValue)),
                    ALIASES,
                    RULES))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }

  private static Batch batch(int first, String body, String... texts) {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      return new Batch(first, List.of(texts), node);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
