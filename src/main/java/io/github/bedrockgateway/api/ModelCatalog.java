package io.github.bedrockgateway.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models the gateway lists, and the alias table that maps client-facing names to Bedrock model
 * or inference profile ids. Names that are not listed pass through unchanged.
 */
public final class ModelCatalog {

    /** One listed model: the name clients use and the Bedrock id it calls. */
    public record Entry(String id, String bedrockModelId, String ownedBy) {
    }

    private static final java.util.Set<String> GEO_PREFIXES =
            java.util.Set.of("us", "eu", "apac", "global", "us-gov", "jp", "au", "ca", "uk");

    private final Map<String, Entry> entries;

    private ModelCatalog(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
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
                throw new IllegalArgumentException("gateway.models.list entry '" + entry
                        + "' must be 'alias=modelId' or a model id");
            }
            entries.put(id, new Entry(id, target, ownerOf(target)));
        }
        return new ModelCatalog(entries);
    }

    /** The Bedrock model id to call for a client-facing name. */
    public String resolve(String name) {
        Entry e = entries.get(name);
        return e == null ? name : e.bedrockModelId();
    }

    public List<Entry> list() {
        return new ArrayList<>(entries.values());
    }

    public Entry find(String id) {
        return entries.get(id);
    }

    /**
     * The provider part of a model id: {@code anthropic} for {@code anthropic.claude-...} and for the
     * inference profile {@code us.anthropic.claude-...}; {@code bedrock} for ARNs and anything else.
     */
    static String ownerOf(String modelId) {
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
