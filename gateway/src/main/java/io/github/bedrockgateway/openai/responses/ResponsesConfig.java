package io.github.bedrockgateway.openai.responses;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of the OpenAI Responses API ({@code POST /v1/responses}). The Javadoc of each method is
 * the configuration reference (docs/configuration.md, "Responses API"; ResponsesConfigDocsTest
 * keeps them in step).
 */
@ConfigMapping(prefix = "gateway.responses")
public interface ResponsesConfig {

  /**
   * The in-memory response store behind {@code previous_response_id} and {@code GET
   * /v1/responses/{id}}. It is local to one gateway process: see docs/codex.md for several
   * replicas.
   */
  Store store();

  interface Store {
    /**
     * Most responses kept; beyond it the oldest is dropped. {@code 0} stores nothing: every {@code
     * previous_response_id} is then refused, and clients must send the whole conversation ({@code
     * store: false}, as Codex CLI does).
     */
    @WithDefault("1000")
    int maxEntries();

    /** How long a stored response stays retrievable after it was created. */
    @WithDefault("1h")
    Duration ttl();

    /**
     * Most bytes kept (the JSON of the stored responses and of the conversations they continue);
     * beyond it the oldest responses are dropped. Bounds the store's memory whatever the request
     * sizes.
     */
    @WithDefault("67108864")
    long maxBytes();
  }
}
