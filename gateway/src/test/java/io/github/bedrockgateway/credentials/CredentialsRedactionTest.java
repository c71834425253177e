package io.github.bedrockgateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class CredentialsRedactionTest {

  @Test
  void access_key_ids_are_cut_to_their_first_and_last_four_characters() {
    assertThat(Redact.accessKeyId("AKIAIOSFODNN7EXAMPLE")).isEqualTo("AKIA…MPLE");
    assertThat(Redact.accessKeyId(null)).isEqualTo("none");
    assertThat(Redact.accessKeyId("short")).isEqualTo("s…");
  }

  @Test
  void secrets_tokens_and_key_ids_in_messages_are_masked() {
    String message =
        "process printed {\"AccessKeyId\":\"ASIAIOSFODNN7EXAMPLE\",\"SecretAccessKey\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\","
            + "\"SessionToken\":\"IQoJb3JpZ2luX2VjEOr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6EXAMPLE\"} and token "
            + "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJl";

    String redacted = Redact.text(message);

    assertThat(redacted)
        .doesNotContain("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        .doesNotContain("IQoJb3JpZ2luX2VjEOr")
        .doesNotContain("eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ")
        .doesNotContain("ASIAIOSFODNN7EXAMPLE")
        .contains("ASIA…MPLE")
        .contains("[redacted token]");
  }

  @Test
  void bedrock_api_keys_in_messages_are_masked() {
    String shortTerm =
        io.github.bedrockgateway.simulator.ShortTermKeys.mint(
            "AKIAIOSFODNN7EXAMPLE",
            "EXAMPLE-secret",
            "us-east-1",
            java.time.Instant.now(),
            java.time.Duration.ofHours(1));
    String text =
        "sent Authorization: Bearer "
            + shortTerm
            + " then Bearer ABSKQmVkcm9ja0FQSUtleS1FWEFNUExF, refused";

    assertThat(Redact.text(text))
        .isEqualTo(
            "sent Authorization: Bearer [redacted Bedrock API key] then Bearer "
                + "[redacted Bedrock API key], refused");
  }

  @Test
  void arns_and_paths_survive_redaction() {
    String text =
        "User: arn:aws:iam::123456789012:user/gateway-base is not authorized to perform: sts:AssumeRole on resource: "
            + "arn:aws:iam::123456789012:role/bedrock-gateway /var/run/secrets/eks.amazonaws.com/serviceaccount/token";
    assertThat(Redact.text(text)).isEqualTo(text);
  }

  @Test
  void a_cause_names_the_exception_and_its_root_once() {
    SdkClientException wrapped =
        SdkClientException.create(
            "Unable to execute HTTP request: Connection refused",
            new ConnectException("Connection refused"));
    assertThat(Redact.cause(wrapped))
        .isEqualTo("SdkClientException: Unable to execute HTTP request: Connection refused");

    IOException io = new IOException("Failed to load", new NoSuchFileException("/x"));
    assertThat(Redact.cause(io)).isEqualTo("IOException: Failed to load (NoSuchFileException: /x)");
  }
}
