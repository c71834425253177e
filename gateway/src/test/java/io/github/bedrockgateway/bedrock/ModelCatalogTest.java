package io.github.bedrockgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Configured entries and discovered ones: order, shadowing, lookup, resolution. */
class ModelCatalogTest {

  static final ModelCatalog CONFIGURED =
      ModelCatalog.parse(
          List.of(
              "gpt-4o=us.anthropic.claude-sonnet-4-20250514-v1:0",
              "amazon.nova-pro-v1:0=us.amazon.nova-pro-v1:0"));

  static ModelCatalog.Entry discovered(String id) {
    return new ModelCatalog.Entry(id, id, ModelCatalog.ownerOf(id));
  }

  @Test
  void lists_configured_entries_first_and_drops_discovered_ids_that_an_alias_already_uses() {
    ModelCatalog catalog =
        CONFIGURED.withDiscovered(
            () ->
                List.of(
                    discovered("amazon.nova-pro-v1:0"),
                    discovered("us.anthropic.claude-sonnet-4-20250514-v1:0")));
    assertThat(catalog.list())
        .extracting(ModelCatalog.Entry::id)
        .containsExactly(
            "gpt-4o", "amazon.nova-pro-v1:0", "us.anthropic.claude-sonnet-4-20250514-v1:0");
    assertThat(catalog.find("amazon.nova-pro-v1:0").bedrockModelId())
        .isEqualTo("us.amazon.nova-pro-v1:0");
    assertThat(catalog.resolve("amazon.nova-pro-v1:0")).isEqualTo("us.amazon.nova-pro-v1:0");
  }

  @Test
  void finds_discovered_entries_and_reads_the_current_snapshot_on_every_call() {
    List<ModelCatalog.Entry> snapshot = new ArrayList<>();
    ModelCatalog catalog = CONFIGURED.withDiscovered(() -> List.copyOf(snapshot));
    assertThat(catalog.find("global.anthropic.claude-sonnet-4-20250514-v1:0")).isNull();
    snapshot.add(discovered("global.anthropic.claude-sonnet-4-20250514-v1:0"));
    assertThat(catalog.find("global.anthropic.claude-sonnet-4-20250514-v1:0").ownedBy())
        .isEqualTo("anthropic");
    assertThat(catalog.list()).hasSize(3);
    // discovery never changes what a name resolves to: unknown names pass through
    assertThat(catalog.resolve("global.anthropic.claude-sonnet-4-20250514-v1:0"))
        .isEqualTo("global.anthropic.claude-sonnet-4-20250514-v1:0");
  }
}
