package io.github.bedrockgateway.openai.embeddings;

import java.util.List;

/**
 * One {@code POST /v1/embeddings} request, parsed and checked once.
 *
 * @param clientModel the model name as the client sent it, echoed in the answer
 * @param bedrockModelId what the catalog resolved it to
 * @param model the embedding model family that id belongs to
 * @param texts the inputs, in the client's order (never empty)
 * @param dimensions the output size asked for, null for the model's default
 * @param encoding how the vectors are written back
 * @param inputType Cohere's {@code input_type} (the request's, else the configured default)
 * @param truncate Cohere's {@code truncate} ({@code NONE}, {@code START}, {@code END}), null when
 *     not asked for (Bedrock's default, {@code NONE}: too long a text is an error)
 */
public record EmbeddingsRequest(
    String clientModel,
    String bedrockModelId,
    EmbeddingModel model,
    List<String> texts,
    Integer dimensions,
    EncodingFormat encoding,
    InputType inputType,
    String truncate) {

  public EmbeddingsRequest {
    texts = List.copyOf(texts);
  }
}
