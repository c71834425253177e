package io.github.bedrockgateway.observability;

import io.github.bedrockgateway.config.EnumSetting;

/** How an access-log line is written ({@code gateway.observability.access-log-format}). */
public enum AccessLogFormat {
  /** {@code key=value} pairs. */
  TEXT,
  /** One JSON object per line. */
  JSON;

  /** Converts {@code gateway.observability.access-log-format}. */
  public static final class Setting extends EnumSetting<AccessLogFormat> {
    private static final long serialVersionUID = 1L;

    public Setting() {
      super(AccessLogFormat.class, "gateway.observability.access-log-format");
    }

    @Override
    public AccessLogFormat convert(String text) {
      return read(text);
    }
  }
}
