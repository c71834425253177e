package io.github.bedrockgateway.bedrock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The models the gateway lists, and the alias table that maps client-facing names to Bedrock model
 * or inference profile ids. Names that are not listed pass through unchanged. Besides the
 * configured entries, the catalog lists what model discovery last found (see {@code
 * bedrock.ModelDiscovery}); a discovered id never shadows a configured one, and discovery never
 * changes what a name resolves to.
 */
public final class ModelCatalog {

  /** One listed model: the name clients use and the Bedrock id it calls. */
  public record Entry(String id, String bedrockModelId, String ownedBy) {}

  private static final java.util.Set<String> GEO_PREFIXES =
      java.util.Set.of("us", "eu", "apac", "global", "us-gov", "jp", "au", "ca", "uk");

  private final Map<String, Entry> entries;
  private final Supplier<List<Entry>> discovered;

  private ModelCatalog(Map<String, Entry> entries, Supplier<List<Entry>> discovered) {
    this.entries = Collections.unmodifiableMap(entries);
    this.discovered = discovered;
  }

  /**
   * This catalog, also listing the entries {@code source} supplies at the time of each call (a
   * cheap read of a snapshot: it is called on the request path).
   */
  public ModelCatalog withDiscovered(Supplier<List<Entry>> source) {
    return new ModelCatalog(entries, source);
  }

  /** Parses {@code gateway.models.list}: {@code alias=modelId} or bare model ids. */
  public static ModelCatalog parse(List<String> list) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (String raw : list) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      String id = eq > 0 ? entry.substring(0, eq).trim() : entry;
      String target = eq > 0 ? entry.substring(eq + 1).trim() : entry;
      if (id.isEmpty() || target.isEmpty()) {
        throw new IllegalArgumentException(
            "gateway.models.list entry '" + entry + "' must be 'alias=modelId' or a model id");
      }
      entries.put(id, new Entry(id, target, ownerOf(target)));
    }
    return new ModelCatalog(entries, List::of);
  }

  /** The Bedrock model id to call for a client-facing name. */
  public String resolve(String name) {
    Entry e = entries.get(name);
    return e == null ? name : e.bedrockModelId();
  }

  /** The configured entries in configuration order, then the discovered ones they do not shadow. */
  public List<Entry> list() {
    List<Entry> out = new ArrayList<>(entries.values());
    for (Entry e : discovered.get()) {
      if (!entries.containsKey(e.id())) {
        out.add(e);
      }
    }
    return out;
  }

  /** A configured entry, else a discovered one, else null. */
  public Entry find(String id) {
    Entry configured = entries.get(id);
    if (configured != null) {
      return configured;
    }
    for (Entry e : discovered.get()) {
      if (e.id().equals(id)) {
        return e;
      }
    }
    return null;
  }

  /**
   * The provider part of a model id: {@code anthropic} for {@code anthropic.claude-...} and for the
   * inference profile {@code us.anthropic.claude-...}; {@code bedrock} for ARNs and anything else.
   */
  public static String ownerOf(String modelId) {
    if (modelId.startsWith("arn:")) {
      return "bedrock";
    }
    String[] parts = modelId.split("\\.");
    if (parts.length >= 3 && GEO_PREFIXES.contains(parts[0])) {
      return parts[1]; // system inference profiles: us.anthropic.claude-...
    }
    return parts.length >= 2 ? parts[0] : "bedrock";
  }
}
