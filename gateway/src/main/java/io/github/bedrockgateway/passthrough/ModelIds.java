package io.github.bedrockgateway.passthrough;

import io.github.bedrockgateway.bedrock.ModelCatalog;
import java.util.List;

/**
 * The model ids of the pass-through: a client's id (the path's {@code {modelId}}) to the Bedrock id
 * called, and the ids the control-plane lists offer.
 *
 * <p>Today only the model catalog ({@code GATEWAY_MODELS_LIST} aliases) is consulted. The seam for
 * the built-in Claude name mapping ({@code bedrock.ClaudeModelNames}, being added on the {@code
 * anthropic} branch, which turns Claude Code's {@code us.anthropic.claude-opus-5-5} or {@code
 * claude-sonnet-4-5} into the Bedrock id or inference profile of the region) is {@link #claudeName}
 * and {@link #builtInClaudeEntries}: when that class lands, both delegate to it.
 */
final class ModelIds {

  private final ModelCatalog catalog;

  ModelIds(ModelCatalog catalog) {
    this.catalog = catalog;
  }

  /** The Bedrock model id (or inference profile id, or ARN) to call for the client's id. */
  String resolve(String clientId) {
    String listed = catalog.resolve(clientId);
    return listed.equals(clientId) ? claudeName(clientId) : listed;
  }

  /**
   * The bounded metrics label of a client's id: itself when the catalog lists it, else {@code
   * unlisted}.
   */
  String label(String clientId) {
    return catalog.find(clientId) != null ? clientId : "unlisted";
  }

  /**
   * What the control-plane lists are made of: the catalog, then the built-in Claude ids it does not
   * have.
   */
  List<ModelCatalog.Entry> entries() {
    List<ModelCatalog.Entry> builtIn = builtInClaudeEntries();
    if (builtIn.isEmpty()) {
      return catalog.list();
    }
    List<ModelCatalog.Entry> all = new java.util.ArrayList<>(catalog.list());
    all.addAll(builtIn);
    return all;
  }

  /**
   * SEAM (ClaudeModelNames): a Claude name the catalog does not list, as Bedrock knows it. Identity
   * for now.
   */
  static String claudeName(String id) {
    return id;
  }

  /**
   * SEAM (ClaudeModelNames): the region's Claude inference profiles a default Claude Code install
   * asks for.
   */
  static List<ModelCatalog.Entry> builtInClaudeEntries() {
    return List.of();
  }
}
