package io.github.bedrockgateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.bedrock.BedrockConfig;
import io.github.bedrockgateway.bedrock.ModelsConfig;
import io.github.bedrockgateway.credentials.CredentialsConfig;
import io.github.bedrockgateway.credentials.RegionConfig;
import io.github.bedrockgateway.edge.EdgeConfig;
import io.github.bedrockgateway.images.ImagesConfig;
import io.github.bedrockgateway.observability.ObservabilityConfig;
import io.github.bedrockgateway.testing.RepoFiles;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md must name every setting of every {@code @ConfigMapping} of the gateway: the
 * docs are part of the feature. The mappings are found on the class path (every package keeps its
 * own next to the code it configures), so a new one is checked without being listed here.
 */
class ConfigurationDocsTest {

  /** The groups split out of the former single {@code GatewayConfig}: all must still be found. */
  static final List<Class<?>> GATEWAY_GROUPS =
      List.of(
          EdgeConfig.class,
          RegionConfig.class,
          CredentialsConfig.class,
          BedrockConfig.class,
          ModelsConfig.class,
          ImagesConfig.class,
          ObservabilityConfig.class,
          TranslationConfig.class);

  @Test
  void every_gateway_setting_is_documented() throws Exception {
    String docs = Files.readString(RepoFiles.file("docs/configuration.md"));
    List<Class<?>> mappings = mappings();
    assertThat(mappings).containsAll(GATEWAY_GROUPS);
    List<String> names = new ArrayList<>();
    for (Class<?> mapping : mappings) {
      collect(mapping, mapping.getAnnotation(ConfigMapping.class).prefix(), names);
    }
    assertThat(names)
        .hasSizeGreaterThan(60)
        .contains(
            "gateway.api-keys",
            "gateway.region",
            "gateway.models.list",
            "gateway.models.discovery.refresh-interval",
            "gateway.guardrail.stream-processing-mode")
        .doesNotHaveDuplicates();
    List<String> missing = names.stream().filter(name -> !docs.contains("`" + name + "`")).toList();
    assertThat(missing).as("settings missing from docs/configuration.md").isEmpty();
  }

  /** Every interface annotated {@code @ConfigMapping} among the gateway's main classes. */
  static List<Class<?>> mappings() throws IOException, URISyntaxException {
    Path classes =
        Path.of(EdgeConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name =
            classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
        name = name.substring(0, name.length() - ".class".length());
        if (name.contains("$")) {
          continue;
        }
        try {
          Class<?> type = Class.forName(name, false, ConfigurationDocsTest.class.getClassLoader());
          if (type.isInterface() && type.isAnnotationPresent(ConfigMapping.class)) {
            found.add(type);
          }
        } catch (ClassNotFoundException | LinkageError e) {
          // not a class this test can load (generated or optional): no mapping there
        }
      }
    }
    return found;
  }

  private static void collect(Class<?> type, String prefix, List<String> out) {
    for (Method m : type.getDeclaredMethods()) {
      if (m.isDefault()
          || Modifier.isStatic(m.getModifiers())
          || m.isSynthetic()
          || m.getParameterCount() > 0) {
        continue;
      }
      WithName rename = m.getAnnotation(WithName.class);
      String name = prefix + "." + (rename != null ? rename.value() : kebab(m.getName()));
      Class<?> returned = m.getReturnType();
      if (returned.isInterface() && returned.getName().startsWith("io.github.bedrockgateway.")) {
        collect(returned, name, out);
      } else {
        out.add(name);
      }
    }
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }
}
