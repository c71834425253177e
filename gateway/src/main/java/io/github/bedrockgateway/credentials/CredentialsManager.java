package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.credentials.Env.AwsSetting;
import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Pacing;
import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Snapshot;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.token.credentials.SdkTokenProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What the gateway signs Bedrock calls with: resolves the configured strategy once at startup (a
 * wrong setup stops the gateway with one {@link CredentialsSetupException} message), then keeps it
 * fresh in the background, and reports on it (health check, metrics, logs). AWS credentials for
 * SigV4 come from {@link #provider()} (through {@link CredentialsProducer}); with strategy {@code
 * bedrock-api-key} the Bedrock clients send {@link #bedrockApiKey()} as a bearer token instead. The
 * Bedrock layer calls {@link #refreshNow()} when Bedrock rejects what it was given.
 */
@Singleton
public class CredentialsManager {

  private static final Logger LOG = Logger.getLogger(CredentialsManager.class);

  private final Supplier<CredentialsSettings> settings;
  private final String configuredStrategy;
  private final Supplier<Pacing> pacing;
  private final Function<String, RefreshThreads> threads;

  private volatile Started started;

  /** The running strategy: exactly one of {@code aws} and {@code apiKey} is set. */
  private record Started(
      CredentialsStrategy strategy,
      CredentialsSettings settings,
      RefreshingCredentialsProvider aws,
      BedrockApiKeyProvider apiKey) {}

  @Inject
  public CredentialsManager(CredentialsConfig config, ApiKeyConfig apiKey, RegionResolver regions) {
    this(
        () ->
            CredentialsSettings.from(
                config, apiKey, regions.region(), Env.withConfig(ConfigProvider.getConfig())),
        config.strategy().configName(),
        null,
        RefreshThreads::system);
  }

  /** Outside CDI (tests, tools): explicit settings, production pacing. */
  public CredentialsManager(CredentialsSettings settings) {
    this(() -> settings, settings.strategy(), null, RefreshThreads::system);
  }

  /** Outside CDI with custom pacing of the background refresher. */
  public CredentialsManager(CredentialsSettings settings, Pacing pacing) {
    this(() -> settings, settings.strategy(), () -> pacing, RefreshThreads::system);
  }

  /** Outside CDI, on the given threads and time (tests in virtual time). */
  CredentialsManager(CredentialsSettings settings, Pacing pacing, RefreshThreads threads) {
    this(() -> settings, settings.strategy(), () -> pacing, name -> threads);
  }

  private CredentialsManager(
      Supplier<CredentialsSettings> settings,
      String configuredStrategy,
      Supplier<Pacing> pacing,
      Function<String, RefreshThreads> threads) {
    this.settings = settings;
    this.configuredStrategy = configuredStrategy;
    this.pacing = pacing;
    this.threads = threads;
  }

  void onStart(@Observes StartupEvent event) {
    start();
  }

  /**
   * Resolves the credentials (or reads the API key) of the configured strategy; does nothing when
   * already done.
   *
   * @throws CredentialsSetupException when the setup cannot work (the message says why and what to
   *     do)
   */
  public synchronized void start() {
    if (started != null) {
      return;
    }
    CredentialsSettings s = settings.get();
    CredentialsStrategy strategy = CredentialsStrategy.named(s.strategy());
    strategy.validate(s);
    warnAboutIgnoredSettings(strategy, s);
    Pacing p = pacing != null ? pacing.get() : Pacing.defaults(s.stsTimeout());
    if (strategy == CredentialsStrategy.BEDROCK_API_KEY) {
      BedrockApiKeyProvider key =
          BedrockApiKeyStrategy.start(strategy, s, threads.apply(strategy.configName()));
      started = new Started(strategy, s, null, key);
      BedrockApiKeyProvider.State state = key.state();
      LOG.infof(
          "Bedrock API key ready: strategy %s, %s from %s, region %s, expires %s",
          strategy.configName(),
          state.key().describe(),
          key.origin(),
          s.region().id(),
          state.key().expiresAt().map(Instant::toString).orElse("never (long-term key)"));
      return;
    }
    RefreshingCredentialsProvider provider;
    try {
      provider =
          new RefreshingCredentialsProvider(
              strategy.configName(),
              strategy.open(s),
              s.prefetchTime(),
              s.staleTime(),
              p,
              threads.apply(strategy.configName()));
      provider.start();
    } catch (CredentialsSetupException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.debugf(e, "Credentials strategy '%s' failed at startup", strategy.configName());
      throw explain(strategy, s, e);
    }
    started = new Started(strategy, s, provider, null);
    Snapshot snapshot = provider.snapshot();
    LOG.infof(
        "AWS credentials ready: strategy %s, identity %s, region %s, expires %s",
        strategy.configName(),
        identity(),
        s.region().id(),
        snapshot.expiration().map(Instant::toString).orElse("never"));
  }

  /**
   * A setting the strategy does not read is usually a mistake in the strategy name: say so, once.
   */
  private static void warnAboutIgnoredSettings(
      CredentialsStrategy strategy, CredentialsSettings s) {
    Set<String> used = new HashSet<>(strategy.settings());
    if (strategy == CredentialsStrategy.ASSUME_ROLE) {
      CredentialsStrategy.find(s.source()).ifPresent(source -> used.addAll(source.settings()));
    }
    Map<String, Boolean> present = new LinkedHashMap<>();
    present.put("gateway.credentials.profile", s.profile().isPresent());
    present.put("gateway.credentials.role-arn", s.roleArn().isPresent());
    present.put("gateway.credentials.role-session-name", s.roleSessionName().isPresent());
    present.put("gateway.credentials.external-id", s.externalId().isPresent());
    present.put("gateway.credentials.session-duration", s.sessionDuration().isPresent());
    present.put(
        "gateway.credentials.web-identity-token-file", s.webIdentityTokenFile().isPresent());
    present.put("gateway.credentials.source", !"default".equals(s.source()));
    present.put("gateway.credentials.api-key.file", s.apiKeyFile().isPresent());
    present.forEach(
        (setting, set) -> {
          if (set && !used.contains(setting)) {
            LOG.warnf(
                "%s is set but credentials strategy '%s' does not use it",
                setting, strategy.configName());
          }
        });
    if (strategy != CredentialsStrategy.BEDROCK_API_KEY
        && s.env().setting(AwsSetting.BEARER_TOKEN_BEDROCK).isPresent()) {
      // The AWS SDK would otherwise switch to the key on its own; the gateway's clients are told
      // not to.
      LOG.warnf(
          "AWS_BEARER_TOKEN_BEDROCK is set but credentials strategy '%s' signs with AWS credentials: the key is not "
              + "used. Set gateway.credentials.strategy=bedrock-api-key to sign with it.",
          strategy.configName());
    }
  }

  /**
   * The one startup message for a failed first fetch; a failure of assume-role's base credentials
   * is told as theirs.
   */
  private static CredentialsSetupException explain(
      CredentialsStrategy strategy, CredentialsSettings s, RuntimeException e) {
    if (e instanceof AssumeRoleStrategy.BaseCredentialsException base) {
      Throwable cause = base.getCause();
      if (cause instanceof CredentialsSetupException setup) {
        return setup;
      }
      return base.strategy
          .explain(base.settings, cause)
          .within(
              strategy.configName(),
              "its base credentials (gateway.credentials.source="
                  + base.strategy.configName()
                  + ") cannot be resolved");
    }
    return strategy.explain(s, e);
  }

  /**
   * The AWS credentials to sign with: cached credentials only, never a blocking call. Starts if
   * needed. With strategy {@code bedrock-api-key} there are none: the provider refuses, and the
   * Bedrock clients use {@link #bedrockApiKey()} instead.
   */
  public AwsCredentialsProvider provider() {
    Started s = ensureStarted();
    if (s.apiKey() != null) {
      return () -> {
        throw SdkClientException.create(
            "Credentials strategy 'bedrock-api-key' signs Bedrock calls with a Bedrock API key "
                + "(bearer token), not with AWS credentials");
      };
    }
    return s.aws();
  }

  /**
   * The Bedrock API key as the SDK's token provider, when the strategy is {@code bedrock-api-key}.
   * Starts if needed.
   */
  public Optional<SdkTokenProvider> bedrockApiKey() {
    return Optional.ofNullable(ensureStarted().apiKey());
  }

  /** The state of the Bedrock API key (strategy {@code bedrock-api-key}), for health data. */
  public Optional<BedrockApiKeyProvider.State> apiKeyState() {
    Started s = started;
    return s == null || s.apiKey() == null
        ? Optional.empty()
        : Optional.ofNullable(s.apiKey().state());
  }

  /** Where the Bedrock API key comes from (strategy {@code bedrock-api-key}). */
  public Optional<BedrockApiKeyProvider.Origin> apiKeyOrigin() {
    Started s = started;
    return s == null || s.apiKey() == null ? Optional.empty() : Optional.of(s.apiKey().origin());
  }

  /** The strategy in use ({@code assume-role}...), or the configured name before startup. */
  public String strategyName() {
    Started s = started;
    return s != null ? s.strategy().configName() : configuredStrategy;
  }

  /**
   * When the current credentials (or short-term API key) expire; empty for those that do not
   * (long-term keys).
   */
  public Optional<Instant> expiration() {
    Started s = started;
    if (s != null && s.apiKey() != null) {
      return apiKeyState().flatMap(k -> k.key().expiresAt());
    }
    return snapshot().flatMap(Snapshot::expiration);
  }

  /**
   * Who the gateway is to AWS, safe to log: the role ARN for role strategies, the access key id
   * shortened to {@code AKIA…MPLE}, or an API key's kind and fingerprint. Never a secret.
   */
  public String identity() {
    Started s = started;
    if (s == null) {
      return "unresolved";
    }
    if (s.apiKey() != null) {
      return "Bedrock API key, " + s.apiKey().state().key().describe();
    }
    Optional<String> role = s.strategy().role(s.settings());
    if (role.isPresent()) {
      return role.get();
    }
    AwsCredentials credentials = s.aws().snapshot().credentials();
    return Redact.accessKeyId(credentials.accessKeyId());
  }

  /** When new credentials (or a new API key) were last obtained (the startup resolution counts). */
  public Optional<Instant> lastRefresh() {
    Started s = started;
    if (s == null) {
      return Optional.empty();
    }
    return s.apiKey() != null
        ? apiKeyState().map(BedrockApiKeyProvider.State::loadedAt)
        : s.aws().lastRefresh();
  }

  /** The last refresh failure (redacted cause) since the last success. */
  public Optional<String> lastError() {
    Started s = started;
    if (s != null && s.apiKey() != null) {
      return apiKeyState().flatMap(BedrockApiKeyProvider.State::lastError);
    }
    return snapshot().flatMap(Snapshot::lastError);
  }

  /** Whether requests can be signed with unexpired credentials (or an unexpired API key). */
  public boolean hasValidCredentials() {
    Started s = started;
    if (s == null) {
      return false;
    }
    return s.apiKey() != null ? s.apiKey().valid() : s.aws().hasValidCredentials();
  }

  /**
   * Fetches new credentials from the source now, in the background (requests keep the current ones
   * meanwhile); with {@code bedrock-api-key}, reads the key file again. Meant for when AWS rejected
   * what the gateway sent (ExpiredToken, UnrecognizedClient, a refused API key): wait for the
   * future, then retry once. Concurrent calls share one refresh. Fails with {@link
   * CredentialsRefreshException} when the source cannot give credentials.
   */
  public CompletableFuture<Void> refreshNow() {
    Started s = started;
    if (s == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("Credentials are not resolved yet"));
    }
    return s.apiKey() != null ? s.apiKey().reloadNow() : s.aws().refreshNow();
  }

  @PreDestroy
  void close() {
    Started s = started;
    if (s != null) {
      if (s.apiKey() != null) {
        s.apiKey().close();
      } else {
        s.aws().close();
      }
    }
  }

  /** Stops the background refresher (outside CDI). */
  public void shutdown() {
    close();
  }

  private Started ensureStarted() {
    Started s = started;
    if (s == null) {
      start();
      s = started;
    }
    return s;
  }

  private Optional<Snapshot> snapshot() {
    Started s = started;
    return s == null || s.aws() == null
        ? Optional.empty()
        : Optional.ofNullable(s.aws().snapshot());
  }
}
