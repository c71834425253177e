package io.github.bedrockgateway.credentials;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * AWS credentials used to sign Bedrock calls ({@code gateway.credentials.*}; the Bedrock API key
 * file is {@link ApiKeyConfig}, the region {@link RegionConfig}). The Javadoc of each method is the
 * configuration reference (docs/configuration.md, docs/credentials.md).
 */
@ConfigMapping(prefix = "gateway.credentials")
public interface CredentialsConfig {

  /**
   * How credentials are obtained: {@code default} (the AWS SDK default chain), {@code static},
   * {@code profile}, {@code assume-role}, {@code web-identity}, {@code instance-role}, {@code
   * container}, or {@code bedrock-api-key} (a Bedrock API key as a bearer token instead of SigV4,
   * see {@code gateway.credentials.api-key.*}). Resolved once at startup; a wrong setup stops the
   * gateway with one message naming the setting (see docs/credentials.md); so does a name that is
   * none of these ({@code _} for {@code -} and any case are accepted).
   */
  @WithDefault("default")
  @WithConverter(CredentialsStrategy.Setting.class)
  CredentialsStrategy strategy();

  /**
   * Profile name for {@code profile} (and the profile whose {@code region} is used when no region
   * is set). {@code AWS_PROFILE} is honoured; the files come from {@code AWS_CONFIG_FILE} and
   * {@code AWS_SHARED_CREDENTIALS_FILE} (default {@code ~/.aws/config}, {@code
   * ~/.aws/credentials}).
   */
  Optional<String> profile();

  /**
   * Role to assume for {@code assume-role} and {@code web-identity} ({@code AWS_ROLE_ARN} honoured
   * for web-identity).
   */
  Optional<String> roleArn();

  /**
   * Session name of assumed-role sessions (shows in CloudTrail). {@code AWS_ROLE_SESSION_NAME} is
   * honoured for web-identity; default {@code bedrock-gateway-<host name>}.
   */
  Optional<String> roleSessionName();

  /**
   * External ID presented by {@code assume-role} (must match the trust policy's {@code
   * sts:ExternalId}).
   */
  Optional<String> externalId();

  /**
   * Duration of assumed-role sessions (ISO-8601, e.g. {@code PT1H}); between 15 minutes and the
   * role's maximum session duration (at most 12 hours). Default: STS's default of one hour.
   */
  Optional<Duration> sessionDuration();

  /**
   * Web identity token file ({@code AWS_WEB_IDENTITY_TOKEN_FILE} honoured). Re-read at every
   * refresh.
   */
  Optional<String> webIdentityTokenFile();

  /**
   * Where {@code assume-role} gets its base credentials: {@code default}, {@code static}, {@code
   * profile}, {@code instance-role}, {@code container}, {@code web-identity}. Any other value stops
   * startup, whatever the strategy.
   */
  @WithDefault("default")
  @WithConverter(CredentialsStrategy.SourceSetting.class)
  CredentialsStrategy source();

  /**
   * How long before expiry temporary credentials are refreshed, at the earliest, in the background
   * (with random jitter between this point and the stale time). Credentials that live less than
   * twice this long are refreshed at half-life instead. Requests keep using the current credentials
   * meanwhile (docs/credentials.md#refresh).
   */
  @WithDefault("5m")
  Duration prefetchTime();

  /**
   * How long before expiry temporary credentials are refreshed at the latest: the end of the jitter
   * window that starts at {@code prefetch-time}. Must be shorter than {@code prefetch-time}.
   */
  @WithDefault("1m")
  Duration staleTime();

  /**
   * Whole-call timeout of one STS call (retries included), for the startup resolution and each
   * background refresh of {@code assume-role} and {@code web-identity}.
   */
  @WithDefault("10s")
  Duration stsTimeout();
}
