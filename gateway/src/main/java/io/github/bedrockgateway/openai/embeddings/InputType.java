package io.github.bedrockgateway.openai.embeddings;

import io.github.bedrockgateway.config.EnumSetting;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Cohere's {@code input_type}: what the texts are for. Cohere embeds a corpus with {@code
 * search_document} and the queries against it with {@code search_query}; the two give different
 * vectors. OpenAI has no such field, so a client names it with the extra body field {@code
 * input_type}.
 */
public enum InputType {
  SEARCH_DOCUMENT("search_document"),
  SEARCH_QUERY("search_query"),
  CLASSIFICATION("classification"),
  CLUSTERING("clustering");

  private final String wire;

  InputType(String wire) {
    this.wire = wire;
  }

  /** The value in Cohere's body. */
  public String wire() {
    return wire;
  }

  /** The type a body value names, or empty. */
  public static Optional<InputType> fromWire(String value) {
    return Arrays.stream(values()).filter(t -> t.wire.equals(value)).findFirst();
  }

  /**
   * Converts {@code gateway.embeddings.default-input-type}: SmallRye's enum conversion ({@code
   * search_document}, {@code search-document}, any case), a typo stops startup naming the values.
   */
  public static final class Setting extends EnumSetting<InputType> {
    private static final long serialVersionUID = 1L;

    public Setting() {
      super(InputType.class, "gateway.embeddings.default-input-type");
    }

    @Override
    protected String spelling(InputType value) {
      return value.wire();
    }

    @Override
    public InputType convert(String text) {
      return read(text);
    }
  }

  /** {@code search_document, search_query, ...} for error messages. */
  static String allowed() {
    return Arrays.stream(values()).map(InputType::wire).collect(Collectors.joining(", "));
  }
}
