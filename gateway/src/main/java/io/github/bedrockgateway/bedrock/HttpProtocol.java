package io.github.bedrockgateway.bedrock;

import io.github.bedrockgateway.config.EnumSetting;
import java.util.Locale;
import software.amazon.awssdk.http.Protocol;

/**
 * The HTTP version towards Bedrock ({@code gateway.bedrock.protocol}). Written {@code http1.1} and
 * {@code http2}, which are not Java names, so its converter reads these spellings itself (and the
 * aliases {@code http/1.1}, {@code http1}, {@code h2}, {@code http/2}) instead of SmallRye's enum
 * conversion.
 */
public enum HttpProtocol {
  HTTP1_1("http1.1", Protocol.HTTP1_1),
  HTTP2("http2", Protocol.HTTP2);

  private final String spelling;
  private final Protocol sdk;

  HttpProtocol(String spelling, Protocol sdk) {
    this.spelling = spelling;
    this.sdk = sdk;
  }

  /** The SDK's constant. */
  public Protocol sdk() {
    return sdk;
  }

  /** The value a text names, any case, or null. */
  static HttpProtocol parse(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "http1.1", "http/1.1", "http1" -> HTTP1_1;
      case "http2", "h2", "http/2" -> HTTP2;
      default -> null;
    };
  }

  /** Converts {@code gateway.bedrock.protocol}. */
  public static final class Setting extends EnumSetting<HttpProtocol> {
    private static final long serialVersionUID = 1L;

    public Setting() {
      super(HttpProtocol.class, "gateway.bedrock.protocol");
    }

    @Override
    public HttpProtocol convert(String text) {
      return read(text);
    }

    @Override
    protected String spelling(HttpProtocol value) {
      return value.spelling;
    }

    @Override
    protected HttpProtocol parse(String text) {
      return HttpProtocol.parse(text);
    }
  }
}
