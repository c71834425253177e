package io.github.bedrockgateway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged application (target/quarkus-app, what every image contains) holds no simulator or
 * fake class and no dev-mode module, and does hold the event-stream decoder patch. Runs after
 * {@code package} (failsafe).
 */
class PackagedAppIT {

  private static final Path APP = Path.of("target", "quarkus-app");

  @Test
  void the_packaged_application_holds_no_simulator_or_fake_class() throws IOException {
    assertThat(APP.resolve("quarkus-run.jar")).exists();
    List<String> offending = new ArrayList<>();
    List<String> jars = new ArrayList<>();
    try (Stream<Path> files = Files.walk(APP)) {
      for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
        jars.add(jar.getFileName().toString());
        try (JarFile file = new JarFile(jar.toFile())) {
          file.stream()
              .map(e -> e.getName())
              .filter(
                  name ->
                      name.startsWith("io/github/bedrockgateway/simulator/")
                          || name.startsWith("io/github/bedrockgateway/devsim/")
                          || name.startsWith("io/github/bedrockgateway/testing/"))
              .forEach(name -> offending.add(jar.getFileName() + "!" + name));
        }
      }
    }
    assertThat(jars).as("jars of the packaged application").isNotEmpty();
    assertThat(jars)
        .noneMatch(name -> name.contains("bedrock-simulator") || name.contains("dev-simulator"));
    assertThat(offending)
        .as("simulator, fake or test classes in the packaged application")
        .isEmpty();
  }

  @Test
  void the_event_stream_decoder_is_the_gateways_and_the_librarys_is_hidden() throws IOException {
    List<String> holders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(APP)) {
      for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
        try (JarFile file = new JarFile(jar.toFile())) {
          if (file.getEntry("software/amazon/eventstream/MessageDecoder.class") != null) {
            holders.add(jar.getFileName().toString());
          }
        }
      }
    }
    assertThat(holders)
        .as("jars holding software.amazon.eventstream.MessageDecoder")
        .singleElement()
        .asString()
        .contains("bedrock-gateway-eventstream-patch");
  }
}
