package io.github.bedrockgateway.openai.embeddings;

/**
 * OpenAI's {@code encoding_format}: vectors as JSON numbers or as base64 of little-endian float32.
 */
public enum EncodingFormat {
  FLOAT,
  BASE64
}
