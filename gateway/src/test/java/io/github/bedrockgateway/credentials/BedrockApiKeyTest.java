package io.github.bedrockgateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bedrockgateway.credentials.BedrockApiKey.Kind;
import io.github.bedrockgateway.simulator.ShortTermKeys;
import io.github.bedrockgateway.simulator.SimulatorCredentials;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parsing Bedrock API keys: what kind, when a short-term key expires, and what is wrong with a bad
 * one.
 */
class BedrockApiKeyTest {

  static final Instant ISSUED = Instant.parse("2026-12-03T08:00:00Z");
  static final String LONG_TERM =
      "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlLWF0LTEyMzQ1Njc4OTAxMjpFWEFNUExFa2V5";

  @Test
  void a_short_term_key_expires_at_its_x_amz_date_plus_x_amz_expires() {
    String minted =
        ShortTermKeys.mint(
            SimulatorCredentials.DEV_ACCESS_KEY_ID,
            SimulatorCredentials.DEV_SECRET_ACCESS_KEY,
            "eu-central-1",
            ISSUED,
            Duration.ofHours(12));

    BedrockApiKey key = BedrockApiKey.parse(minted + "\n");

    assertThat(key)
        .isEqualTo(
            new BedrockApiKey(
                minted,
                Kind.SHORT_TERM,
                BedrockApiKey.fingerprint(minted),
                Optional.of(ISSUED),
                Optional.of(ISSUED.plus(Duration.ofHours(12))),
                Optional.of(SimulatorCredentials.DEV_ACCESS_KEY_ID),
                Optional.of("eu-central-1")));
    assertThat(key.expiredAt(ISSUED.plus(Duration.ofHours(12)).minusSeconds(1))).isFalse();
    assertThat(key.expiredAt(ISSUED.plus(Duration.ofHours(12)))).isTrue();
    assertThat(key.describe())
        .isEqualTo("short-term key " + key.fingerprint() + " (signed by AKIA…MPLE, eu-central-1)");
  }

  @Test
  void a_short_term_key_of_session_credentials_is_read_the_same_way() {
    String minted =
        ShortTermKeys.mint(
            "ASIAEXAMPLESESSION01",
            "EXAMPLE-secret",
            "EXAMPLE-session-token",
            "us-east-1",
            ISSUED,
            Duration.ofMinutes(15));

    BedrockApiKey key = BedrockApiKey.parse(minted);

    assertThat(key.kind()).isEqualTo(Kind.SHORT_TERM);
    assertThat(key.expiresAt()).contains(ISSUED.plus(Duration.ofMinutes(15)));
    assertThat(key.accessKeyId()).contains("ASIAEXAMPLESESSION01");
  }

  @Test
  void a_long_term_key_has_no_expiry_the_gateway_can_know() {
    BedrockApiKey key = BedrockApiKey.parse("  " + LONG_TERM + "\r\n");

    assertThat(key)
        .isEqualTo(
            new BedrockApiKey(
                LONG_TERM,
                Kind.LONG_TERM,
                BedrockApiKey.fingerprint(LONG_TERM),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty()));
    assertThat(key.expiredAt(Instant.MAX)).isFalse();
    assertThat(key.toString())
        .isEqualTo("long-term key " + key.fingerprint())
        .doesNotContain(LONG_TERM);
  }

  @Test
  void the_fingerprint_is_the_start_of_the_sha256_in_hex() {
    // printf %s abc | sha256sum -> ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    assertThat(BedrockApiKey.fingerprint("abc")).isEqualTo("ba7816bf");
  }

  record Malformed(String name, String text, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static String shortTerm(String url) {
    return "bedrock-api-key-"
        + Base64.getEncoder().encodeToString(url.getBytes(StandardCharsets.UTF_8));
  }

  static Stream<Malformed> malformed() {
    return Stream.of(
        new Malformed("empty file", "\n", "it is empty"),
        new Malformed(
            "two keys on two lines",
            LONG_TERM + "\n" + LONG_TERM,
            "it contains white space or a character outside "
                + "printable ASCII at position 69 (one key, on one line)"),
        new Malformed(
            "quoted, as pasted from JSON",
            "\"" + LONG_TERM + "\"",
            "it starts with neither ABSK (a long-term key) nor bedrock-api-key- (a short-term key)"),
        new Malformed(
            "an AWS secret access key",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "it starts with neither ABSK (a long-term key) nor bedrock-api-key- (a short-term key)"),
        new Malformed(
            "short-term prefix, then not base64",
            "bedrock-api-key-%%%%",
            "it starts with bedrock-api-key- but the rest is not base64"),
        new Malformed(
            "short-term prefix, base64 of no URL",
            shortTerm("hello"),
            "it starts with bedrock-api-key- but does not hold a presigned URL"),
        new Malformed(
            "a presigned URL for another action",
            shortTerm(
                "bedrock.amazonaws.com/?Action=ListFoundationModels&X-Amz-Date="
                    + "20261203T080000Z&X-Amz-Expires=900"),
            "it starts with bedrock-api-key- but its presigned URL is not for CallWithBearerToken"),
        new Malformed(
            "no X-Amz-Expires",
            shortTerm(
                "bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Date=20261203T080000Z"),
            "its presigned URL has no X-Amz-Date or X-Amz-Expires"),
        new Malformed(
            "an unreadable X-Amz-Date",
            shortTerm(
                "bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Date=yesterday"
                    + "&X-Amz-Expires=900"),
            "its presigned URL has an X-Amz-Date or X-Amz-Expires that cannot be read"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void a_malformed_key_is_refused_with_what_is_wrong_and_never_the_key(Malformed c) {
    assertThatThrownBy(() -> BedrockApiKey.parse(c.text()))
        .isInstanceOf(BedrockApiKey.MalformedKeyException.class)
        .hasMessage(c.message());
  }
}
