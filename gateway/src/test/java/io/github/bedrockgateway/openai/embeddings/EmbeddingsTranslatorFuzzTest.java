package io.github.bedrockgateway.openai.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.error.GatewayException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random and half-valid embeddings requests, and random Bedrock answers, thrown at the translators:
 * a request is cut into calls that carry every text once, in order, or refused with a 400; an
 * answer is read or refused with a 502. Nothing else may escape.
 */
class EmbeddingsTranslatorFuzzTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String> FIELDS =
      List.of(
          "model",
          "input",
          "dimensions",
          "encoding_format",
          "input_type",
          "truncate",
          "user",
          "unknown_field");
  private static final List<String> WORDS =
      List.of(
          "amazon.titan-embed-text-v2:0",
          "cohere.embed-english-v3",
          "cohere.embed-multilingual-v3",
          "cohere.embed-v4:0",
          "us.cohere.embed-v4:0",
          "gpt-4o",
          "float",
          "base64",
          "search_query",
          "search_document",
          "START",
          "END",
          "NONE",
          "",
          " ",
          "text");
  private static final OpenAiToInvokeModel.Rules RULES =
      new OpenAiToInvokeModel.Rules(300, InputType.SEARCH_DOCUMENT);

  @Property(tries = 3000)
  void any_request_is_cut_into_calls_carrying_every_text_in_order_or_refused_with_a_400(
      @ForAll("requests") JsonNode body) {
    try {
      EmbeddingsRequest request = OpenAiToInvokeModel.parse(body, name -> name, RULES);
      List<OpenAiToInvokeModel.Batch> batches = OpenAiToInvokeModel.batches(request);
      List<String> carried = new ArrayList<>();
      for (OpenAiToInvokeModel.Batch b : batches) {
        assertThat(b.first()).isEqualTo(carried.size());
        assertThat(b.texts()).isNotEmpty().hasSizeLessThanOrEqualTo(request.model().textsPerCall());
        carried.addAll(b.texts());
      }
      assertThat(carried).isEqualTo(request.texts());
      Statistics.collect("translated");
    } catch (GatewayException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.getMessage()).isNotBlank();
      Statistics.collect("refused");
    }
    Statistics.coverage(
        c -> {
          c.check("translated").count(n -> n >= 100);
          c.check("refused").count(n -> n >= 100);
        });
  }

  @Property(tries = 2000)
  void any_bedrock_answer_is_read_or_refused_with_a_502(
      @ForAll("answers") JsonNode answer, @ForAll("models") EmbeddingModel model) {
    OpenAiToInvokeModel.Batch batch =
        new OpenAiToInvokeModel.Batch(
            0, model.cohere() ? List.of("a", "b") : List.of("a"), F.objectNode());
    try {
      InvokeModelToOpenAi.Answer read =
          InvokeModelToOpenAi.read(
              model,
              batch,
              answer.toString().getBytes(StandardCharsets.UTF_8),
              OptionalInt.empty());
      assertThat(read.vectors())
          .hasSameSizeAs(batch.texts())
          .allSatisfy(v -> assertThat(v).isNotEmpty());
      Statistics.collect("read");
    } catch (GatewayException e) {
      assertThat(e.status()).isEqualTo(502);
      assertThat(e.code()).isEqualTo("upstream_protocol_error");
      Statistics.collect("refused");
    }
    Statistics.coverage(
        c -> {
          c.check("read").count(n -> n >= 50);
          c.check("refused").count(n -> n >= 50);
        });
  }

  @Provide
  Arbitrary<EmbeddingModel> models() {
    return Arbitraries.of(EmbeddingModel.class);
  }

  @Provide
  Arbitrary<JsonNode> requests() {
    return Arbitraries.oneOf(randomTree(3), mutatedValid(), plausible());
  }

  @Provide
  Arbitrary<JsonNode> answers() {
    Arbitrary<JsonNode> vector =
        Arbitraries.floats()
            .between(-1, 1)
            .list()
            .ofMinSize(0)
            .ofMaxSize(4)
            .map(
                list -> {
                  ArrayNode a = F.arrayNode();
                  list.forEach(a::add);
                  return a;
                });
    Arbitrary<JsonNode> vectors =
        vector
            .list()
            .ofMinSize(0)
            .ofMaxSize(3)
            .map(
                list -> {
                  ArrayNode a = F.arrayNode();
                  list.forEach(a::add);
                  return a;
                });
    Arbitrary<JsonNode> titan =
        Combinators.combine(vector, Arbitraries.integers().between(0, 10))
            .as(
                (v, tokens) ->
                    F.objectNode()
                        .<ObjectNode>set("embedding", v)
                        .put("inputTextTokenCount", tokens));
    Arbitrary<JsonNode> cohere =
        Combinators.combine(vectors, Arbitraries.of(true, false))
            .as(
                (vs, byType) ->
                    F.objectNode()
                        .set("embeddings", byType ? F.objectNode().set("float", vs) : vs));
    return Arbitraries.frequencyOf(
        Tuple.of(2, titan), Tuple.of(2, cohere), Tuple.of(1, randomTree(3)));
  }

  /** Mostly well-formed requests with a few optional fields. */
  private Arbitrary<JsonNode> plausible() {
    Arbitrary<JsonNode> input =
        Arbitraries.oneOf(
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).map(F::textNode),
            Arbitraries.strings()
                .alpha()
                .ofMinLength(1)
                .ofMaxLength(5)
                .list()
                .ofMinSize(1)
                .ofMaxSize(250)
                .map(
                    list -> {
                      ArrayNode a = F.arrayNode();
                      list.forEach(a::add);
                      return a;
                    }));
    Arbitrary<ObjectNode> options =
        Arbitraries.of(
            F.objectNode().put("dimensions", 256),
            F.objectNode().put("dimensions", 1024),
            F.objectNode().put("encoding_format", "base64"),
            F.objectNode().put("input_type", "search_query"),
            F.objectNode().put("truncate", "END"),
            F.objectNode().put("user", "u"),
            F.objectNode().put("dimensions", 1536));
    return Combinators.combine(
            Arbitraries.of(WORDS.subList(0, 5)), input, options.list().ofMaxSize(2))
        .as(
            (model, in, opts) -> {
              ObjectNode o = F.objectNode();
              o.put("model", model);
              o.set("input", in);
              opts.forEach(o::setAll);
              return o;
            });
  }

  private Arbitrary<JsonNode> mutatedValid() {
    return Combinators.combine(
            Arbitraries.of(FIELDS), randomTree(2), Arbitraries.of(WORDS.subList(0, 5)))
        .as(
            (field, value, model) -> {
              ObjectNode o = F.objectNode();
              o.put("model", model);
              o.set("input", F.arrayNode().add("one").add("two"));
              o.set(field, value);
              return o;
            });
  }

  private Arbitrary<JsonNode> randomTree(int depth) {
    Arbitrary<JsonNode> leaf =
        Arbitraries.oneOf(
            Arbitraries.of(WORDS).map(F::textNode),
            Arbitraries.strings().ofMaxLength(20).map(F::textNode),
            Arbitraries.integers().between(-5, 100_000).map(F::numberNode),
            Arbitraries.doubles().between(-3, 3).map(F::numberNode),
            Arbitraries.of(true, false).map(F::booleanNode),
            Arbitraries.just(F.nullNode()));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<JsonNode> array =
        randomTree(depth - 1)
            .list()
            .ofMaxSize(4)
            .map(
                list -> {
                  ArrayNode a = F.arrayNode();
                  list.forEach(a::add);
                  return a;
                });
    Arbitrary<JsonNode> object =
        Combinators.combine(
                Arbitraries.of(FIELDS).list().ofMaxSize(4), randomTree(depth - 1).list().ofSize(4))
            .as(
                (keys, values) -> {
                  ObjectNode o = F.objectNode();
                  for (int i = 0; i < keys.size(); i++) {
                    o.set(keys.get(i), values.get(i));
                  }
                  return o;
                });
    return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(2, array), Tuple.of(3, object));
  }
}
