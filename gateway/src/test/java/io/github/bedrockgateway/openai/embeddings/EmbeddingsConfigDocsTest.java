package io.github.bedrockgateway.openai.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.testing.RepoFiles;
import io.smallrye.config.ConfigMapping;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md must name every setting of {@link EmbeddingsConfig}, with its environment
 * variable.
 */
class EmbeddingsConfigDocsTest {

  @Test
  void every_embeddings_setting_is_documented_with_its_environment_variable() throws Exception {
    String docs = Files.readString(RepoFiles.file("docs/configuration.md"));
    String prefix = EmbeddingsConfig.class.getAnnotation(ConfigMapping.class).prefix();
    List<String> names =
        Arrays.stream(EmbeddingsConfig.class.getDeclaredMethods())
            .filter(
                m ->
                    !m.isDefault()
                        && !Modifier.isStatic(m.getModifiers())
                        && m.getParameterCount() == 0)
            .map(Method::getName)
            .map(
                name ->
                    prefix
                        + "."
                        + name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT))
            .toList();
    assertThat(names).hasSize(3);
    for (String name : names) {
      String env = name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
      assertThat(docs)
          .as("docs/configuration.md documents " + name)
          .contains("`" + name + "` | `" + env + "`");
    }
  }
}
