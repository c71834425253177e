package io.github.bedrockgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.RecordedRequest;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claude Code itself (npm {@code @anthropic-ai/claude-code}) in Messages mode against the gateway
 * and the simulator: {@code ANTHROPIC_BASE_URL} pointing at the gateway, a gateway key as {@code
 * ANTHROPIC_API_KEY}, telemetry off, a temporary HOME. The CLI is installed with npm into {@code
 * gateway/target/claude-code} once (later runs reuse it); without npm or the registry the test
 * fails, it never skips.
 */
@QuarkusTest
class ClaudeCodeMessagesModeTest {

  static final String VERSION = "2.1.332";
  static final Path INSTALL = Path.of("target", "claude-code").toAbsolutePath();
  static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

  @TestHTTPResource("/")
  URL baseUrl;

  @Inject EmbeddedSimulator embedded;

  @TempDir Path home;

  BedrockSimulator simulator;

  @BeforeAll
  static void installClaudeCode() throws Exception {
    Path packageJson = INSTALL.resolve("node_modules/@anthropic-ai/claude-code/package.json");
    if (Files.exists(packageJson)
        && Files.readString(packageJson).contains("\"version\": \"" + VERSION + "\"")) {
      return;
    }
    Files.createDirectories(INSTALL);
    Result npm =
        run(
            List.of(
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
                INSTALL.toString(),
                "@anthropic-ai/claude-code@" + VERSION),
            Map.of(),
            INSTALL,
            INSTALL_TIMEOUT);
    assertThat(npm.exitCode())
        .as("npm install @anthropic-ai/claude-code@%s:\n%s", VERSION, npm.output())
        .isZero();
    assertThat(packageJson).exists();
  }

  @BeforeEach
  void reset() {
    simulator = embedded.simulator();
    simulator.clearRequests();
  }

  private Result claude(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(INSTALL.resolve("node_modules/.bin/claude").toString());
    command.addAll(List.of(args));
    String base = baseUrl.toString().replaceAll("/$", "");
    return run(
        command,
        Map.of(
            "ANTHROPIC_BASE_URL", base,
            "ANTHROPIC_API_KEY", "test-key-1",
            "HOME", home.toString(),
            "DISABLE_TELEMETRY", "1",
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
            "DISABLE_AUTOUPDATER", "1",
            "DISABLE_ERROR_REPORTING", "1"),
        home,
        RUN_TIMEOUT);
  }

  @Test
  void prints_the_answer_scripted_in_the_prompt() throws Exception {
    Result result =
        claude("-p", "Say it.\n@sim reply=The gateway says hello.", "--model", "claude-sonnet-4-5");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("The gateway says hello.");
    List<RecordedRequest> invocations =
        simulator.requests().stream()
            .filter(r -> r.operation().equals(RecordedRequest.INVOKE_STREAM))
            .toList();
    assertThat(invocations).isNotEmpty();
    assertThat(invocations.get(0).modelId())
        .isEqualTo("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    assertThat(invocations).allSatisfy(r -> assertThat(r.errorType()).isNull());
  }

  @Test
  void a_default_install_reaches_claude_without_a_model_flag_or_an_alias() throws Exception {
    // Claude Code's own default model name resolves through the built-in Claude names
    Result result = claude("-p", "@sim reply=Served by the default model.");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("Served by the default model.");
    assertThat(simulator.requests())
        .anySatisfy(
            r -> {
              assertThat(r.operation()).isEqualTo(RecordedRequest.INVOKE_STREAM);
              assertThat(r.modelId()).isEqualTo("us.anthropic.claude-opus-5-5");
            });
  }

  @Test
  void runs_a_bash_tool_and_answers_with_its_output() throws Exception {
    // The simulator makes the model call Bash; Claude Code runs it and sends the result back, which
    // the
    // simulator echoes as the final answer. The arithmetic proves the command ran.
    Result result =
        claude(
            "-p",
            "Run the check.\n@sim tool=Bash {\"command\": \"echo tool-ran-$((6*7))\", \"description\": \"Print a marker\"}",
            "--model",
            "claude-sonnet-4-5",
            "--allowedTools",
            "Bash");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("tool-ran-42");
    List<RecordedRequest> invocations =
        simulator.requests().stream()
            .filter(r -> r.operation().equals(RecordedRequest.INVOKE_STREAM))
            .toList();
    assertThat(invocations.size()).isGreaterThanOrEqualTo(2);
    assertThat(invocations.get(invocations.size() - 1).bodyText())
        .contains("tool_result")
        .contains("tool-ran-42");
  }

  record Result(int exitCode, String output) {}

  static Result run(List<String> command, Map<String, String> env, Path dir, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Path log = Files.createTempFile("process", ".log");
    builder.redirectOutput(log.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError(
          "could not start " + command.get(0) + " (is Node.js with npm installed?)", e);
    }
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError(
          command.get(0)
              + " did not finish within "
              + timeout
              + ":\n"
              + Files.readString(log, StandardCharsets.UTF_8));
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    return new Result(process.exitValue(), output);
  }
}
