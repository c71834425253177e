package io.github.bedrockgateway.credentials;

import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * Everything a {@link CredentialsStrategy} reads, in one immutable value: the {@code
 * gateway.credentials.*} settings, the resolved region and the {@link Env} the standard AWS
 * variables come from. Built from the configuration mapping at startup, or by hand in tests.
 *
 * @param strategy {@code gateway.credentials.strategy}, as written
 * @param source {@code gateway.credentials.source}, as written
 * @param profile {@code gateway.credentials.profile}
 * @param roleArn {@code gateway.credentials.role-arn}
 * @param roleSessionName {@code gateway.credentials.role-session-name}
 * @param externalId {@code gateway.credentials.external-id}
 * @param sessionDuration {@code gateway.credentials.session-duration}
 * @param webIdentityTokenFile {@code gateway.credentials.web-identity-token-file}
 * @param prefetchTime {@code gateway.credentials.prefetch-time}
 * @param staleTime {@code gateway.credentials.stale-time}
 * @param stsTimeout {@code gateway.credentials.sts-timeout}
 * @param apiKeyFile {@code gateway.credentials.api-key.file}
 * @param apiKeyWatchInterval {@code gateway.credentials.api-key.watch-interval}
 * @param region the gateway region ({@link RegionResolver})
 * @param env environment variables and system properties
 */
public record CredentialsSettings(
    String strategy,
    String source,
    Optional<String> profile,
    Optional<String> roleArn,
    Optional<String> roleSessionName,
    Optional<String> externalId,
    Optional<Duration> sessionDuration,
    Optional<String> webIdentityTokenFile,
    Duration prefetchTime,
    Duration staleTime,
    Duration stsTimeout,
    Optional<String> apiKeyFile,
    Duration apiKeyWatchInterval,
    Region region,
    Env env) {

  public CredentialsSettings {
    strategy = strategy == null ? "default" : strategy.trim();
    source = source == null ? "default" : source.trim();
    profile = trimmed(profile);
    roleArn = trimmed(roleArn);
    roleSessionName = trimmed(roleSessionName);
    externalId = trimmed(externalId);
    webIdentityTokenFile = trimmed(webIdentityTokenFile);
    apiKeyFile = trimmed(apiKeyFile);
    apiKeyWatchInterval =
        apiKeyWatchInterval == null ? Duration.ofSeconds(10) : apiKeyWatchInterval;
    sessionDuration = sessionDuration == null ? Optional.empty() : sessionDuration;
  }

  /** From the gateway configuration. */
  public static CredentialsSettings from(
      CredentialsConfig c, ApiKeyConfig k, Region region, Env env) {
    return new CredentialsSettings(
        c.strategy().configName(),
        c.source().configName(),
        c.profile(),
        c.roleArn(),
        c.roleSessionName(),
        c.externalId(),
        c.sessionDuration(),
        c.webIdentityTokenFile(),
        c.prefetchTime(),
        c.staleTime(),
        c.stsTimeout(),
        k.file(),
        k.watchInterval(),
        region,
        env);
  }

  /**
   * Defaults of the configuration mapping, region us-east-1, the given env: start here in tests.
   */
  public static Builder builder(Env env) {
    return new Builder(env);
  }

  /**
   * The same settings with another strategy (and source), for the base credentials of {@code
   * assume-role}.
   */
  CredentialsSettings asSource(String sourceStrategy, Optional<String> sourceRoleArn) {
    return new CredentialsSettings(
        sourceStrategy,
        "default",
        profile,
        sourceRoleArn,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        webIdentityTokenFile,
        prefetchTime,
        staleTime,
        stsTimeout,
        Optional.empty(),
        apiKeyWatchInterval,
        region,
        env);
  }

  /** The profile to use for {@code profile} (and region lookup). */
  String profileName() {
    return ProfileFiles.profileName(profile, env);
  }

  private static Optional<String> trimmed(Optional<String> value) {
    return value == null ? Optional.empty() : value.map(String::trim).filter(s -> !s.isEmpty());
  }

  /** Mutable builder for tests and tools. */
  public static final class Builder {
    private String strategy = "default";
    private String source = "default";
    private Optional<String> profile = Optional.empty();
    private Optional<String> roleArn = Optional.empty();
    private Optional<String> roleSessionName = Optional.empty();
    private Optional<String> externalId = Optional.empty();
    private Optional<Duration> sessionDuration = Optional.empty();
    private Optional<String> webIdentityTokenFile = Optional.empty();
    private Duration prefetchTime = Duration.ofMinutes(5);
    private Duration staleTime = Duration.ofMinutes(1);
    private Duration stsTimeout = Duration.ofSeconds(10);
    private Optional<String> apiKeyFile = Optional.empty();
    private Duration apiKeyWatchInterval = Duration.ofSeconds(10);
    private Region region = Region.US_EAST_1;
    private final Env env;

    private Builder(Env env) {
      this.env = env;
    }

    public Builder strategy(String v) {
      this.strategy = v;
      return this;
    }

    public Builder source(String v) {
      this.source = v;
      return this;
    }

    public Builder profile(String v) {
      this.profile = Optional.ofNullable(v);
      return this;
    }

    public Builder roleArn(String v) {
      this.roleArn = Optional.ofNullable(v);
      return this;
    }

    public Builder roleSessionName(String v) {
      this.roleSessionName = Optional.ofNullable(v);
      return this;
    }

    public Builder externalId(String v) {
      this.externalId = Optional.ofNullable(v);
      return this;
    }

    public Builder sessionDuration(Duration v) {
      this.sessionDuration = Optional.ofNullable(v);
      return this;
    }

    public Builder webIdentityTokenFile(String v) {
      this.webIdentityTokenFile = Optional.ofNullable(v);
      return this;
    }

    public Builder prefetchTime(Duration v) {
      this.prefetchTime = v;
      return this;
    }

    public Builder staleTime(Duration v) {
      this.staleTime = v;
      return this;
    }

    public Builder stsTimeout(Duration v) {
      this.stsTimeout = v;
      return this;
    }

    public Builder region(Region v) {
      this.region = v;
      return this;
    }

    public Builder apiKeyFile(String v) {
      this.apiKeyFile = Optional.ofNullable(v);
      return this;
    }

    public Builder apiKeyWatchInterval(Duration v) {
      this.apiKeyWatchInterval = v;
      return this;
    }

    public CredentialsSettings build() {
      return new CredentialsSettings(
          strategy,
          source,
          profile,
          roleArn,
          roleSessionName,
          externalId,
          sessionDuration,
          webIdentityTokenFile,
          prefetchTime,
          staleTime,
          stsTimeout,
          apiKeyFile,
          apiKeyWatchInterval,
          region,
          env);
    }
  }
}
