package io.github.bedrockgateway.openai.embeddings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * Settings of {@code POST /v1/embeddings}. The Javadoc of each method is the configuration
 * reference (docs/configuration.md, section "Embeddings"; EmbeddingsConfigDocsTest keeps both in
 * step).
 */
@ConfigMapping(prefix = "gateway.embeddings")
public interface EmbeddingsConfig {

  /**
   * Most inputs accepted in one request (OpenAI's own limit is 2048); more get a 400 naming {@code
   * input}.
   */
  @WithDefault("2048")
  int maxInputs();

  /**
   * InvokeModel calls one request runs at once. Titan embeds one text per call and Cohere up to 96,
   * so a request of many inputs makes many calls; they run this many at a time, and the answer
   * keeps the input order whatever order they finish in.
   */
  @WithDefault("8")
  int maxConcurrentCalls();

  /**
   * Cohere's {@code input_type} when the request names none in its extra body field {@code
   * input_type}: {@code search_document} (embedding a corpus), {@code search_query}, {@code
   * classification} or {@code clustering}. Titan has no input types.
   */
  @WithDefault("search_document")
  @WithConverter(InputType.Setting.class)
  InputType defaultInputType();
}
