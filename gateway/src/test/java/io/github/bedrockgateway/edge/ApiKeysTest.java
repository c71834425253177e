package io.github.bedrockgateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code gateway.api-keys} entries, and what an operator is told about the usual paste mistakes.
 */
class ApiKeysTest {

  static Stream<Arguments> mistakes() {
    String hex = HexDigest.of("secret-key");
    return Stream.of(
        Arguments.of(
            "sha256sum's '  -' pasted along",
            "sha256:" + hex + "  -",
            "entry 1 ('key-1') starts with sha256: but ends with the ' -' that sha256sum prints after the digest: drop the trailing ' -'"),
        Arguments.of(
            "named, with the '  -'",
            "team-a=sha256:" + hex + "  -",
            "entry 1 ('team-a') starts with sha256: but ends with the ' -' that sha256sum prints after the digest: drop the trailing ' -'"),
        Arguments.of(
            "spaces inside", "sha256: " + hex, "but the digest has spaces around it: remove them"),
        Arguments.of(
            "too short",
            "sha256:" + hex.substring(0, 40),
            "but is followed by 40 hexadecimal digits, not 64 (a SHA-256 digest has 64)"),
        Arguments.of(
            "nothing after the prefix",
            "sha256:",
            "but no digest follows: write the key's 64 hexadecimal digits after sha256:"),
        Arguments.of(
            "not hexadecimal",
            "sha256:" + "z".repeat(64),
            "but is not followed by 64 hexadecimal digits (only 0-9 and a-f)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void a_malformed_digest_stops_startup_with_one_sentence_saying_what_to_fix(
      String name, String entry, String expected) {
    assertThatThrownBy(() -> ApiKeys.parse(List.of(entry)))
        .isInstanceOf(ConfigurationException.class)
        .hasNoCause()
        .hasMessageContaining(
            "gateway.api-keys (GATEWAY_API_KEYS) "
                + (expected.startsWith("entry") ? "" : "entry 1"))
        .hasMessageContaining(expected)
        .hasMessageEndingWith("printf %s \"$KEY\" | sha256sum | cut -d' ' -f1");
  }

  @Test
  void the_recipe_s_output_is_accepted_and_matches_the_key() {
    ApiKeys keys =
        ApiKeys.parse(List.of("team-a=sha256:" + HexDigest.of("secret-key"), "plain-key"));
    assertThat(keys.match("secret-key"))
        .hasValueSatisfying(k -> assertThat(k.name()).isEqualTo("team-a"));
    assertThat(keys.match("plain-key"))
        .hasValueSatisfying(k -> assertThat(k.name()).isEqualTo("key-2"));
    assertThat(keys.match("other")).isEmpty();
  }

  @Test
  void a_message_never_quotes_a_key() {
    assertThatThrownBy(() -> ApiKeys.parse(List.of("sk-very-secret", "sha256:" + "z".repeat(64))))
        .hasMessageNotContaining("sk-very-secret")
        .hasMessageNotContaining("zzzz");
  }

  /** The digest as {@code sha256sum | cut -d' ' -f1} prints it. */
  static final class HexDigest {
    static String of(String key) {
      return java.util.HexFormat.of().formatHex(ApiKeys.sha256(key));
    }
  }
}
