package io.github.bedrockgateway.bedrock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code anthropic_beta} values Bedrock takes for each Claude model ({@code gateway.anthropic.betas}, the
 * setting the Messages API's route reads too). Bedrock refuses a whole request for one beta it does not know
 * ({@code 400 ValidationException "invalid beta flag"}), and clients (Claude Code first) send betas only the
 * Anthropic API has; so every Claude body the gateway sends to Bedrock keeps the allowed betas and drops the
 * others, never failing a request for them.
 *
 * <p>Entries: {@code BETA} (every Claude model), {@code BETA@FRAGMENT} (the Bedrock model ids containing
 * {@code FRAGMENT}, ignoring case; repeat the entry for several families), {@code CLIENT_BETA=BEDROCK_BETA}
 * (the Anthropic API's name of a feature Bedrock names differently, then checked like any other). Pure and
 * immutable.
 */
public final class BetaAllowList {

    /**
     * What Bedrock documents for Claude (the same list the simulator plays Bedrock with), and the Anthropic
     * API's {@code advanced-tool-use} under Bedrock's name for tool search.
     */
    public static final String DEFAULT = "interleaved-thinking-2025-05-14,"
            + "context-management-2025-06-27,"
            + "effort-2025-11-24,"
            + "tool-search-tool-2025-10-19,"
            + "tool-examples-2025-10-29,"
            + "fine-grained-tool-streaming-2025-05-14,"
            + "dev-full-thinking-2025-05-14,"
            + "computer-use-2025-01-24,"
            + "computer-use-2024-10-22@claude-3-5-sonnet,"
            + "token-efficient-tools-2025-02-19@claude-3-7-sonnet,"
            + "output-128k-2025-02-19@claude-3-7-sonnet,"
            + "context-1m-2025-08-07@claude-sonnet-4,"
            + "context-1m-2025-08-07@claude-opus-4-6,"
            + "advanced-tool-use-2025-11-20=tool-search-tool-2025-10-19";

    private static final String SETTING = "gateway.anthropic.betas";

    /**
     * What one request's betas become.
     *
     * @param forwarded the betas to send, Bedrock's names, once each, in the client's order
     * @param dropped   the client's betas not sent
     */
    public record Filtered(List<String> forwarded, List<String> dropped) {
    }

    /** Beta -> the model-id fragments it is limited to ({@code ""}: every Claude model). */
    private final Map<String, Set<String>> allowed;
    /** Client name -> Bedrock name. */
    private final Map<String, String> renames;

    private BetaAllowList(Map<String, Set<String>> allowed, Map<String, String> renames) {
        this.allowed = allowed;
        this.renames = renames;
    }

    /** The built-in list. */
    public static BetaAllowList defaults() {
        return parse(List.of(DEFAULT.split(",")));
    }

    /** @throws IllegalArgumentException for a malformed entry, naming it and the setting */
    public static BetaAllowList parse(List<String> entries) {
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        Map<String, String> renames = new LinkedHashMap<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq >= 0) {
                String from = entry.substring(0, eq).trim();
                String to = entry.substring(eq + 1).trim();
                if (from.isEmpty() || to.isEmpty() || to.contains("@")) {
                    throw new IllegalArgumentException(SETTING + " entry '" + entry + "' must be CLIENT_BETA=BEDROCK_BETA");
                }
                renames.put(from, to);
                continue;
            }
            int at = entry.indexOf('@');
            String beta = at < 0 ? entry : entry.substring(0, at).trim();
            String fragment = at < 0 ? "" : entry.substring(at + 1).trim().toLowerCase(Locale.ROOT);
            if (beta.isEmpty() || (at >= 0 && fragment.isEmpty())) {
                throw new IllegalArgumentException(SETTING + " entry '" + entry + "' must be BETA or BETA@MODEL_ID_FRAGMENT");
            }
            Set<String> fragments = allowed.computeIfAbsent(beta, b -> new LinkedHashSet<>());
            if (fragment.isEmpty()) {
                // allowed everywhere, whatever family entries say
                fragments.clear();
                fragments.add("");
            } else if (!fragments.contains("")) {
                fragments.add(fragment);
            }
        }
        return new BetaAllowList(allowed, renames);
    }

    /** Whether {@code modelId} (a Bedrock model id, profile id or ARN) is a Claude model. */
    public static boolean isClaude(String modelId) {
        String id = modelId.toLowerCase(Locale.ROOT);
        return id.contains("anthropic.") || id.contains("claude");
    }

    /** Splits a request's betas into those Bedrock takes for {@code modelId} (renamed) and the rest. */
    public Filtered filter(String modelId, List<String> requested) {
        String id = modelId.toLowerCase(Locale.ROOT);
        Set<String> forwarded = new LinkedHashSet<>();
        List<String> dropped = new ArrayList<>();
        for (String beta : requested) {
            String bedrockName = renames.getOrDefault(beta.trim(), beta.trim());
            if (allows(bedrockName, id)) {
                forwarded.add(bedrockName);
            } else {
                dropped.add(beta);
            }
        }
        return new Filtered(List.copyOf(forwarded), List.copyOf(dropped));
    }

    private boolean allows(String beta, String lowerModelId) {
        Set<String> fragments = allowed.get(beta);
        if (fragments == null) {
            return false;
        }
        for (String fragment : fragments) {
            if (fragment.isEmpty() || lowerModelId.contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    /** Every beta the list allows for some model, Bedrock's names. */
    public Set<String> betas() {
        return Set.copyOf(allowed.keySet());
    }
}
