package io.github.bedrockgateway.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.RecordedRequest;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Codex CLI itself (npm {@code @openai/codex}) against the gateway and the Bedrock simulator: a
 * model provider with {@code wire_api = "responses"} in a throw-away {@code CODEX_HOME}, then
 * {@code codex exec}. The CLI is installed with npm into {@code target/codex-cli} once and reused;
 * a machine without npm fails this test rather than skipping it (docs/codex.md).
 */
@QuarkusTest
class CodexCliTest {

  /** The version the gateway is tested with (docs/codex.md). */
  static final String CODEX_VERSION = "0.171.0";

  private static final Path INSTALL = Path.of("target", "codex-cli").toAbsolutePath();
  private static final long INSTALL_MINUTES = 10;
  private static final long RUN_SECONDS = 180;

  @TestHTTPResource("/v1")
  URL baseUrl;

  @Inject EmbeddedSimulator embedded;

  BedrockSimulator simulator;

  @TempDir Path home;

  @TempDir Path workdir;

  @BeforeAll
  static void installCodex() throws Exception {
    Path installed = INSTALL.resolve("node_modules/@openai/codex/package.json");
    if (Files.exists(installed)
        && Files.readString(installed).contains("\"version\": \"" + CODEX_VERSION + "\"")
        && Files.exists(codexBin())) {
      return;
    }
    Files.createDirectories(INSTALL);
    List<String> command =
        List.of(
            tool("npm"),
            "install",
            "--no-audit",
            "--no-fund",
            "--no-save",
            "--loglevel=error",
            "--prefix",
            INSTALL.toString(),
            "@openai/codex@" + CODEX_VERSION);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(INSTALL.resolve("npm-install.log").toFile());
    pb.environment().put("npm_config_update_notifier", "false");
    Process npm = pb.start();
    if (!npm.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES)) {
      npm.descendants().forEach(ProcessHandle::destroyForcibly);
      npm.destroyForcibly();
      fail(
          "npm install @openai/codex@"
              + CODEX_VERSION
              + " took more than "
              + INSTALL_MINUTES
              + " minutes");
    }
    assertThat(npm.exitValue())
        .as(
            "npm install @openai/codex@%s (log: %s):%n%s",
            CODEX_VERSION,
            INSTALL.resolve("npm-install.log"),
            Files.readString(INSTALL.resolve("npm-install.log")))
        .isZero();
    assertThat(codexBin()).exists();
  }

  private static Path codexBin() {
    return INSTALL.resolve("node_modules/.bin/codex");
  }

  /** A program on the PATH; the test fails (it does not skip) when it is missing. */
  private static String tool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    fail(
        name
            + " is not on the PATH: Codex CLI is installed with npm (Node.js 18 or later) to run this test");
    return null;
  }

  @BeforeEach
  void configureCodex() throws IOException {
    simulator = embedded.simulator();
    simulator.clearRequests();
    Path codexHome = Files.createDirectories(home.resolve(".codex"));
    // The provider as docs/codex.md shows it; analytics, feedback, history and update checks off.
    Files.writeString(
        codexHome.resolve("config.toml"),
        """
                model = "gpt-4o"
                model_provider = "bedrock-gateway"
                check_for_update_on_startup = false

                [analytics]
                enabled = false

                [feedback]
                enabled = false

                [history]
                persistence = "none"

                [model_providers.bedrock-gateway]
                name = "Bedrock Chat Gateway"
                base_url = "%s"
                env_key = "BEDROCK_GATEWAY_API_KEY"
                wire_api = "responses"
                request_max_retries = 0
                stream_max_retries = 0
                """
            .formatted(baseUrl.toString().replace("localhost", "127.0.0.1")));
  }

  /** The result of one {@code codex exec}. */
  private record Run(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  private Run codexExec(String prompt) throws Exception {
    // --dangerously-bypass-approvals-and-sandbox: no approval prompt in a non-interactive run, and
    // no
    // sandbox, which needs user namespaces that CI containers often lack; the command is ours.
    List<String> command =
        new ArrayList<>(
            List.of(
                codexBin().toString(),
                "exec",
                "--skip-git-repo-check",
                "--dangerously-bypass-approvals-and-sandbox",
                "-m",
                "gpt-4o",
                prompt));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(workdir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(home.resolve("stdout.txt").toFile())
            .redirectError(home.resolve("stderr.txt").toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("OPENAI_") || k.startsWith("CODEX_"));
    env.put("HOME", home.toString());
    env.put("CODEX_HOME", home.resolve(".codex").toString());
    env.put("BEDROCK_GATEWAY_API_KEY", ResponsesEndToEndTest.KEY);
    env.put("NO_COLOR", "1");
    Process codex = pb.start();
    if (!codex.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
      codex.descendants().forEach(ProcessHandle::destroyForcibly);
      codex.destroyForcibly();
      fail(
          "codex exec did not finish within "
              + RUN_SECONDS
              + " s; stderr:\n"
              + Files.readString(home.resolve("stderr.txt")));
    }
    return new Run(
        codex.exitValue(),
        Files.readString(home.resolve("stdout.txt"), StandardCharsets.UTF_8),
        Files.readString(home.resolve("stderr.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void codex_exec_prints_the_answer_the_model_gives() throws Exception {
    Run run = codexExec("Say the magic words.\n@sim reply=Bedrock says hello to Codex 7319.");
    assertThat(run.exitCode()).as("%s", run).isZero();
    assertThat(run.stdout()).as("%s", run).contains("Bedrock says hello to Codex 7319.");

    List<RecordedRequest> requests = simulator.requests();
    assertThat(requests).hasSize(1);
    RecordedRequest call = requests.get(0);
    assertThat(call.operation()).isEqualTo("converse-stream");
    assertThat(call.modelId()).isEqualTo("us.anthropic.claude-sonnet-4-20250514-v1:0");
    // Codex's instructions travel as developer messages: they are the system prompt
    assertThat(call.body().path("system").get(0).path("text").asText()).contains("Codex");
    List<String> tools = new ArrayList<>();
    call.body()
        .path("toolConfig")
        .path("tools")
        .forEach(t -> tools.add(t.path("toolSpec").path("name").asText()));
    assertThat(tools).contains("exec_command");
  }

  @Test
  void codex_runs_the_shell_command_the_model_calls_and_answers_with_its_output() throws Exception {
    // The command's output (codex-shell-42) appears nowhere in the prompt: only running it yields
    // it.
    Run run =
        codexExec(
            "Run the command and report its output.\n"
                + "@sim tool=exec_command {\"cmd\": \"echo codex-shell-$((6*7))\"}");
    assertThat(run.exitCode()).as("%s", run).isZero();
    assertThat(run.stdout()).as("%s", run).contains("codex-shell-42");

    List<RecordedRequest> requests = simulator.requests();
    assertThat(requests).as("%s", run).hasSize(2);
    JsonNode messages = requests.get(1).body().path("messages");
    JsonNode call = messages.get(messages.size() - 2).path("content");
    JsonNode result = messages.get(messages.size() - 1).path("content");
    String toolUseId = call.get(call.size() - 1).path("toolUse").path("toolUseId").asText();
    assertThat(call.get(call.size() - 1).path("toolUse").path("name").asText())
        .isEqualTo("exec_command");
    assertThat(result.get(0).path("toolResult").path("toolUseId").asText()).isEqualTo(toolUseId);
    assertThat(result.get(0).path("toolResult").path("content").get(0).path("text").asText())
        .contains("codex-shell-42");
  }
}
