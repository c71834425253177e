package io.github.bedrockgateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;

/**
 * {@code ~/.aws} is looked up under {@code $HOME}, as the AWS SDK and CLI do, not under Java's
 * {@code user.home} (which differs in containers running as a user {@code /etc/passwd} does not
 * know).
 */
class HomeDirectoryTest {

  static final String DEV_KEY = "AKIAEXAMPLEHOMEDEV01";

  @TempDir Path home;
  CredentialsManager manager;

  @BeforeEach
  void awsFiles() throws IOException {
    Path aws = Files.createDirectories(home.resolve(".aws"));
    Files.writeString(aws.resolve("config"), "[profile dev]\nregion = eu-west-3\n");
    Files.writeString(
        aws.resolve("credentials"),
        "[dev]\naws_access_key_id = "
            + DEV_KEY
            + "\naws_secret_access_key = EXAMPLE-home-secret-0123456789abcdefghi\n");
  }

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.shutdown();
    }
  }

  @ParameterizedTest(name = "strategy {0}")
  @ValueSource(strings = {"profile", "default"})
  void the_profile_files_are_found_under_HOME_even_when_user_home_is_elsewhere(String strategy) {
    Env env =
        Env.of(
            Map.of("HOME", home.toString(), "AWS_PROFILE", "dev"),
            Map.of("user.home", "/nonexistent/user.home"));
    manager =
        new CredentialsManager(
            CredentialsSettings.builder(env).strategy(strategy).build(),
            CredentialsTestSupport.FAST);
    manager.start();

    assertThat(manager.provider().resolveCredentials().accessKeyId()).isEqualTo(DEV_KEY);
    assertThat(
            RegionResolver.resolve(
                    java.util.Optional.empty(), java.util.Optional.empty(), strategy, env)
                .region())
        .isEqualTo(Region.EU_WEST_3);
  }

  /**
   * The production path, in a JVM of its own: the real process environment has {@code HOME} set and
   * {@code user.home} pointing elsewhere; the gateway's {@link Env#system()} resolves the files
   * through the SDK's own {@code ProfileFileLocation}.
   */
  @ParameterizedTest(name = "strategy {0}")
  @ValueSource(strings = {"profile", "default"})
  void a_gateway_process_with_HOME_set_finds_the_profile_there(String strategy) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=/nonexistent/user.home",
                "-cp",
                System.getProperty("java.class.path"),
                HomeProbe.class.getName(),
                strategy));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("GATEWAY_"));
    environment.put("HOME", home.toString());
    environment.put("AWS_PROFILE", "dev");
    environment.put(
        "AWS_EC2_METADATA_DISABLED",
        "true"); // the default chain must not wait for an instance metadata service
    Process process = builder.start();
    boolean exited = process.waitFor(60, TimeUnit.SECONDS);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!exited) {
      process.destroyForcibly();
    }

    assertThat(exited).as("probe finished: %s", output).isTrue();
    assertThat(output).contains("resolved " + DEV_KEY + " in region eu-west-3");
    assertThat(process.exitValue()).as(output).isZero();
  }
}
