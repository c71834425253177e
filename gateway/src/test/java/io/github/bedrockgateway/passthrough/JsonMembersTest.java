package io.github.bedrockgateway.passthrough;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Members are located to the byte, and an edit copies every untouched member exactly. */
class JsonMembersTest {

  /** name, body, the value text of each member in order. */
  static Stream<Arguments> scans() {
    return Stream.of(
        Arguments.of(
            "every kind of value",
            "{\"s\":\"a\\\"b\",\"n\":-12.5e3,\"i\":7,\"t\":true,\"f\":false,\"z\":null,\"o\":{\"x\":[1]},\"a\":[{}, []]}",
            List.of(
                "\"a\\\"b\"", "-12.5e3", "7", "true", "false", "null", "{\"x\":[1]}", "[{}, []]")),
        Arguments.of(
            "whitespace everywhere",
            " \n{ \"a\" :  1 ,\n  \"b\"\t:\"x\"  }\n",
            List.of("1", "\"x\"")),
        Arguments.of("unicode before a member", "{\"é\":\"ünï\",\"n\":2}", List.of("\"ünï\"", "2")),
        Arguments.of("empty object", "{}", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scans")
  void locates_each_member_value_to_the_byte(String name, String json, List<String> values)
      throws Exception {
    byte[] body = json.getBytes(UTF_8);
    JsonMembers.Scan scan = JsonMembers.scan(body, Set.of());
    assertThat(scan.members())
        .extracting(m -> new String(scan.value(m), UTF_8))
        .containsExactlyElementsOf(values);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1]", "\"text\"", "{\"a\":1} {}", "{\"a\":", "", "{\"a\" 1}", "null"})
  void refuses_what_is_not_exactly_one_object(String json) {
    assertThatThrownBy(() -> JsonMembers.scan(json.getBytes(UTF_8), Set.of()))
        .isInstanceOf(JsonMembers.NotAnObject.class);
  }

  @org.junit.jupiter.api.Test
  void counts_the_arrays_asked_for_at_the_top_and_one_level_down() throws Exception {
    String json =
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"[1,2]\"}]},{},{}],"
            + "\"toolConfig\":{\"toolChoice\":{\"auto\":{}},\"tools\":[{},{\"a\":[1,2,3]}]},\"tools\":[1]}";
    JsonMembers.Scan scan =
        JsonMembers.scan(json.getBytes(UTF_8), Set.of("messages", "toolConfig.tools"));
    assertThat(scan.arrayLengths()).isEqualTo(Map.of("messages", 3, "toolConfig.tools", 2));
    assertThat(scan.members())
        .extracting(JsonMembers.Member::name)
        .containsExactly("messages", "toolConfig", "tools");
    assertThat(new String(scan.value(scan.member("toolConfig")), UTF_8))
        .isEqualTo("{\"toolChoice\":{\"auto\":{}},\"tools\":[{},{\"a\":[1,2,3]}]}");
  }

  /** name, body, replacements (null value = remove), additions, expected. */
  static Stream<Arguments> edits() {
    return Stream.of(
        Arguments.of(
            "adds a member at the end, every other byte as it was",
            "{ \"a\" : 1.50 ,\n \"b\": [ 1 ] }",
            Map.of(),
            Map.of("m", "{\"k\":\"v\"}"),
            "{ \"a\" : 1.50 ,\n \"b\": [ 1 ],\"m\":{\"k\":\"v\"} }"),
        Arguments.of("adds to an empty object", "{}", Map.of(), Map.of("m", "1"), "{\"m\":1}"),
        Arguments.of(
            "replaces a value in place",
            "{\"a\":1,\"m\" : {\"old\":\"x\"},\"z\":true}",
            Map.of("m", "{\"new\":\"y\"}"),
            Map.of("m", "2"),
            "{\"a\":1,\"m\" : {\"new\":\"y\"},\"z\":true}"),
        Arguments.of(
            "removes the first member", "{\"x\":[1],\"a\":1}", removal("x"), Map.of(), "{\"a\":1}"),
        Arguments.of(
            "removes the first member, keeping the formatting",
            "{\n  \"x\": [1],\n  \"a\": 1\n}",
            removal("x"),
            Map.of(),
            "{\n  \"a\": 1\n}"),
        Arguments.of(
            "removes a member and adds one",
            "{\"a\": 1, \"x\": 2}",
            removal("x"),
            Map.of("m", "3"),
            "{\"a\": 1,\"m\":3}"),
        Arguments.of(
            "removes a middle member",
            "{\"a\":1,\"x\":[1],\"b\":2}",
            removal("x"),
            Map.of(),
            "{\"a\":1,\"b\":2}"),
        Arguments.of(
            "removes the last member",
            "{\"a\":1, \"x\":[1] }",
            removal("x"),
            Map.of(),
            "{\"a\":1 }"),
        Arguments.of("removes the only member", "{ \"x\":[1] }", removal("x"), Map.of(), "{ }"),
        Arguments.of(
            "a repeated name is edited everywhere",
            "{\"x\":1,\"a\":2,\"x\":3}",
            Map.of("x", "9"),
            Map.of(),
            "{\"x\":9,\"a\":2,\"x\":9}"));
  }

  private static Map<String, String> removal(String name) {
    Map<String, String> m = new HashMap<>();
    m.put(name, null);
    return m;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edits")
  void edits_members_and_copies_the_others(
      String name,
      String json,
      Map<String, String> replace,
      Map<String, String> add,
      String expected)
      throws Exception {
    JsonMembers.Scan scan = JsonMembers.scan(json.getBytes(UTF_8), Set.of());
    Map<String, byte[]> r = new HashMap<>();
    replace.forEach((k, v) -> r.put(k, v == null ? null : v.getBytes(UTF_8)));
    LinkedHashMap<String, byte[]> a = new LinkedHashMap<>();
    add.forEach((k, v) -> a.put(k, v.getBytes(UTF_8)));
    assertThat(new String(JsonMembers.edit(scan, r, a), UTF_8)).isEqualTo(expected);
  }
}
