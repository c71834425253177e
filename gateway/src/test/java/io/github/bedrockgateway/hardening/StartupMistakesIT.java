package io.github.bedrockgateway.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Configuration mistakes a newcomer makes, on the packaged gateway (run by failsafe after {@code
 * package}): each stops start-up with exit status 1 and one sentence that says what is wrong, which
 * setting, and how to fix it; no stack trace.
 */
class StartupMistakesIT {

  static final String DIGEST =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"; // sha256("test")

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of(
            "no client key",
            Map.of(),
            "No client API key is configured: set GATEWAY_API_KEYS (gateway.api-keys) to a comma-separated "
                + "list of keys or sha256:<hex> digests, or set GATEWAY_AUTH_ENABLED=false"),
        Arguments.of(
            "runtime endpoint without http://",
            Map.of("GATEWAY_API_KEYS", "k", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "localhost:8089"),
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME is 'localhost:8089', which has no http:// or https:// in front: "
                + "write the endpoint as a URL, e.g. http://localhost:8089."),
        Arguments.of(
            "gateway endpoint without http://",
            Map.of("GATEWAY_API_KEYS", "k", "GATEWAY_BEDROCK_ENDPOINT", "127.0.0.1:8089"),
            "gateway.bedrock.endpoint (GATEWAY_BEDROCK_ENDPOINT) is '127.0.0.1:8089', which has no http:// or "
                + "https:// in front: write the endpoint as a URL, e.g. http://127.0.0.1:8089."),
        Arguments.of(
            "sha256sum output pasted whole",
            Map.of("GATEWAY_API_KEYS", "team-a=sha256:" + DIGEST + "  -"),
            "gateway.api-keys (GATEWAY_API_KEYS) entry 1 ('team-a') starts with sha256: but ends with the ' -' "
                + "that sha256sum prints after the digest: drop the trailing ' -'"),
        Arguments.of(
            "unknown protocol",
            Map.of("GATEWAY_API_KEYS", "k", "GATEWAY_BEDROCK_PROTOCOL", "http3"),
            "gateway.bedrock.protocol (GATEWAY_BEDROCK_PROTOCOL) is 'http3': set it to http1.1 or http2."),
        Arguments.of(
            "access-log format typo (it used to mean text, silently)",
            Map.of("GATEWAY_API_KEYS", "k", "GATEWAY_OBSERVABILITY_ACCESS_LOG_FORMAT", "jsn"),
            "gateway.observability.access-log-format (GATEWAY_OBSERVABILITY_ACCESS_LOG_FORMAT) is 'jsn': "
                + "set it to text or json."),
        Arguments.of(
            "guardrail trace typo",
            Map.of("GATEWAY_API_KEYS", "k", "GATEWAY_GUARDRAIL_TRACE", "full"),
            "gateway.guardrail.trace (GATEWAY_GUARDRAIL_TRACE) is 'full': set it to enabled, disabled or "
                + "enabled_full."),
        Arguments.of(
            "credentials strategy typo",
            Map.of("GATEWAY_API_KEYS", "k", "GATEWAY_CREDENTIALS_STRATEGY", "statc"),
            "Credentials strategy 'statc': gateway.credentials.strategy (GATEWAY_CREDENTIALS_STRATEGY) is "
                + "'statc', which is not a strategy. Did you mean 'static'?"),
        Arguments.of(
            "image size limit out of range (a stack trace before)",
            Map.of("GATEWAY_API_KEYS", "k", "GATEWAY_IMAGES_MAX_BYTES", "0"),
            "gateway.images.max-bytes (GATEWAY_IMAGES_MAX_BYTES) is '0': set it to 1 or more."),
        Arguments.of(
            "thinking budget below Claude's floor",
            Map.of("GATEWAY_API_KEYS", "k", "GATEWAY_REASONING_LOW_BUDGET", "500"),
            "gateway.reasoning.low-budget (GATEWAY_REASONING_LOW_BUDGET) is '500': set it to 1024 or more."),
        Arguments.of(
            "zero image fetch timeout",
            Map.of("GATEWAY_API_KEYS", "k", "GATEWAY_IMAGES_FETCH_TIMEOUT", "0s"),
            "gateway.images.fetch-timeout (GATEWAY_IMAGES_FETCH_TIMEOUT) is 'PT0S': set it to a duration above zero, e.g. 10s."),
        Arguments.of(
            "Bedrock API key strategy without a key",
            Map.of("GATEWAY_API_KEYS", "k", "GATEWAY_CREDENTIALS_STRATEGY", "bedrock-api-key"),
            "Credentials strategy 'bedrock-api-key': neither AWS_BEARER_TOKEN_BEDROCK nor"
                + " gateway.credentials.api-key.file (GATEWAY_CREDENTIALS_API_KEY_FILE) is set. Create a"
                + " Bedrock API key (a short-term key made from a role is recommended) and put it in the"
                + " file named by gateway.credentials.api-key.file (GATEWAY_CREDENTIALS_API_KEY_FILE) or"
                + " in AWS_BEARER_TOKEN_BEDROCK. See docs/credentials.md#bedrock-api-key"),
        Arguments.of(
            "web identity token file missing",
            Map.of(
                "GATEWAY_API_KEYS", "k",
                "GATEWAY_CREDENTIALS_STRATEGY", "web-identity",
                "GATEWAY_CREDENTIALS_ROLE_ARN", "arn:aws:iam::123456789012:role/gateway",
                "GATEWAY_CREDENTIALS_WEB_IDENTITY_TOKEN_FILE",
                    "/nonexistent/eks.amazonaws.com/serviceaccount/token"),
            "Credentials strategy 'web-identity': gateway.credentials.web-identity-token-file (or"
                + " AWS_WEB_IDENTITY_TOKEN_FILE) points to"
                + " /nonexistent/eks.amazonaws.com/serviceaccount/token which cannot be read"
                + " (NoSuchFileException). Mount the projected service-account token or fix the path."
                + " See docs/credentials.md#web-identity"),
        Arguments.of(
            "zero Bedrock read timeout",
            Map.of("GATEWAY_API_KEYS", "k", "GATEWAY_BEDROCK_READ_TIMEOUT", "0s"),
            "gateway.bedrock.read-timeout (GATEWAY_BEDROCK_READ_TIMEOUT) is 'PT0S': set it to a duration above zero, e.g. 10s."),
        Arguments.of(
            "no request allowed in flight",
            Map.of("GATEWAY_API_KEYS", "k", "GATEWAY_LIMITS_MAX_IN_FLIGHT", "0"),
            "gateway.limits.max-in-flight (GATEWAY_LIMITS_MAX_IN_FLIGHT) is '0': set it to 1 or more."),
        Arguments.of(
            "Quarkus's body limit below the gateway's",
            Map.of("GATEWAY_API_KEYS", "k", "QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE", "1M"),
            "quarkus.http.limits.max-body-size (1048576 bytes) is below gateway.http.max-body-size (26214400 bytes)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void a_configuration_mistake_stops_startup_with_one_sentence_and_no_stack_trace(
      String name, Map<String, String> settings, String sentence) throws Exception {
    Path log = Files.createTempFile("gateway-startup", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                "target/quarkus-app/quarkus-run.jar")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(
            k -> k.startsWith("GATEWAY_") || k.startsWith("AWS_") || k.startsWith("QUARKUS_"));
    Map<String, String> all =
        new HashMap<>(
            Map.of(
                "QUARKUS_HTTP_PORT", "0",
                "GATEWAY_REGION", "us-east-1",
                "GATEWAY_CREDENTIALS_STRATEGY", "static",
                "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE",
                "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "GATEWAY_MODELS_DISCOVERY_ENABLED", "false"));
    all.putAll(settings);
    env.putAll(all);
    Process gateway = pb.start();
    try {
      assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("the gateway stops by itself").isTrue();
      String output = Files.readString(log);
      assertThat(gateway.exitValue()).as(output).isEqualTo(1);
      assertThat(output).contains(sentence);
      assertThat(output.split(Pattern.quote(sentence), -1))
          .as("printed once:\n%s", output)
          .hasSize(2);
      assertThat(output)
          .as("no stack trace")
          .doesNotContain("\tat ")
          .doesNotContain("Caused by")
          // no exception printed as Java prints one (a qualified class name, or "...Exception: ")
          .doesNotContainPattern("[a-z]\\.[A-Za-z.]*(Exception|Error)\\b")
          .doesNotContainPattern("(Exception|Error): ")
          .doesNotContain("Failed to start application");
      assertThat(output.lines().count()).as("a short output:\n%s", output).isLessThan(8);
    } finally {
      gateway.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }
}
