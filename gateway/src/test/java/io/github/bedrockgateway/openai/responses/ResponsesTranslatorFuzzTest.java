package io.github.bedrockgateway.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.error.GatewayException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Thousands of random and half-valid Responses API requests thrown at the translator: each one is
 * either translated or refused with a 4xx {@link GatewayException}; nothing else may escape.
 */
class ResponsesTranslatorFuzzTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String> FIELDS =
      List.of(
          "model",
          "input",
          "instructions",
          "stream",
          "store",
          "include",
          "tools",
          "tool_choice",
          "parallel_tool_calls",
          "text",
          "max_output_tokens",
          "temperature",
          "top_p",
          "reasoning",
          "metadata",
          "service_tier",
          "truncation",
          "background",
          "conversation",
          "prompt",
          "top_logprobs",
          "max_tool_calls",
          "prompt_cache_key",
          "client_metadata",
          "unknown_field");
  private static final List<String> ITEM_FIELDS =
      List.of(
          "type",
          "role",
          "content",
          "call_id",
          "name",
          "arguments",
          "output",
          "input",
          "encrypted_content",
          "summary",
          "id",
          "image_url",
          "file_data",
          "filename",
          "text",
          "format",
          "effort",
          "schema",
          "parameters",
          "tools",
          "strict");
  private static final List<String> WORDS =
      List.of(
          "message",
          "function_call",
          "function_call_output",
          "custom_tool_call",
          "custom_tool_call_output",
          "reasoning",
          "item_reference",
          "web_search_call",
          "input_text",
          "input_image",
          "input_file",
          "output_text",
          "refusal",
          "user",
          "assistant",
          "system",
          "developer",
          "function",
          "custom",
          "namespace",
          "web_search",
          "auto",
          "none",
          "required",
          "text",
          "json_schema",
          "json_object",
          "high",
          "reasoning.encrypted_content",
          "data:image/png;base64,iVBORw0KGgo=",
          "data:image/png;base64,@@",
          "data:application/pdf;base64,JVBERi0=",
          "https://example.com/x.png",
          "{\"a\":1}",
          "not json",
          "rs1.AAAA",
          "",
          " ",
          "gpt-4o",
          "get_weather",
          "bad name!",
          "call_1");

  @Property(tries = 3000)
  void any_request_is_translated_or_refused_with_a_4xx(@ForAll("requests") JsonNode body) {
    try {
      ResponsesRequest r = ResponsesToConverse.translate(body, m -> m);
      assertThat(r.converse().messages()).isNotEmpty();
      r.toStreamRequest();
      Statistics.collect("translated");
    } catch (GatewayException e) {
      assertThat(e.status()).isBetween(400, 499);
      assertThat(e.getMessage()).isNotBlank();
      Statistics.collect("refused");
    }
    // both paths must be exercised, or the property proves little
    Statistics.coverage(
        c -> {
          c.check("translated").count(n -> n >= 20);
          c.check("refused").count(n -> n >= 20);
        });
  }

  @Provide
  Arbitrary<JsonNode> requests() {
    return Arbitraries.oneOf(randomTree(4), mutatedValid(), plausible());
  }

  /** Mostly well-formed requests: valid items, and a few optional fields with plausible values. */
  private Arbitrary<JsonNode> plausible() {
    Arbitrary<JsonNode> item =
        Combinators.combine(
                Arbitraries.of("user", "assistant", "system", "developer"),
                Arbitraries.strings().alpha().ofMaxLength(12),
                Arbitraries.of(true, false))
            .as(
                (role, text, asParts) -> {
                  ObjectNode m = F.objectNode();
                  m.put("role", role);
                  if (asParts) {
                    String type = role.equals("assistant") ? "output_text" : "input_text";
                    m.set(
                        "content",
                        F.arrayNode().add(F.objectNode().put("type", type).put("text", text)));
                  } else {
                    m.put("content", text);
                  }
                  return m;
                });
    Arbitrary<ObjectNode> options =
        Arbitraries.of(
            F.objectNode().put("temperature", 0.7),
            F.objectNode().put("max_output_tokens", 100),
            F.objectNode().put("stream", true),
            F.objectNode().put("store", false),
            F.objectNode().put("instructions", "Be brief."),
            F.objectNode().put("tool_choice", "none"),
            F.objectNode()
                .set("reasoning", F.objectNode().put("effort", "low").put("summary", "auto")),
            F.objectNode().set("include", F.arrayNode().add("reasoning.encrypted_content")),
            F.objectNode()
                .set("tools", F.arrayNode().add(F.objectNode().put("type", "web_search"))),
            F.objectNode().put("max_output_tokens", 0),
            F.objectNode().put("temperature", 9));
    return Combinators.combine(item.list().ofMinSize(1).ofMaxSize(4), options.list().ofMaxSize(2))
        .as(
            (items, opts) -> {
              ObjectNode o = F.objectNode();
              o.put("model", "gpt-4o");
              ArrayNode a = F.arrayNode();
              a.add(F.objectNode().put("role", "user").put("content", "hello"));
              items.forEach(a::add);
              o.set("input", a);
              opts.forEach(o::setAll);
              return o;
            });
  }

  private Arbitrary<JsonNode> mutatedValid() {
    return Combinators.combine(
            Arbitraries.of(FIELDS), randomTree(3), Arbitraries.of(FIELDS), itemList())
        .as(
            (f, value, dropped, items) -> {
              ObjectNode o = F.objectNode();
              o.put("model", "gpt-4o");
              o.set("input", items);
              o.set(f, value);
              if (!f.equals(dropped)) {
                o.remove(dropped);
              }
              return o;
            });
  }

  private Arbitrary<JsonNode> itemList() {
    Arbitrary<JsonNode> item =
        Combinators.combine(
                Arbitraries.of(WORDS),
                Arbitraries.of(WORDS),
                randomTree(3),
                Arbitraries.of(ITEM_FIELDS),
                randomTree(2))
            .as(
                (type, role, content, extra, extraValue) -> {
                  ObjectNode m = F.objectNode();
                  m.put("type", type);
                  m.put("role", role);
                  m.set("content", content);
                  m.set(extra, extraValue);
                  return m;
                });
    return item.list()
        .ofMinSize(0)
        .ofMaxSize(5)
        .map(
            list -> {
              ArrayNode a = F.arrayNode();
              list.forEach(a::add);
              return a;
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
    List<String> keys = new ArrayList<>(FIELDS);
    keys.addAll(ITEM_FIELDS);
    Arbitrary<JsonNode> object =
        Combinators.combine(
                Arbitraries.of(keys).list().ofMaxSize(4), randomTree(depth - 1).list().ofSize(4))
            .as(
                (names, values) -> {
                  ObjectNode o = F.objectNode();
                  for (int i = 0; i < names.size(); i++) {
                    o.set(names.get(i), values.get(i));
                  }
                  return o;
                });
    return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(2, array), Tuple.of(3, object));
  }
}
