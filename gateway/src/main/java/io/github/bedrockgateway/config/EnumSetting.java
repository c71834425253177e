package io.github.bedrockgateway.config;

import io.smallrye.config.Converters;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Converter of a setting that takes one of a closed set of values, an enum: SmallRye's own enum
 * conversion (the constant's name, case-insensitive, with {@code -} and {@code _} alike: {@code
 * enabled_full}, {@code enabled-full} and {@code ENABLED_FULL} are one value), and for any other
 * text one sentence naming the setting, the value and the accepted values ({@link
 * InvalidSettingException}) instead of SmallRye's message about a Java enum class. A subclass per
 * setting names it and is the {@code @WithConverter} of the mapping method; it overrides {@link
 * #convert} with its enum as the return type, since SmallRye checks the converter's return type
 * against the property's: {@code public MyEnum convert(String text) { return read(text); }}.
 *
 * @param <E> the enum
 */
public abstract class EnumSetting<E extends Enum<E>> implements Converter<E> {

  private static final long serialVersionUID = 1L;

  private final Class<E> type;
  private final String property;
  private final transient Converter<E> smallRye;

  /**
   * @param type the enum
   * @param property the setting, for the message
   */
  protected EnumSetting(Class<E> type, String property) {
    this.type = type;
    this.property = property;
    this.smallRye = Converters.getImplicitConverter(type);
  }

  /**
   * How the docs write a value: by default its name in lower case ({@code ENABLED_FULL} -> {@code
   * enabled_full}).
   */
  protected String spelling(E value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The value a text names, or null: SmallRye's enum conversion unless a subclass accepts other
   * spellings.
   */
  protected E parse(String text) {
    try {
      return smallRye.convert(text);
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }

  /** The value, null when blank (unset), or @throws InvalidSettingException. */
  protected final E read(String text) {
    if (text.isBlank()) {
      return null; // empty: unset, as with SmallRye's converters (the default, or Optional.empty())
    }
    E value = parse(text);
    if (value == null) {
      List<String> accepted = Arrays.stream(type.getEnumConstants()).map(this::spelling).toList();
      throw new InvalidSettingException(property, text.strip(), "set it to " + oneOf(accepted));
    }
    return value;
  }

  /** {@code a}, {@code a or b}, {@code a, b or c}. */
  static String oneOf(List<String> values) {
    int last = values.size() - 1;
    return last == 0
        ? values.get(0)
        : String.join(", ", values.subList(0, last)) + " or " + values.get(last);
  }
}
