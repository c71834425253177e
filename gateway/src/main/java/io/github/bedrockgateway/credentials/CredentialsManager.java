package io.github.bedrockgateway.credentials;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.github.bedrockgateway.config.GatewayConfig;
import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Pacing;
import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Snapshot;
import io.quarkus.runtime.StartupEvent;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The gateway's AWS credentials: resolves the configured strategy once at startup (a wrong setup
 * stops the gateway with one {@link CredentialsSetupException} message), then keeps them fresh in the
 * background, and reports on them (health check, logs). The Bedrock layer signs with
 * {@link #provider()} (through {@link CredentialsProducer}) and calls {@link #refreshNow()} when
 * Bedrock rejects the credentials.
 */
@Singleton
public class CredentialsManager {

    private static final Logger LOG = Logger.getLogger(CredentialsManager.class);

    private final Supplier<CredentialsSettings> settings;
    private final String configuredStrategy;
    private final Supplier<Pacing> pacing;
    private final Function<String, RefreshThreads> threads;

    private volatile Started started;

    private record Started(CredentialsStrategy strategy, CredentialsSettings settings, RefreshingCredentialsProvider provider) {
    }

    @Inject
    public CredentialsManager(GatewayConfig config, RegionResolver regions) {
        this(() -> CredentialsSettings.from(config.credentials(), regions.region(), Env.withConfig(ConfigProvider.getConfig())),
                config.credentials().strategy(), null, RefreshThreads::system);
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

    private CredentialsManager(Supplier<CredentialsSettings> settings, String configuredStrategy, Supplier<Pacing> pacing,
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
     * Resolves the credentials of the configured strategy; does nothing when already done.
     *
     * @throws CredentialsSetupException when the setup cannot work (the message says why and what to do)
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
        RefreshingCredentialsProvider provider;
        try {
            provider = new RefreshingCredentialsProvider(strategy.configName(), strategy.open(s), s.prefetchTime(), s.staleTime(), p,
                    threads.apply(strategy.configName()));
            provider.start();
        } catch (CredentialsSetupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.debugf(e, "Credentials strategy '%s' failed at startup", strategy.configName());
            throw explain(strategy, s, e);
        }
        started = new Started(strategy, s, provider);
        Snapshot snapshot = provider.snapshot();
        LOG.infof("AWS credentials ready: strategy %s, identity %s, region %s, expires %s", strategy.configName(), identity(),
                s.region().id(), snapshot.expiration().map(Instant::toString).orElse("never"));
    }

    /** A setting the strategy does not read is usually a mistake in the strategy name: say so, once. */
    private static void warnAboutIgnoredSettings(CredentialsStrategy strategy, CredentialsSettings s) {
        java.util.Set<String> used = new java.util.HashSet<>(strategy.settings());
        if (strategy == CredentialsStrategy.ASSUME_ROLE) {
            CredentialsStrategy.find(s.source()).ifPresent(source -> used.addAll(source.settings()));
        }
        java.util.Map<String, Boolean> present = new java.util.LinkedHashMap<>();
        present.put("gateway.credentials.profile", s.profile().isPresent());
        present.put("gateway.credentials.role-arn", s.roleArn().isPresent());
        present.put("gateway.credentials.role-session-name", s.roleSessionName().isPresent());
        present.put("gateway.credentials.external-id", s.externalId().isPresent());
        present.put("gateway.credentials.session-duration", s.sessionDuration().isPresent());
        present.put("gateway.credentials.web-identity-token-file", s.webIdentityTokenFile().isPresent());
        present.put("gateway.credentials.source", !"default".equals(s.source()));
        present.forEach((setting, set) -> {
            if (set && !used.contains(setting)) {
                LOG.warnf("%s is set but credentials strategy '%s' does not use it", setting, strategy.configName());
            }
        });
    }

    /** The one startup message for a failed first fetch; a failure of assume-role's base credentials is told as theirs. */
    private static CredentialsSetupException explain(CredentialsStrategy strategy, CredentialsSettings s, RuntimeException e) {
        if (e instanceof AssumeRoleStrategy.BaseCredentialsException base) {
            Throwable cause = base.getCause();
            if (cause instanceof CredentialsSetupException setup) {
                return setup;
            }
            return base.strategy.explain(base.settings, cause).within(strategy.configName(),
                    "its base credentials (gateway.credentials.source=" + base.strategy.configName() + ") cannot be resolved");
        }
        return strategy.explain(s, e);
    }

    /** The provider to sign with: cached credentials only, never a blocking call. Starts if needed. */
    public AwsCredentialsProvider provider() {
        return ensureStarted().provider();
    }

    /** The strategy in use ({@code assume-role}...), or the configured name before startup. */
    public String strategyName() {
        Started s = started;
        return s != null ? s.strategy().configName() : configuredStrategy;
    }

    /** When the current credentials expire; empty for credentials that do not (long-term keys). */
    public Optional<Instant> expiration() {
        return snapshot().flatMap(Snapshot::expiration);
    }

    /**
     * Who the gateway is to AWS, safe to log: the role ARN for role strategies, else the access key id
     * shortened to {@code AKIA…MPLE}. Never a secret.
     */
    public String identity() {
        Started s = started;
        if (s == null) {
            return "unresolved";
        }
        Optional<String> role = s.strategy().role(s.settings());
        if (role.isPresent()) {
            return role.get();
        }
        AwsCredentials credentials = s.provider().snapshot().credentials();
        return Redact.accessKeyId(credentials.accessKeyId());
    }

    /** When new credentials were last obtained (the startup resolution counts). */
    public Optional<Instant> lastRefresh() {
        Started s = started;
        return s == null ? Optional.empty() : s.provider().lastRefresh();
    }

    /** The last refresh failure (redacted cause) since the last success. */
    public Optional<String> lastError() {
        return snapshot().flatMap(Snapshot::lastError);
    }

    /** Whether requests can be signed with unexpired credentials. */
    public boolean hasValidCredentials() {
        Started s = started;
        return s != null && s.provider().hasValidCredentials();
    }

    /**
     * Fetches new credentials from the source now, in the background (requests keep the current ones
     * meanwhile). Meant for when AWS rejected the current ones (ExpiredToken, UnrecognizedClient):
     * wait for the future, then retry once. Concurrent calls share one refresh. Fails with
     * {@link CredentialsRefreshException} when the source cannot give credentials.
     */
    public CompletableFuture<Void> refreshNow() {
        Started s = started;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Credentials are not resolved yet"));
        }
        return s.provider().refreshNow();
    }

    @PreDestroy
    void close() {
        Started s = started;
        if (s != null) {
            s.provider().close();
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
        return s == null ? Optional.empty() : Optional.ofNullable(s.provider().snapshot());
    }
}
