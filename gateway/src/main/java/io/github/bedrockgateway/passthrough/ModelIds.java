package io.github.bedrockgateway.passthrough;

import io.github.bedrockgateway.bedrock.ClaudeModelNames;
import io.github.bedrockgateway.bedrock.ModelCatalog;
import java.util.List;

/**
 * The model ids of the pass-through: a client's id (the path's {@code {modelId}}) to the Bedrock id
 * called, and the ids the control-plane lists offer.
 *
 * <p>An id resolves through the model catalog first ({@code GATEWAY_MODELS_LIST} aliases), then
 * through the built-in Claude names ({@link ClaudeModelNames}, as {@code /v1/messages} does), so
 * that what Claude Code sends in Bedrock mode works without an alias: an unversioned profile id
 * ({@code us.anthropic.claude-opus-4-1}) is completed for the region, an Anthropic name ({@code
 * claude-sonnet-4-5}) becomes the region's inference profile. Versioned ids, ARNs and other
 * providers' models go as they are.
 *
 * <p>The control-plane lists show the catalog only: they tell a client what this gateway serves.
 * Claude Code falls back to its own built-in ids for a model it does not find there, and those
 * resolve as above.
 */
final class ModelIds {

  private final ModelCatalog catalog;
  private final String region;

  ModelIds(ModelCatalog catalog, String region) {
    this.catalog = catalog;
    this.region = region;
  }

  /** The Bedrock model id (or inference profile id, or ARN) to call for the client's id. */
  String resolve(String clientId) {
    String listed = catalog.resolve(clientId);
    if (!listed.equals(clientId)) {
      return listed;
    }
    return ClaudeModelNames.resolve(clientId, region).orElse(clientId);
  }

  /**
   * The bounded metrics label of a client's id: itself when the catalog lists it, else {@code
   * unlisted}.
   */
  String label(String clientId) {
    return catalog.find(clientId) != null ? clientId : "unlisted";
  }

  /** What the control-plane lists are made of. */
  List<ModelCatalog.Entry> entries() {
    return catalog.list();
  }
}
