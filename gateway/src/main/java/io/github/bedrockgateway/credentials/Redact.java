package io.github.bedrockgateway.credentials;

import java.util.regex.Pattern;

/**
 * Keeps secrets out of logs, health data and error messages. Messages are built from our own text
 * plus exception messages of the SDK and the JDK; the latter never carry a secret key on purpose,
 * but a {@code credential_process} failure or a rejected token can echo one, so every message that
 * leaves this package goes through {@link #text(String)}.
 */
public final class Redact {

  /**
   * AWS access key ids: 4-letter prefix (AKIA, ASIA, AROA...) then upper-case letters and digits.
   */
  private static final Pattern ACCESS_KEY_ID =
      Pattern.compile("\\b((?:AKIA|ASIA|AROA|AIDA|ABIA|ACCA)[A-Z0-9]{12,})\\b");

  /** Bedrock API keys: short-term (a base64 presigned URL) and long-term. */
  private static final Pattern BEDROCK_API_KEY =
      Pattern.compile("(?:bedrock-api-key-|ABSK)[A-Za-z0-9+/=_-]{8,}");

  /** JWTs (web identity tokens, EKS service-account tokens). */
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}(?:\\.[A-Za-z0-9_-]*)?");

  /** Secret access keys (40 base64 characters) and session tokens (hundreds). */
  private static final Pattern LONG_BASE64 =
      Pattern.compile("(?<![A-Za-z0-9+/=])[A-Za-z0-9+/=]{40,}(?![A-Za-z0-9+/=])");

  private Redact() {}

  /**
   * An access key id shortened to its first and last four characters, {@code AKIA…MPLE}: enough to
   * tell keys apart in a log, never the whole id.
   */
  public static String accessKeyId(String accessKeyId) {
    if (accessKeyId == null || accessKeyId.isEmpty()) {
      return "none";
    }
    if (accessKeyId.length() <= 8) {
      return accessKeyId.charAt(0) + "…";
    }
    return accessKeyId.substring(0, 4) + "…" + accessKeyId.substring(accessKeyId.length() - 4);
  }

  /** The text with tokens, secret-looking strings and full access key ids masked. */
  public static String text(String text) {
    if (text == null) {
      return "";
    }
    String out = BEDROCK_API_KEY.matcher(text).replaceAll("[redacted Bedrock API key]");
    out = JWT.matcher(out).replaceAll("[redacted token]");
    out = LONG_BASE64.matcher(out).replaceAll("[redacted]");
    return ACCESS_KEY_ID
        .matcher(out)
        .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(accessKeyId(m.group(1))));
  }

  /**
   * One line describing a failure: the innermost informative cause as {@code SimpleName: message},
   * redacted. For {@code NoSuchFileException}-style exceptions whose message is only a path, the
   * class name says what went wrong.
   */
  public static String cause(Throwable error) {
    String outer = describe(error);
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != error) {
      String rootMessage = root.getMessage();
      if (rootMessage == null || !outer.contains(oneLine(rootMessage))) {
        outer = outer + " (" + describe(root) + ")";
      }
    }
    return text(outer);
  }

  private static String describe(Throwable t) {
    String name = t.getClass().getSimpleName();
    String message = t.getMessage();
    return message == null || message.isBlank() ? name : name + ": " + oneLine(message);
  }

  static String oneLine(String message) {
    String flat = message.replaceAll("\\s*\\R\\s*", " ").trim();
    return flat.length() > 1200 ? flat.substring(0, 1200) + "…" : flat;
  }
}
