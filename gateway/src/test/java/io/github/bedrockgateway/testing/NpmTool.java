package io.github.bedrockgateway.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool from npm for tests that drive a real client (Claude Code, Codex CLI):
 * installed once with {@code npm install --prefix} under {@code gateway/target/} (a later run with
 * the same version reuses it; {@code mvn clean} removes it), and run with a bounded time and an
 * environment of the test's choosing. Without Node.js and npm, or without the registry, the install
 * fails the test: it never skips.
 */
public final class NpmTool {

  /** Bound of one {@code npm install}. */
  public static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

  private final String name;
  private final String version;
  private final Path prefix;

  private NpmTool(String name, String version, Path prefix) {
    this.name = name;
    this.version = version;
    this.prefix = prefix;
  }

  /** What a process printed (stdout and stderr together) and its exit code. */
  public record Result(int exitCode, String output) {}

  /**
   * The package {@code name@version}, installed under {@code prefix} unless that version is there
   * already.
   *
   * @param prefix an install directory under {@code target/}, e.g. {@code target/claude-code}
   */
  public static synchronized NpmTool install(String name, String version, Path prefix)
      throws IOException, InterruptedException {
    NpmTool tool = new NpmTool(name, version, prefix.toAbsolutePath());
    if (tool.installed()) {
      return tool;
    }
    Files.createDirectories(tool.prefix);
    Result npm =
        run(
            List.of(
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
                tool.prefix.toString(),
                name + "@" + version),
            Map.of(),
            List.of(),
            tool.prefix,
            INSTALL_TIMEOUT);
    if (npm.exitCode() != 0 || !tool.installed()) {
      throw new AssertionError(
          "npm install "
              + name
              + "@"
              + version
              + " failed (exit "
              + npm.exitCode()
              + "):\n"
              + npm.output());
    }
    return tool;
  }

  private boolean installed() throws IOException {
    Path packageJson = prefix.resolve("node_modules").resolve(name).resolve("package.json");
    return Files.exists(packageJson)
        && Files.readString(packageJson).contains("\"version\": \"" + version + "\"");
  }

  /** The path of one of the package's commands ({@code node_modules/.bin/NAME}). */
  public Path bin(String command) {
    return prefix.resolve("node_modules/.bin").resolve(command);
  }

  /**
   * Runs one of the package's commands.
   *
   * @param env variables set for the process
   * @param unset prefixes of inherited variables removed first (e.g. {@code AWS_}), so that the
   *     machine's own settings cannot change what the test sees
   * @param dir the working directory
   * @param timeout the process (and its children) is killed after it, failing the test
   */
  public Result run(
      String command,
      List<String> args,
      Map<String, String> env,
      List<String> unset,
      Path dir,
      Duration timeout)
      throws IOException, InterruptedException {
    List<String> line = new ArrayList<>();
    line.add(bin(command).toString());
    line.addAll(args);
    return run(line, env, unset, dir, timeout);
  }

  static Result run(
      List<String> command, Map<String, String> env, List<String> unset, Path dir, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> unset.stream().anyMatch(k::startsWith));
    builder.environment().putAll(env);
    Path log = Files.createTempFile("npm-tool", ".log");
    builder.redirectOutput(log.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError(
          "could not start " + command.get(0) + " (are Node.js and npm installed?)", e);
    }
    try {
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
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
