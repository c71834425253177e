package io.github.bedrockgateway.edge;

/** Where a protocol's clients present their gateway key. */
public enum KeySource {
  /** {@code Authorization: Bearer KEY} only (OpenAI SDKs, AWS SDKs with a bearer token). */
  BEARER,
  /** {@code x-api-key: KEY} or {@code Authorization: Bearer KEY} (Anthropic SDKs, Claude Code). */
  X_API_KEY_OR_BEARER
}
