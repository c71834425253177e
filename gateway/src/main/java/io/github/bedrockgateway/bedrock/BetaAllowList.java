package io.github.bedrockgateway.bedrock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code anthropic_beta} values Bedrock accepts for each Claude model family. Bedrock refuses a
 * request naming a beta it does not know for the model with {@code 400 ValidationException "invalid beta
 * flag"}, and clients (Claude Code first) send betas meant for Anthropic's own API; so every Claude request
 * the gateway sends to Bedrock keeps only the betas of this list and drops the rest (a client cannot know
 * which betas its provider takes, and a beta is an opt-in to a feature, never a requirement).
 *
 * <p>A family is a fragment of the Bedrock model id ({@code claude-3-7-sonnet}); the first family of the
 * table whose fragment the id contains applies, and a Claude model of no listed family (the 4.x models
 * and later ones) gets {@link #CURRENT}. Operators add betas ({@code gateway.anthropic-betas.extra}) and
 * remove them ({@code gateway.anthropic-betas.denied}), for every Claude model ({@code beta}) or for the
 * ids containing a fragment ({@code fragment:beta}); see docs/configuration.md. Pure and immutable.
 */
public final class BetaAllowList {

    /** What Bedrock documents for Claude 4 and later (Opus, Sonnet, Haiku 4.x): the default for any Claude model. */
    public static final List<String> CURRENT = List.of(
            "interleaved-thinking-2025-05-14",
            "context-1m-2025-08-07",
            "context-management-2025-06-27",
            "tool-search-tool-2025-10-19",
            "tool-examples-2025-10-29",
            "effort-2025-11-24",
            "fine-grained-tool-streaming-2025-05-14",
            "token-efficient-tools-2025-02-19",
            "computer-use-2025-01-24",
            "dev-full-thinking-2025-05-14");

    /** Older families whose betas differ from {@link #CURRENT}, most specific first. */
    static final Map<String, List<String>> FAMILIES = families();

    private static Map<String, List<String>> families() {
        Map<String, List<String>> table = new LinkedHashMap<>();
        table.put("claude-3-7-sonnet", List.of("computer-use-2025-01-24", "token-efficient-tools-2025-02-19",
                "output-128k-2025-02-19"));
        table.put("claude-3-5-sonnet", List.of("computer-use-2024-10-22"));
        // Claude 3 Haiku / Opus / Sonnet, 3.5 Haiku, Claude 2 and Instant take no beta
        table.put("claude-3", List.of());
        table.put("claude-v2", List.of());
        table.put("claude-instant", List.of());
        return table;
    }

    /** The betas kept and those dropped, each in the client's order. */
    public record Filtered(List<String> kept, List<String> dropped) {

        /** Whether anything was dropped (the body then needs rewriting). */
        public boolean changed() {
            return !dropped.isEmpty();
        }
    }

    private final boolean enabled;
    private final List<Rule> extra;
    private final List<Rule> denied;

    /** A beta for the model ids containing {@code fragment} (every Claude model when it is empty). */
    private record Rule(String fragment, String beta) {

        boolean appliesTo(String modelId) {
            return fragment.isEmpty() || modelId.contains(fragment);
        }
    }

    private BetaAllowList(boolean enabled, List<Rule> extra, List<Rule> denied) {
        this.enabled = enabled;
        this.extra = extra;
        this.denied = denied;
    }

    /** The built-in table, filtering on. */
    public static BetaAllowList defaults() {
        return new BetaAllowList(true, List.of(), List.of());
    }

    /**
     * The built-in table with the operator's changes.
     *
     * @param enabled whether to filter at all ({@code false}: every beta passes as sent)
     * @param extra   entries {@code beta} or {@code fragment:beta} to allow besides the table
     * @param denied  entries {@code beta} or {@code fragment:beta} to drop although the table allows them
     * @throws IllegalArgumentException for an empty entry, naming the setting
     */
    public static BetaAllowList of(boolean enabled, List<String> extra, List<String> denied) {
        return new BetaAllowList(enabled, rules(extra, "gateway.anthropic-betas.extra"),
                rules(denied, "gateway.anthropic-betas.denied"));
    }

    private static List<Rule> rules(List<String> entries, String setting) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.trim();
            // a beta never contains ':'; a model-id fragment may ('...-v1:0'), so the beta follows the last one
            int colon = entry.lastIndexOf(':');
            String fragment = colon < 0 ? "" : entry.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String beta = entry.substring(colon + 1).trim();
            if (beta.isEmpty()) {
                throw new IllegalArgumentException(setting + " entry '" + raw
                        + "' names no beta: use 'beta' or 'model-id-fragment:beta'");
            }
            rules.add(new Rule(fragment, beta));
        }
        return List.copyOf(rules);
    }

    /** Whether {@code modelId} (a Bedrock model id, profile id or ARN) is a Claude model. */
    public static boolean isClaude(String modelId) {
        String id = modelId.toLowerCase(Locale.ROOT);
        return id.contains("anthropic.") || id.contains("claude");
    }

    /** The betas Bedrock takes for {@code modelId}, in table order. */
    public Set<String> allowed(String modelId) {
        String id = modelId.toLowerCase(Locale.ROOT);
        Set<String> allowed = new LinkedHashSet<>(CURRENT);
        for (Map.Entry<String, List<String>> family : FAMILIES.entrySet()) {
            if (id.contains(family.getKey())) {
                allowed = new LinkedHashSet<>(family.getValue());
                break;
            }
        }
        for (Rule rule : extra) {
            if (rule.appliesTo(id)) {
                allowed.add(rule.beta());
            }
        }
        for (Rule rule : denied) {
            if (rule.appliesTo(id)) {
                allowed.remove(rule.beta());
            }
        }
        return allowed;
    }

    /**
     * Splits the client's betas for {@code modelId} into those Bedrock takes and those to drop. A repeated
     * beta is kept once. Filtering off: everything is kept.
     */
    public Filtered filter(String modelId, List<String> requested) {
        if (!enabled) {
            return new Filtered(List.copyOf(requested), List.of());
        }
        Set<String> allowed = allowed(modelId);
        Set<String> kept = new LinkedHashSet<>();
        List<String> dropped = new ArrayList<>();
        for (String beta : requested) {
            String b = beta.trim();
            if (allowed.contains(b)) {
                if (!kept.add(b)) {
                    dropped.add(beta);
                }
            } else {
                dropped.add(beta);
            }
        }
        return new Filtered(List.copyOf(kept), List.copyOf(dropped));
    }
}
