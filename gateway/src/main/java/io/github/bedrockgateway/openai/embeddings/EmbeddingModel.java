package io.github.bedrockgateway.openai.embeddings;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Bedrock embedding models {@code POST /v1/embeddings} serves, each with what its InvokeModel
 * body can say: how many texts one call takes and which output sizes it offers. None of them takes
 * token ids, only text.
 */
public enum EmbeddingModel {

  /** Amazon Titan Text Embeddings v2 ({@code amazon.titan-embed-text-v2:0}): one text per call. */
  TITAN_TEXT_V2("Amazon Titan Text Embeddings v2", 1, List.of(256, 512, 1024), 1024),
  /** Cohere Embed v3 English and multilingual: 96 texts per call, always 1024 dimensions. */
  COHERE_V3("Cohere Embed v3", 96, List.of(1024), 1024),
  /** Cohere Embed v4 ({@code cohere.embed-v4:0}): 96 texts per call, 256 to 1536 dimensions. */
  COHERE_V4("Cohere Embed v4", 96, List.of(256, 512, 1024, 1536), 1536);

  /** Geography prefixes of system inference profiles ({@code us.cohere.embed-v4:0}). */
  private static final Set<String> PROFILE_PREFIXES =
      Set.of("us", "eu", "apac", "global", "us-gov", "jp", "au", "ca", "uk");

  /** The base model ids served, for error messages and the docs. */
  static final String SERVED =
      "amazon.titan-embed-text-v2:0, cohere.embed-english-v3, "
          + "cohere.embed-multilingual-v3 and cohere.embed-v4:0";

  private final String displayName;
  private final int textsPerCall;
  private final List<Integer> dimensions;
  private final int defaultDimensions;

  EmbeddingModel(
      String displayName, int textsPerCall, List<Integer> dimensions, int defaultDimensions) {
    this.displayName = displayName;
    this.textsPerCall = textsPerCall;
    this.dimensions = dimensions;
    this.defaultDimensions = defaultDimensions;
  }

  /**
   * The family of a Bedrock model id: a base id ({@code cohere.embed-english-v3}), a system
   * inference profile ({@code us.cohere.embed-v4:0}) or the ARN of either. An application inference
   * profile's ARN does not name its model, so it is not recognised (alias the base id or system
   * profile instead).
   */
  public static Optional<EmbeddingModel> of(String bedrockModelId) {
    String id = bedrockModelId.toLowerCase(Locale.ROOT);
    if (id.startsWith("arn:")) {
      id = id.substring(id.lastIndexOf('/') + 1);
    }
    int dot = id.indexOf('.');
    if (dot > 0 && PROFILE_PREFIXES.contains(id.substring(0, dot))) {
      id = id.substring(dot + 1);
    }
    if (id.startsWith("amazon.titan-embed-text-v2")) {
      return Optional.of(TITAN_TEXT_V2);
    }
    if (id.startsWith("cohere.embed-english-v3") || id.startsWith("cohere.embed-multilingual-v3")) {
      return Optional.of(COHERE_V3);
    }
    if (id.startsWith("cohere.embed-v4")) {
      return Optional.of(COHERE_V4);
    }
    return Optional.empty();
  }

  public String displayName() {
    return displayName;
  }

  /** Most texts one InvokeModel call embeds. */
  public int textsPerCall() {
    return textsPerCall;
  }

  /** The output sizes the model offers, ascending. */
  public List<Integer> dimensions() {
    return dimensions;
  }

  /** The size Bedrock answers with when the request names none. */
  public int defaultDimensions() {
    return defaultDimensions;
  }

  /** Whether the body is Cohere's ({@code texts}, {@code input_type}...) rather than Titan's. */
  public boolean cohere() {
    return this != TITAN_TEXT_V2;
  }
}
