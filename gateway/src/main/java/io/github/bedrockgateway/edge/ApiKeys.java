package io.github.bedrockgateway.edge;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The client API keys the gateway accepts. Only SHA-256 digests are kept in memory, and a presented
 * key is checked against every configured digest with {@link MessageDigest#isEqual} and no early
 * exit, so the time taken tells nothing about which key, or how much of one, matched.
 */
public final class ApiKeys {

  /** A configured key: its name (for logs and metrics, never the key) and its SHA-256 digest. */
  public record Key(String name, byte[] sha256) {}

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

  private final List<Key> keys;

  private ApiKeys(List<Key> keys) {
    this.keys = List.copyOf(keys);
  }

  /**
   * Parses {@code gateway.api-keys} entries: {@code KEY}, {@code sha256:<hex>}, {@code name=KEY} or
   * {@code name=sha256:<hex>}. Unnamed keys are called {@code key-1}, {@code key-2}... in order.
   * Messages never quote a key.
   */
  public static ApiKeys parse(List<String> entries) {
    List<Key> keys = new ArrayList<>();
    int i = 0;
    for (String raw : entries) {
      i++;
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      String name = "key-" + i;
      int eq = entry.indexOf('=');
      if (eq > 0
          && eq < entry.length() - 1
          && NAME.matcher(entry.substring(0, eq)).matches()
          && entry.charAt(eq + 1) != '=') {
        name = entry.substring(0, eq);
        entry = entry.substring(eq + 1);
      }
      byte[] digest;
      if (entry.regionMatches(true, 0, "sha256:", 0, 7)) {
        String hex = entry.substring(7);
        if (!HEX64.matcher(hex).matches()) {
          throw new ConfigurationException(
              "gateway.api-keys (GATEWAY_API_KEYS) entry "
                  + i
                  + " ('"
                  + name
                  + "') starts with sha256: but "
                  + digestProblem(hex)
                  + ". The digest of a key is printed by: printf %s \"$KEY\" | sha256sum | cut -d' ' -f1",
              Set.of("gateway.api-keys"));
        }
        digest = HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
      } else {
        digest = sha256(entry);
      }
      keys.add(new Key(name, digest));
    }
    return new ApiKeys(keys);
  }

  /** What is wrong with the text after {@code sha256:}, in terms of the usual paste mistakes. */
  static String digestProblem(String hex) {
    String trimmed = hex.strip();
    if (trimmed.endsWith("-")
        && HEX64.matcher(trimmed.substring(0, trimmed.length() - 1).strip()).matches()) {
      return "ends with the ' -' that sha256sum prints after the digest: drop the trailing ' -'";
    }
    if (HEX64.matcher(trimmed).matches()) {
      return "the digest has spaces around it: remove them";
    }
    if (hex.isEmpty()) {
      return "no digest follows: write the key's 64 hexadecimal digits after sha256:";
    }
    int hexDigits = (int) hex.chars().filter(c -> Character.digit(c, 16) >= 0).count();
    if (hexDigits == hex.length()) {
      return "is followed by "
          + hex.length()
          + " hexadecimal digits, not 64 (a SHA-256 digest has 64)";
    }
    return "is not followed by 64 hexadecimal digits (only 0-9 and a-f)";
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** The key matching a presented secret, checked in constant time against every configured key. */
  public Optional<Key> match(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = sha256(presented);
    Key found = null;
    for (Key k : keys) {
      if (MessageDigest.isEqual(digest, k.sha256()) && found == null) {
        found = k;
      }
    }
    return Optional.ofNullable(found);
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
