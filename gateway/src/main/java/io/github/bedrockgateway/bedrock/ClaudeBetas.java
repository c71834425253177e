package io.github.bedrockgateway.bedrock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The allow-list of {@code anthropic-beta} values forwarded to Bedrock ({@code
 * gateway.anthropic.betas}): which betas a Claude model on Bedrock takes, and the Anthropic API's
 * names Bedrock spells differently. Pure and immutable. Here beside {@link ClaudeModelNames}
 * because every route that sends Claude an Anthropic body (the Messages API, the Bedrock
 * pass-through) must filter the same way.
 */
public final class ClaudeBetas {

  /**
   * The betas Bedrock documents for Claude, with the model families they are limited to, and the
   * Anthropic API's {@code advanced-tool-use} under Bedrock's name for tool search (what Claude
   * Code's {@code defer_loading} tools need there).
   */
  public static final String DEFAULT =
      "interleaved-thinking-2025-05-14,"
          + "context-management-2025-06-27,"
          + "effort-2025-11-24,"
          + "tool-search-tool-2025-10-19,"
          + "tool-examples-2025-10-29,"
          + "fine-grained-tool-streaming-2025-05-14,"
          + "dev-full-thinking-2025-05-14,"
          + "computer-use-2025-01-24,"
          + "computer-use-2024-10-22@claude-3-5-sonnet,"
          + "token-efficient-tools-2025-02-19@claude-3-7-sonnet,"
          + "output-128k-2025-02-19@claude-3-7-sonnet,"
          + "context-1m-2025-08-07@claude-sonnet-4,"
          + "context-1m-2025-08-07@claude-opus-4-6,"
          + "advanced-tool-use-2025-11-20=tool-search-tool-2025-10-19";

  /**
   * ClaudeBetas by name -> the model-id fragments they are limited to (an empty set: every Claude
   * model).
   */
  private final Map<String, Set<String>> allowed;

  /** Anthropic API name -> Bedrock name. */
  private final Map<String, String> renames;

  private ClaudeBetas(Map<String, Set<String>> allowed, Map<String, String> renames) {
    this.allowed = allowed;
    this.renames = renames;
  }

  /** What one request's betas become: those forwarded (in order, once each) and those dropped. */
  public record Filtered(List<String> forwarded, List<String> dropped) {}

  /**
   * Parses the configured entries ({@code BETA}, {@code BETA@FRAGMENT}, {@code CLIENT=BEDROCK}).
   */
  public static ClaudeBetas parse(List<String> entries) {
    Map<String, Set<String>> allowed = new LinkedHashMap<>();
    Map<String, String> renames = new LinkedHashMap<>();
    for (String raw : entries) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq >= 0) {
        String from = entry.substring(0, eq).trim();
        String to = entry.substring(eq + 1).trim();
        if (from.isEmpty() || to.isEmpty() || to.contains("@")) {
          throw new IllegalArgumentException(
              "gateway.anthropic.betas entry '" + entry + "' must be CLIENT_BETA=BEDROCK_BETA");
        }
        renames.put(from, to);
        continue;
      }
      int at = entry.indexOf('@');
      String beta = at >= 0 ? entry.substring(0, at).trim() : entry;
      String fragment = at >= 0 ? entry.substring(at + 1).trim().toLowerCase(Locale.ROOT) : "";
      if (beta.isEmpty() || at >= 0 && fragment.isEmpty()) {
        throw new IllegalArgumentException(
            "gateway.anthropic.betas entry '" + entry + "' must be BETA or BETA@MODEL_ID_FRAGMENT");
      }
      Set<String> fragments = allowed.computeIfAbsent(beta, b -> new LinkedHashSet<>());
      if (at < 0) {
        fragments.clear();
        fragments.add(""); // everywhere, whatever else is listed
      } else if (!fragments.contains("")) {
        fragments.add(fragment);
      }
    }
    return new ClaudeBetas(allowed, renames);
  }

  /**
   * The values of the {@code anthropic-beta} header(s): comma-separated, possibly repeated, blanks
   * and duplicates removed, order kept.
   */
  public static List<String> requested(List<String> headerValues) {
    Set<String> out = new LinkedHashSet<>();
    for (String value : headerValues) {
      for (String beta : value.split(",")) {
        if (!beta.isBlank()) {
          out.add(beta.trim());
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * Splits a request's betas into those Bedrock takes for {@code modelId} (renamed) and the rest.
   */
  public Filtered filter(String modelId, List<String> requested) {
    String id = modelId.toLowerCase(Locale.ROOT);
    Set<String> forwarded = new LinkedHashSet<>();
    List<String> dropped = new ArrayList<>();
    for (String beta : requested) {
      String bedrockName = renames.getOrDefault(beta, beta);
      if (allows(bedrockName, id)) {
        forwarded.add(bedrockName);
      } else {
        dropped.add(beta);
      }
    }
    return new Filtered(List.copyOf(forwarded), List.copyOf(dropped));
  }

  private boolean allows(String beta, String lowerModelId) {
    Set<String> fragments = allowed.get(beta);
    if (fragments == null) {
      return false;
    }
    for (String fragment : fragments) {
      if (fragment.isEmpty() || lowerModelId.contains(fragment)) {
        return true;
      }
    }
    return false;
  }

  /** The built-in list. */
  public static ClaudeBetas defaults() {
    return parse(List.of(DEFAULT.split(",")));
  }

  /** Whether {@code modelId} (a Bedrock model id, profile id or ARN) is a Claude model. */
  public static boolean isClaude(String modelId) {
    String id = modelId.toLowerCase(java.util.Locale.ROOT);
    return id.contains("anthropic.") || id.contains("claude");
  }

  /** Every beta the list allows for some model, Bedrock's names. */
  public Set<String> betas() {
    return Set.copyOf(allowed.keySet());
  }
}
