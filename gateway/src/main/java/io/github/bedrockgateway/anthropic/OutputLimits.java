package io.github.bedrockgateway.anthropic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The largest {@code max_tokens} each Claude family takes ({@code
 * gateway.anthropic.max-output-tokens}): {@code FRAGMENT=LIMIT} entries matched in order against
 * the Bedrock model id, the first match winning, so the more specific fragments come first. Pure
 * and immutable.
 */
public final class OutputLimits {

  /** The beta that raises Claude 3.7 Sonnet's limit to 128000. */
  public static final String OUTPUT_128K_BETA = "output-128k-2025-02-19";

  static final int OUTPUT_128K = 128_000;

  /** Anthropic's published output limits per model family. */
  public static final String DEFAULT =
      "claude-opus-4-6=128000,"
          + "claude-opus-4-5=64000,"
          + "claude-opus-4-1=32000,"
          + "claude-opus-4-2025=32000,"
          + "claude-sonnet-4=64000,"
          + "claude-haiku-4=64000,"
          + "claude-3-7-sonnet=64000,"
          + "claude-3-5=8192,"
          + "claude-3=4096";

  private record Entry(String fragment, int limit) {}

  private final List<Entry> entries;

  private OutputLimits(List<Entry> entries) {
    this.entries = entries;
  }

  public static OutputLimits parse(List<String> config) {
    List<Entry> entries = new ArrayList<>();
    for (String raw : config) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      try {
        if (eq <= 0) {
          throw new NumberFormatException();
        }
        int limit = Integer.parseInt(entry.substring(eq + 1).trim());
        if (limit < 1) {
          throw new NumberFormatException();
        }
        entries.add(new Entry(entry.substring(0, eq).trim().toLowerCase(Locale.ROOT), limit));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "gateway.anthropic.max-output-tokens entry '"
                + entry
                + "' must be MODEL_ID_FRAGMENT=LIMIT with a positive LIMIT");
      }
    }
    return new OutputLimits(List.copyOf(entries));
  }

  /**
   * The limit for {@code modelId} given the betas forwarded with the request; empty when none is
   * known.
   */
  public OptionalInt limit(String modelId, List<String> forwardedBetas) {
    String id = modelId.toLowerCase(Locale.ROOT);
    if (id.contains("claude-3-7-sonnet") && forwardedBetas.contains(OUTPUT_128K_BETA)) {
      return OptionalInt.of(OUTPUT_128K);
    }
    for (Entry e : entries) {
      if (id.contains(e.fragment())) {
        return OptionalInt.of(e.limit());
      }
    }
    return OptionalInt.empty();
  }
}
