package io.github.bedrockgateway.bedrock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** The one model catalog every protocol resolves client model names through. */
@ApplicationScoped
public class ModelCatalogProducer {

  @Produces
  @Singleton
  ModelCatalog catalog(ModelsConfig config, ModelDiscovery discovery) {
    return ModelCatalog.parse(config.entries().orElse(List.of())).withDiscovered(discovery::models);
  }
}
