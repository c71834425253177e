package io.github.bedrockgateway.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.testing.RepoFiles;
import io.smallrye.config.ConfigMapping;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md must name every setting of {@link ResponsesConfig}, with its environment
 * variable.
 */
class ResponsesConfigDocsTest {

  @Test
  void every_responses_setting_is_documented() throws Exception {
    String docs = Files.readString(RepoFiles.file("docs/configuration.md"));
    List<String> names = new ArrayList<>();
    collect(
        ResponsesConfig.class,
        ResponsesConfig.class.getAnnotation(ConfigMapping.class).prefix(),
        names);
    assertThat(names).hasSize(3);
    for (String name : names) {
      String env = name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
      assertThat(docs)
          .as("docs/configuration.md documents %s", name)
          .contains("`" + name + "`")
          .contains("`" + env + "`");
    }
  }

  private static void collect(Class<?> type, String prefix, List<String> out) {
    for (Method m : type.getDeclaredMethods()) {
      if (m.isDefault()
          || java.lang.reflect.Modifier.isStatic(m.getModifiers())
          || m.getParameterCount() > 0) {
        continue;
      }
      String name =
          prefix
              + "."
              + m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
      if (m.getReturnType().isInterface()
          && m.getReturnType().getName().startsWith(ResponsesConfig.class.getName() + "$")) {
        collect(m.getReturnType(), name, out);
      } else {
        out.add(name);
      }
    }
  }
}
