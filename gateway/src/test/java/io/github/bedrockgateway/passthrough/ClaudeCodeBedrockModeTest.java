package io.github.bedrockgateway.passthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.RecordedRequest;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.github.bedrockgateway.testing.NpmTool;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claude Code itself (npm {@code @anthropic-ai/claude-code}) in Bedrock mode against the gateway
 * and the simulator, configured as docs/claude-code.md tells users: {@code
 * CLAUDE_CODE_USE_BEDROCK=1}, {@code ANTHROPIC_BEDROCK_BASE_URL=http://GATEWAY/bedrock}, {@code
 * AWS_REGION}, and the gateway key as {@code AWS_BEARER_TOKEN_BEDROCK} (or, with {@code
 * CLAUDE_CODE_SKIP_BEDROCK_AUTH=1}, in {@code ANTHROPIC_CUSTOM_HEADERS}); telemetry off, a
 * temporary HOME, no AWS setting of the machine. The CLI is installed with npm under {@code
 * gateway/target/claude-code} once ({@link NpmTool}).
 */
@QuarkusTest
@TestProfile(PassthroughProfile.class)
class ClaudeCodeBedrockModeTest {

  static final String VERSION = "2.1.332";
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
  static final String KEY = "test-key-1";
  static NpmTool claude;

  @TestHTTPResource("/bedrock")
  URL bedrock;

  @Inject EmbeddedSimulator embedded;

  @TempDir Path home;

  BedrockSimulator simulator;
  final List<String> accessLines = Collections.synchronizedList(new ArrayList<>());
  final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          accessLines.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeAll
  static void installClaudeCode() throws Exception {
    claude =
        NpmTool.install("@anthropic-ai/claude-code", VERSION, Path.of("target", "claude-code"));
  }

  @BeforeEach
  void reset() {
    simulator = embedded.simulator();
    simulator.clearRequests();
    java.util.logging.Logger.getLogger("gateway.access").addHandler(capture);
  }

  @AfterEach
  void stopCapture() {
    java.util.logging.Logger.getLogger("gateway.access").removeHandler(capture);
  }

  NpmTool.Result claude(Map<String, String> auth, String... args) throws Exception {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "CLAUDE_CODE_USE_BEDROCK", "1",
                "ANTHROPIC_BEDROCK_BASE_URL", bedrock.toString(),
                "AWS_REGION", "us-east-1",
                "HOME", home.toString(),
                "DISABLE_TELEMETRY", "1",
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
                "DISABLE_AUTOUPDATER", "1",
                "DISABLE_ERROR_REPORTING", "1"));
    env.putAll(auth);
    return claude.run(
        "claude", List.of(args), env, List.of("AWS_", "ANTHROPIC_", "CLAUDE_"), home, RUN_TIMEOUT);
  }

  static Map<String, String> bearer() {
    return Map.of("AWS_BEARER_TOKEN_BEDROCK", KEY);
  }

  List<RecordedRequest> streamed() {
    return simulator.requests().stream()
        .filter(r -> r.operation().equals(RecordedRequest.INVOKE_STREAM))
        .toList();
  }

  @Test
  void prints_the_answer_scripted_in_the_prompt_with_the_key_as_its_bedrock_api_key()
      throws Exception {
    NpmTool.Result result =
        claude(bearer(), "-p", "Say it.\n@sim reply=Hello through the Bedrock pass-through.");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("Hello through the Bedrock pass-through.");
    List<RecordedRequest> calls = streamed();
    assertThat(calls).isNotEmpty();
    for (RecordedRequest call : calls) {
      assertThat(call.errorType()).as(call.bodyText()).isNull();
      assertThat(call.authScheme()).isEqualTo(RecordedRequest.AuthScheme.SIGV4);
      assertThat(call.header("Authorization")).doesNotContain(KEY);
      // Claude Code's betas pass the simulator's "invalid beta flag" check: the gateway dropped the
      // rest
      assertThat(call.body().path("anthropic_beta"))
          .allMatch(b -> !b.asText().equals("thinking-token-count-2026-05-13"));
      assertThat(Json.MAPPER.readTree(call.requestMetadata()).path("gateway-key").asText())
          .isEqualTo("key-1");
    }
    // Claude Code's start-up listing of inference profiles was answered by the gateway
    assertThat(accessLines)
        .anyMatch(
            l ->
                l.contains("protocol=bedrock.list-inference-profiles") && l.contains("status=200"));
  }

  @Test
  void runs_a_bash_tool_and_answers_with_its_output() throws Exception {
    // The simulator makes the model call Bash; Claude Code runs it and sends the result back, which
    // the
    // simulator echoes as the final answer. The arithmetic proves the command ran.
    NpmTool.Result result =
        claude(
            bearer(),
            "-p",
            "Run the check.\n@sim tool=Bash {\"command\": \"echo bedrock-tool-ran-$((6*7))\", \"description\": \"Print a marker\"}",
            "--allowedTools",
            "Bash");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("bedrock-tool-ran-42");
    List<RecordedRequest> calls = streamed();
    assertThat(calls.size()).isGreaterThanOrEqualTo(2);
    assertThat(calls.get(calls.size() - 1).bodyText())
        .contains("tool_result")
        .contains("bedrock-tool-ran-42");
  }

  @Test
  void works_with_bedrock_auth_skipped_and_the_key_in_a_custom_header() throws Exception {
    NpmTool.Result result =
        claude(
            Map.of(
                "CLAUDE_CODE_SKIP_BEDROCK_AUTH",
                "1",
                "ANTHROPIC_CUSTOM_HEADERS",
                "Authorization: Bearer " + KEY),
            "-p",
            "@sim reply=Custom header accepted.");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("Custom header accepted.");
    assertThat(streamed()).isNotEmpty().allSatisfy(r -> assertThat(r.errorType()).isNull());
  }

  @Test
  void a_wrong_key_fails_as_an_aws_authentication_failure_and_reaches_nothing() throws Exception {
    // Claude Code retries authentication failures for minutes by default (credentials may be
    // refreshed
    // meanwhile); without retries it reports at once, which is what docs/claude-code.md suggests to
    // debug
    NpmTool.Result result =
        claude(
            Map.of("AWS_BEARER_TOKEN_BEDROCK", "not-a-gateway-key", "CLAUDE_CODE_MAX_RETRIES", "0"),
            "-p",
            "hello");
    assertThat(result.exitCode()).as(result.output()).isNotZero();
    assertThat(result.output())
        .contains("AWS authentication failed")
        .contains("403 Incorrect API key provided.");
    assertThat(simulator.requests()).isEmpty();
  }
}
