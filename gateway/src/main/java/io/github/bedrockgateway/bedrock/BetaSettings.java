package io.github.bedrockgateway.bedrock;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The {@code anthropic_beta} allow-list applied to every Claude request sent to Bedrock (the
 * {@code /bedrock} pass-through's InvokeModel and CountTokens bodies, and the Messages API's). The
 * built-in table is {@link BetaAllowList}'s, listed in docs/compatibility.md.
 */
@ConfigMapping(prefix = "gateway.anthropic-betas")
public interface BetaSettings {

    /**
     * Drop the betas Bedrock does not take for the model (each dropped beta is logged at DEBUG). With
     * {@code false} every beta is forwarded as the client sent it, and Bedrock answers
     * {@code 400 invalid beta flag} for those it does not know.
     */
    @WithDefault("true")
    boolean filter();

    /**
     * Betas to forward besides the built-in table, comma-separated: {@code beta} for every Claude model, or
     * {@code fragment:beta} for the model ids containing {@code fragment} (e.g.
     * {@code claude-sonnet-4-5:context-1m-2025-08-07}). For betas Bedrock adds before the gateway's table
     * knows them.
     */
    Optional<List<String>> extra();

    /**
     * Betas to drop although the built-in table forwards them, same syntax as {@code extra}, e.g. for a
     * region where Bedrock does not offer a feature yet.
     */
    Optional<List<String>> denied();

    /** The allow-list these settings describe. */
    default BetaAllowList allowList() {
        return BetaAllowList.of(filter(), extra().orElse(List.of()), denied().orElse(List.of()));
    }
}
