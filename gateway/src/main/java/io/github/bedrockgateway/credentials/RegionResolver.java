package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.credentials.Env.AwsSetting;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.profiles.ProfileProperty;
import software.amazon.awssdk.regions.Region;

/**
 * The one AWS region of the gateway: Bedrock calls and the STS endpoint of assumed roles use it.
 * Order: {@code gateway.region}, {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, then the {@code
 * region} of the selected profile. Resolved once; no region is a startup failure.
 */
@Singleton
public class RegionResolver {

  /** {@code us-east-1}, {@code us-gov-west-1}, {@code eu-central-2}, {@code us-isob-east-1}... */
  private static final Pattern REGION_NAME = Pattern.compile("[a-z]{2,}(-[a-z]+)+-\\d+");

  /** A region and where it came from (for the startup log and the health data). */
  public record ResolvedRegion(Region region, String source) {}

  private final Optional<String> configured;
  private final Optional<String> profile;
  private final String strategy;
  private final Env env;
  private volatile ResolvedRegion resolved;

  @Inject
  public RegionResolver(RegionConfig config, CredentialsConfig credentials) {
    this(
        config.region(),
        credentials.profile(),
        credentials.strategy().configName(),
        Env.withConfig(org.eclipse.microprofile.config.ConfigProvider.getConfig()));
  }

  /** For tests and tools: explicit inputs instead of the gateway configuration. */
  public RegionResolver(
      Optional<String> configuredRegion,
      Optional<String> configuredProfile,
      String strategy,
      Env env) {
    this.configured = configuredRegion;
    this.profile = configuredProfile;
    this.strategy = strategy;
    this.env = env;
  }

  /** The region to call Bedrock in. @throws CredentialsSetupException when none is configured */
  public Region region() {
    return resolved().region();
  }

  /**
   * The region and the setting it came from. @throws CredentialsSetupException when none is
   * configured
   */
  public ResolvedRegion resolved() {
    ResolvedRegion r = resolved;
    if (r == null) {
      r = resolve(configured, profile, strategy, env);
      resolved = r;
    }
    return r;
  }

  /** Pure resolution, see the class comment. */
  public static ResolvedRegion resolve(
      Optional<String> configuredRegion,
      Optional<String> configuredProfile,
      String strategy,
      Env env) {
    Optional<String> fromConfig = configuredRegion.filter(s -> !s.isBlank()).map(String::trim);
    if (fromConfig.isPresent()) {
      return validated(fromConfig.get(), "gateway.region", strategy);
    }
    Optional<String> fromRegion = env.setting(AwsSetting.REGION);
    if (fromRegion.isPresent()) {
      return validated(fromRegion.get(), "AWS_REGION", strategy);
    }
    Optional<String> fromDefault = env.setting(AwsSetting.DEFAULT_REGION);
    if (fromDefault.isPresent()) {
      return validated(fromDefault.get(), "AWS_DEFAULT_REGION", strategy);
    }
    String profileName = ProfileFiles.profileName(configuredProfile, env);
    Optional<String> fromProfile =
        ProfileFiles.profile(env, profileName)
            .flatMap(p -> p.property(ProfileProperty.REGION))
            .filter(s -> !s.isBlank());
    if (fromProfile.isPresent()) {
      return validated(
          fromProfile.get().trim(), "region of profile '" + profileName + "'", strategy);
    }
    throw CredentialsSetupException.of(
        strategy,
        "no AWS region is configured: gateway.region (GATEWAY_REGION), AWS_REGION, AWS_DEFAULT_REGION and the region of profile '"
            + profileName
            + "' in "
            + ProfileFiles.describe(env)
            + " are all unset",
        "Set gateway.region (or AWS_REGION) to the region where your Bedrock models are enabled, e.g. us-east-1.",
        "region",
        "gateway.region");
  }

  private static ResolvedRegion validated(String name, String source, String strategy) {
    if (!REGION_NAME.matcher(name).matches()) {
      throw CredentialsSetupException.of(
          strategy,
          source + " is '" + name + "', which is not an AWS region name",
          "Use a region code such as us-east-1, eu-central-1 or ap-northeast-1 (not a display name like 'US East').",
          "region",
          "gateway.region");
    }
    return new ResolvedRegion(Region.of(name), source);
  }
}
