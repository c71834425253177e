package io.github.bedrockgateway.passthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.bedrock.BetaSettings;
import io.github.bedrockgateway.testing.RepoFiles;
import io.smallrye.config.ConfigMapping;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/configuration.md names every setting of the pass-through's configuration mappings. */
class PassthroughConfigDocsTest {

  @Test
  void every_pass_through_setting_is_documented() throws Exception {
    String docs = Files.readString(RepoFiles.file("docs/configuration.md"));
    List<String> names = new ArrayList<>();
    for (Class<?> mapping : List.of(PassthroughSettings.class, BetaSettings.class)) {
      String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
      for (Method m : mapping.getDeclaredMethods()) {
        if (!m.isDefault() && m.getParameterCount() == 0) {
          names.add(
              prefix
                  + "."
                  + m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
        }
      }
    }
    assertThat(names)
        .containsExactlyInAnyOrder("gateway.passthrough.enabled", "gateway.anthropic.betas");
    assertThat(names)
        .allMatch(name -> docs.contains("`" + name + "`"), "documented in docs/configuration.md");
  }
}
