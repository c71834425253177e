package io.github.bedrockgateway.passthrough;

/**
 * The Bedrock Runtime operations the pass-through forwards: {@code POST
 * /bedrock/model/{modelId}/<path>}.
 */
enum Operation {
  CONVERSE("converse", false, Attribution.BODY),
  CONVERSE_STREAM("converse-stream", true, Attribution.BODY),
  INVOKE("invoke", false, Attribution.HEADER),
  INVOKE_STREAM("invoke-with-response-stream", true, Attribution.HEADER),
  COUNT_TOKENS("count-tokens", false, Attribution.NONE);

  /** Where an operation carries {@code requestMetadata}. */
  enum Attribution {
    /** Converse: the {@code requestMetadata} member of the JSON body. */
    BODY,
    /** InvokeModel: the {@code X-Amzn-Bedrock-Request-Metadata} header (a JSON object). */
    HEADER,
    /** CountTokens takes none (it bills nothing). */
    NONE
  }

  /** The last path segment, as in Bedrock's own paths. */
  final String path;

  /** Whether the answer is an {@code application/vnd.amazon.eventstream} stream. */
  final boolean streaming;

  final Attribution attribution;

  Operation(String path, boolean streaming, Attribution attribution) {
    this.path = path;
    this.streaming = streaming;
    this.attribution = attribution;
  }

  /**
   * The access log's protocol label: {@code bedrock.converse}, {@code
   * bedrock.invoke-with-response-stream}...
   */
  String protocol() {
    return "bedrock." + path;
  }

  /** Whether this is Converse or ConverseStream (the body is Bedrock's Converse JSON). */
  boolean converse() {
    return this == CONVERSE || this == CONVERSE_STREAM;
  }

  /** Whether this is InvokeModel or InvokeModelWithResponseStream (the body is the model's own). */
  boolean invoke() {
    return this == INVOKE || this == INVOKE_STREAM;
  }

  /** The operation of a path segment, or null. */
  static Operation of(String path) {
    for (Operation o : values()) {
      if (o.path.equals(path)) {
        return o;
      }
    }
    return null;
  }
}
