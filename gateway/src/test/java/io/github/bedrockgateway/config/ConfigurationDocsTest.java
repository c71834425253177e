package io.github.bedrockgateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.testing.RepoFiles;
import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md must name every setting of {@link GatewayConfig}: the docs are part of the
 * feature.
 */
class ConfigurationDocsTest {

  @Test
  void every_gateway_setting_is_documented() throws Exception {
    String docs = Files.readString(RepoFiles.file("docs/configuration.md"));
    List<String> names = new ArrayList<>();
    collect(GatewayConfig.class, "gateway", names);
    assertThat(names).hasSizeGreaterThan(30);
    List<String> missing = names.stream().filter(name -> !docs.contains("`" + name + "`")).toList();
    assertThat(missing).as("settings missing from docs/configuration.md").isEmpty();
  }

  private static void collect(Class<?> type, String prefix, List<String> out) {
    for (Method m : type.getDeclaredMethods()) {
      if (m.isDefault()
          || java.lang.reflect.Modifier.isStatic(m.getModifiers())
          || m.getParameterCount() > 0) {
        continue;
      }
      WithName rename = m.getAnnotation(WithName.class);
      String name = prefix + "." + (rename != null ? rename.value() : kebab(m.getName()));
      Class<?> returned = m.getReturnType();
      if (returned.isInterface()
          && returned.getName().startsWith(GatewayConfig.class.getName() + "$")) {
        collect(returned, name, out);
      } else {
        out.add(name);
      }
    }
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }
}
