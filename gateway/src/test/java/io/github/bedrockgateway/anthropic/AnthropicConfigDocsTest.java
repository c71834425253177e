package io.github.bedrockgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.bedrock.BetaSettings;
import io.github.bedrockgateway.bedrock.ClaudeBetas;
import io.github.bedrockgateway.testing.RepoFiles;
import io.smallrye.config.ConfigMapping;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md names every gateway.anthropic setting, and the beta table matches the
 * default.
 */
class AnthropicConfigDocsTest {

  @Test
  void every_anthropic_setting_is_documented() throws Exception {
    String docs = Files.readString(RepoFiles.file("docs/configuration.md"));
    List<String> names = new java.util.ArrayList<>();
    // gateway.anthropic.* is read by the Messages API's settings and by the beta allow-list that
    // the
    // Messages API and the pass-through share
    for (Class<?> mapping : List.of(AnthropicConfig.class, BetaSettings.class)) {
      String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
      Arrays.stream(mapping.getDeclaredMethods())
          .filter(m -> !m.isDefault() && m.getParameterCount() == 0)
          .map(Method::getName)
          .map(
              n ->
                  prefix
                      + "."
                      + n.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT))
          .forEach(names::add);
    }
    assertThat(names)
        .contains(
            "gateway.anthropic.betas",
            "gateway.anthropic.max-output-tokens",
            "gateway.anthropic.ping-interval");
    assertThat(names.stream().filter(n -> !docs.contains("`" + n + "`")).toList())
        .as("settings missing from docs/configuration.md")
        .isEmpty();
  }

  @Test
  void every_default_beta_is_in_the_documented_table() throws Exception {
    String docs = Files.readString(RepoFiles.file("docs/configuration.md"));
    for (String entry : ClaudeBetas.DEFAULT.split(",")) {
      String beta = entry.split("[@=]")[0];
      assertThat(docs).as("beta %s in docs/configuration.md", beta).contains("`" + beta + "`");
    }
  }
}
