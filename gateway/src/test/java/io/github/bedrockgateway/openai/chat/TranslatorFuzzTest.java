package io.github.bedrockgateway.openai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.error.GatewayException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Thousands of random and half-valid OpenAI requests thrown at the translator: each one is either
 * translated or refused with a 4xx {@link GatewayException}; nothing else may escape.
 */
class TranslatorFuzzTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String> FIELDS =
      List.of(
          "model",
          "messages",
          "stream",
          "stream_options",
          "max_tokens",
          "max_completion_tokens",
          "temperature",
          "top_p",
          "stop",
          "n",
          "logprobs",
          "top_logprobs",
          "tools",
          "tool_choice",
          "metadata",
          "response_format",
          "seed",
          "user",
          "presence_penalty",
          "frequency_penalty",
          "logit_bias",
          "parallel_tool_calls",
          "reasoning_effort",
          "modalities",
          "functions",
          "unknown_field");
  private static final List<String> MESSAGE_FIELDS =
      List.of(
          "role",
          "content",
          "tool_calls",
          "tool_call_id",
          "name",
          "refusal",
          "type",
          "text",
          "image_url",
          "url",
          "function",
          "arguments",
          "id");
  private static final List<String> WORDS =
      List.of(
          "user",
          "assistant",
          "system",
          "developer",
          "tool",
          "function",
          "text",
          "image_url",
          "file",
          "auto",
          "none",
          "required",
          "data:image/png;base64,iVBORw0KGgo=",
          "data:image/png;base64,@@",
          "data:text/plain;base64,aGk=",
          "http://127.0.0.1/x.png",
          "{\"a\":1}",
          "not json",
          "",
          " ",
          "gpt-4o",
          "get_weather",
          "bad name!",
          "json_object",
          "high");

  @Property(tries = 3000)
  void any_request_is_translated_or_refused_with_a_4xx(@ForAll("requests") JsonNode body) {
    try {
      ChatRequest r = OpenAiToConverse.translate(body, m -> m);
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

  /**
   * Mostly well-formed requests: valid messages, and a few optional fields with plausible values.
   */
  private Arbitrary<JsonNode> plausible() {
    Arbitrary<JsonNode> message =
        Combinators.combine(
                Arbitraries.of("user", "assistant", "system", "developer"),
                Arbitraries.strings().alpha().ofMaxLength(12),
                Arbitraries.of(true, false))
            .as(
                (role, text, asParts) -> {
                  ObjectNode m = F.objectNode();
                  m.put("role", role);
                  if (asParts) {
                    m.set(
                        "content",
                        F.arrayNode().add(F.objectNode().put("type", "text").put("text", text)));
                  } else {
                    m.put("content", text);
                  }
                  return m;
                });
    Arbitrary<ObjectNode> options =
        Arbitraries.of(
            F.objectNode().put("temperature", 0.7),
            F.objectNode().put("max_tokens", 100),
            F.objectNode().put("stream", true),
            F.objectNode().set("stop", F.arrayNode().add("END")),
            F.objectNode().put("n", 1),
            F.objectNode().put("top_p", 0.5),
            F.objectNode().put("seed", 3),
            F.objectNode().put("tool_choice", "none"),
            F.objectNode().put("user", "u"),
            F.objectNode().put("max_completion_tokens", 0),
            F.objectNode().put("temperature", 9));
    return Combinators.combine(
            message.list().ofMinSize(1).ofMaxSize(4), options.list().ofMaxSize(2))
        .as(
            (messages, opts) -> {
              ObjectNode o = F.objectNode();
              o.put("model", "gpt-4o");
              ArrayNode a = F.arrayNode();
              a.add(F.objectNode().put("role", "user").put("content", "hello"));
              messages.forEach(a::add);
              o.set("messages", a);
              opts.forEach(o::setAll);
              return o;
            });
  }

  private Arbitrary<JsonNode> mutatedValid() {
    Arbitrary<String> field = Arbitraries.of(FIELDS);
    return Combinators.combine(field, randomTree(3), Arbitraries.of(FIELDS), messageList())
        .as(
            (f, value, dropped, messages) -> {
              ObjectNode o = F.objectNode();
              o.put("model", "gpt-4o");
              o.set("messages", messages);
              o.set(f, value);
              if (!f.equals(dropped)) {
                o.remove(dropped);
              }
              return o;
            });
  }

  private Arbitrary<JsonNode> messageList() {
    Arbitrary<JsonNode> message =
        Combinators.combine(
                Arbitraries.of(WORDS), randomTree(3), Arbitraries.of(MESSAGE_FIELDS), randomTree(2))
            .as(
                (role, content, extra, extraValue) -> {
                  ObjectNode m = F.objectNode();
                  m.put("role", role);
                  m.set("content", content);
                  m.set(extra, extraValue);
                  return m;
                });
    return message
        .list()
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
    Arbitrary<JsonNode> object =
        Combinators.combine(
                Arbitraries.of(concat(FIELDS, MESSAGE_FIELDS)).list().ofMaxSize(4),
                randomTree(depth - 1).list().ofSize(4))
            .as(
                (keys, values) -> {
                  ObjectNode o = F.objectNode();
                  for (int i = 0; i < keys.size(); i++) {
                    o.set(keys.get(i), values.get(i));
                  }
                  return o;
                });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, leaf),
        net.jqwik.api.Tuple.of(2, array),
        net.jqwik.api.Tuple.of(3, object));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
