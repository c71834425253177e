package io.github.bedrockgateway.bedrock;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Anthropic model names ({@code claude-sonnet-4-5-20250929}, {@code claude-sonnet-4-5}, {@code
 * claude-opus-4-1}, {@code claude-opus-5-5}) and unversioned Claude ids ({@code
 * us.anthropic.claude-opus-4-1}) -> the Bedrock model id or inference profile to call in a region,
 * so that a client built for the Anthropic API (Claude Code, the Anthropic SDKs) works without an
 * alias for every model. Pure: no I/O, no configuration; callers try the model catalog's aliases
 * first and only then this mapping (docs/configuration.md, "Claude model names").
 *
 * <p>The rules, in order:
 *
 * <ol>
 *   <li>a name in the table below (dated names and their aliases) -> its Bedrock base id;
 *   <li>another {@code claude-...} name ending in a date ({@code -YYYYMMDD}) -> {@code
 *       anthropic.NAME-v1:0};
 *   <li>another {@code claude-...} name -> {@code anthropic.NAME}: from Claude Opus 4.6 on,
 *       Bedrock's Claude ids carry no date or version suffix ({@code anthropic.claude-opus-4-6-v1},
 *       {@code anthropic.claude-sonnet-4-6}), so a model newer than this table still resolves;
 *   <li>the base id then gets the inference-profile prefix of the region's geography ({@code us.},
 *       {@code us-gov.}, {@code eu.}, {@code apac.}), because Claude 4 and later are only invocable
 *       on demand through a profile; in a region outside those geographies, {@code global.} for
 *       models that have a global profile, else the base id.
 * </ol>
 *
 * A Bedrock-shaped id without a version ({@code anthropic.claude-sonnet-4-5}, {@code
 * eu.anthropic.claude-opus-4-1}) is completed the same way and keeps the prefix it was given (none,
 * or its own geography). Anything else (ids with a version such as {@code ...-v1:0}, ARNs, other
 * providers' models, unknown names) is not this class's: {@link #resolve} answers empty and the
 * caller passes the name on unchanged.
 */
public final class ClaudeModelNames {

  /**
   * One Claude model: its Bedrock base id, and whether Bedrock offers a {@code global.} profile for
   * it.
   */
  record Model(String baseId, boolean global) {}

  private static final Map<String, Model> TABLE = new LinkedHashMap<>();
  private static final Pattern CLAUDE_NAME = Pattern.compile("claude-[a-z0-9]+(-[a-z0-9]+)*");
  private static final Pattern DATED = Pattern.compile(".*-\\d{8}");
  private static final Pattern PROFILE_PREFIX =
      Pattern.compile("(us|us-gov|eu|apac|global|jp|au|ca|uk)\\.");

  static {
    model(
        "anthropic.claude-3-haiku-20240307-v1:0",
        false,
        "claude-3-haiku-20240307",
        "claude-3-haiku");
    model(
        "anthropic.claude-3-opus-20240229-v1:0",
        false,
        "claude-3-opus-20240229",
        "claude-3-opus",
        "claude-3-opus-latest");
    model(
        "anthropic.claude-3-5-haiku-20241022-v1:0",
        false,
        "claude-3-5-haiku-20241022",
        "claude-3-5-haiku",
        "claude-3-5-haiku-latest");
    model("anthropic.claude-3-5-sonnet-20240620-v1:0", false, "claude-3-5-sonnet-20240620");
    model(
        "anthropic.claude-3-5-sonnet-20241022-v2:0",
        false,
        "claude-3-5-sonnet-20241022",
        "claude-3-5-sonnet",
        "claude-3-5-sonnet-latest");
    model(
        "anthropic.claude-3-7-sonnet-20250219-v1:0",
        false,
        "claude-3-7-sonnet-20250219",
        "claude-3-7-sonnet",
        "claude-3-7-sonnet-latest");
    model(
        "anthropic.claude-sonnet-4-20250514-v1:0",
        true,
        "claude-sonnet-4-20250514",
        "claude-sonnet-4",
        "claude-sonnet-4-0");
    model(
        "anthropic.claude-opus-4-20250514-v1:0",
        false,
        "claude-opus-4-20250514",
        "claude-opus-4",
        "claude-opus-4-0");
    model(
        "anthropic.claude-opus-4-1-20250805-v1:0",
        false,
        "claude-opus-4-1-20250805",
        "claude-opus-4-1");
    model(
        "anthropic.claude-sonnet-4-5-20250929-v1:0",
        true,
        "claude-sonnet-4-5-20250929",
        "claude-sonnet-4-5");
    model(
        "anthropic.claude-haiku-4-5-20251001-v1:0",
        true,
        "claude-haiku-4-5-20251001",
        "claude-haiku-4-5");
    model(
        "anthropic.claude-opus-4-5-20251101-v1:0",
        true,
        "claude-opus-4-5-20251101",
        "claude-opus-4-5");
    model("anthropic.claude-opus-4-6-v1", true, "claude-opus-4-6");
    model("anthropic.claude-sonnet-4-6", true, "claude-sonnet-4-6");
  }

  private ClaudeModelNames() {}

  private static void model(String baseId, boolean global, String... names) {
    for (String name : names) {
      TABLE.put(name, new Model(baseId, global));
    }
  }

  /**
   * The Bedrock id to call for {@code name} in {@code region}, or empty when {@code name} is not a
   * Claude name this mapping completes (the caller then uses it as it is).
   *
   * @param name the client's model name, after the catalog's aliases found nothing
   * @param region the Bedrock region, e.g. {@code us-east-1} (decides the profile prefix)
   */
  public static Optional<String> resolve(String name, String region) {
    if (name == null || name.isBlank() || name.startsWith("arn:") || name.indexOf(':') >= 0) {
      return Optional.empty();
    }
    String lower = name.trim().toLowerCase(Locale.ROOT);
    String givenPrefix = null;
    java.util.regex.Matcher prefix = PROFILE_PREFIX.matcher(lower);
    if (prefix.lookingAt() && lower.startsWith("anthropic.", prefix.end())) {
      givenPrefix = prefix.group(1);
      lower = lower.substring(prefix.end());
    }
    boolean bedrockShaped = lower.startsWith("anthropic.");
    if (bedrockShaped) {
      lower = lower.substring("anthropic.".length());
    }
    Model model = model(lower);
    if (model == null) {
      return Optional.empty();
    }
    if (givenPrefix != null) {
      return Optional.of(givenPrefix + "." + model.baseId());
    }
    if (bedrockShaped) {
      return Optional.of(model.baseId()); // the client named a base id: it only lacked its version
    }
    String geo = geography(region);
    if (geo != null) {
      return Optional.of(geo + "." + model.baseId());
    }
    return Optional.of(model.global() ? "global." + model.baseId() : model.baseId());
  }

  /**
   * The table's entry, or the generic rules for a {@code claude-...} name it does not list; null if
   * not Claude.
   */
  static Model model(String anthropicName) {
    Model known = TABLE.get(anthropicName);
    if (known != null) {
      return known;
    }
    if (!CLAUDE_NAME.matcher(anthropicName).matches()) {
      return null;
    }
    if (DATED.matcher(anthropicName).matches()) {
      return new Model("anthropic." + anthropicName + "-v1:0", false);
    }
    return new Model("anthropic." + anthropicName, true);
  }

  /**
   * The inference-profile geography of a region: {@code us} (us-*), {@code us-gov} (us-gov-*),
   * {@code eu} (eu-*), {@code apac} (ap-*); null elsewhere (ca-, sa-, me-, af-, il-, mx-...), where
   * the {@code global.} profile is used.
   */
  public static String geography(String region) {
    if (region == null) {
      return null;
    }
    String r = region.toLowerCase(Locale.ROOT);
    if (r.startsWith("us-gov-")) {
      return "us-gov";
    }
    if (r.startsWith("us-")) {
      return "us";
    }
    if (r.startsWith("eu-")) {
      return "eu";
    }
    if (r.startsWith("ap-")) {
      return "apac";
    }
    return null;
  }
}
