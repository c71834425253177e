package io.github.bedrockgateway.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.jboss.logging.Logger;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The provider the gateway signs with: {@link #resolveCredentials()} is one volatile read, never a
 * network call, a lock or a file read.
 *
 * <p>Why it exists: the SDK providers refresh ahead of expiry on their own threads (they are built
 * with {@code asyncCredentialUpdateEnabled(true)}), but once their stale time passes without a
 * successful refresh every caller blocks on the credential source, and a slow or failing STS would
 * then stall requests. So only this class's one background thread ever calls the SDK provider:
 * it polls the provider's cache (cheap) at a pace that quickens as expiry nears, picks up what the
 * SDK refreshed, does the blocking refresh itself when the SDK's cache is stale, and retries with
 * exponential backoff while the current credentials stay in use. Failures are logged with their
 * cause, including failed background prefetches that the SDK itself swallows (reported through
 * {@link StsCallListener}).
 */
public final class RefreshingCredentialsProvider implements AwsCredentialsProvider, SdkAutoCloseable {

    private static final Logger LOG = Logger.getLogger(RefreshingCredentialsProvider.class);

    /**
     * The credentials in use and what is known about them. Immutable; replaced as a whole.
     *
     * @param credentials         what requests sign with
     * @param expiration          when they expire, if they do
     * @param obtainedAt          when these credentials were first seen (startup or refresh)
     * @param lastError           the last refresh failure, redacted, until a refresh succeeds
     * @param consecutiveFailures refresh failures since the last success
     */
    public record Snapshot(AwsCredentials credentials, Optional<Instant> expiration, Instant obtainedAt,
            Optional<String> lastError, int consecutiveFailures) {

        Snapshot withFailure(String error) {
            return new Snapshot(credentials, expiration, obtainedAt, Optional.of(error), consecutiveFailures + 1);
        }

        Snapshot withoutFailure() {
            return new Snapshot(credentials, expiration, obtainedAt, Optional.empty(), 0);
        }

        boolean validAt(Instant now) {
            return expiration.map(now::isBefore).orElse(true);
        }
    }

    /**
     * Pacing of the background refresher.
     *
     * @param minPoll             shortest pause between two looks at the SDK provider
     * @param maxPoll             longest pause while credentials expire
     * @param nonExpiringRecheck  pause for credentials without expiry (long-term keys: re-read in case they were rotated)
     * @param initialBackoff      first retry pause after a failure, doubled per failure
     * @param maxBackoff          longest retry pause
     * @param forcedMinInterval   {@link #refreshNow()} calls closer together than this share one refresh
     * @param startupTimeout      longest wait for the first credentials
     */
    public record Pacing(Duration minPoll, Duration maxPoll, Duration nonExpiringRecheck, Duration initialBackoff,
            Duration maxBackoff, Duration forcedMinInterval, Duration startupTimeout) {

        /** Production pacing for the given STS timeout. */
        public static Pacing defaults(Duration stsTimeout) {
            return new Pacing(Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(1),
                    Duration.ofSeconds(30), Duration.ofSeconds(5), stsTimeout.multipliedBy(3).plusSeconds(10));
        }
    }

    private final String name;
    private final Function<StsCallListener, ProviderHandle> factory;
    private final Pacing pacing;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;
    private final StsCallListener stsListener = new StsEvents();

    private volatile ProviderHandle handle;
    private volatile Snapshot snapshot;
    private volatile Instant lastRefresh;
    private volatile boolean closed;
    private volatile boolean expiredLogged;
    private volatile Throwable lastReported;

    /** Touched on the executor thread only. */
    private ScheduledFuture<?> nextPoll;

    /** Guarded by {@code this}. */
    private CompletableFuture<Void> forced;
    private Instant forcedAt = Instant.MIN;

    /**
     * @param name    what to call these credentials in logs (the strategy name)
     * @param factory builds a fresh SDK provider; called once at {@link #start()} and again for each
     *                {@link #refreshNow()}
     */
    public RefreshingCredentialsProvider(String name, Function<StsCallListener, ProviderHandle> factory, Pacing pacing, Clock clock) {
        this.name = name;
        this.factory = factory;
        this.pacing = pacing;
        this.clock = clock;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "credentials-refresh-" + name);
            t.setDaemon(true);
            return t;
        });
        this.executor.setRemoveOnCancelPolicy(true);
    }

    /**
     * Builds the SDK provider and waits for the first credentials (bounded by
     * {@link Pacing#startupTimeout()}), then starts the background refresher.
     *
     * @param beforeFirst called with the fresh handle before its credentials are resolved (startup
     *                    checks of the base credentials of {@code assume-role})
     * @throws RuntimeException whatever the first resolution threw; nothing is left running then
     */
    void start(java.util.function.Consumer<ProviderHandle> beforeFirst) {
        ProviderHandle first = null;
        try {
            ProviderHandle built = factory.apply(stsListener);
            first = built;
            AwsCredentials credentials = onRefresher(() -> {
                beforeFirst.accept(built);
                return built.provider().resolveCredentials();
            });
            handle = built;
            Instant now = clock.instant();
            snapshot = new Snapshot(credentials, credentials.expirationTime(), now, Optional.empty(), 0);
            lastRefresh = now;
        } catch (RuntimeException e) {
            if (first != null) {
                first.close();
            }
            executor.shutdownNow();
            throw e;
        }
        executor.execute(this::scheduleNext);
    }

    /** Starts without startup checks. */
    public void start() {
        start(h -> {
        });
    }

    /** The current credentials, from memory. Never blocks. */
    @Override
    public AwsCredentials resolveCredentials() {
        Snapshot s = snapshot;
        if (s == null) {
            throw SdkClientException.create("Credentials (" + name + ") were not resolved at startup");
        }
        return s.credentials();
    }

    /** What is known now; {@code null} before {@link #start()}. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** When credentials different from the previous ones were last obtained (startup counts). */
    public Optional<Instant> lastRefresh() {
        return Optional.ofNullable(lastRefresh);
    }

    /** Whether the credentials in use have not expired (credentials without expiry always count as valid). */
    public boolean hasValidCredentials() {
        Snapshot s = snapshot;
        return s != null && s.validAt(clock.instant());
    }

    /**
     * Throws away the SDK provider's cache and fetches new credentials from the source, in the
     * background; requests keep the current ones meanwhile. For when AWS has rejected the current
     * credentials (ExpiredToken, UnrecognizedClient). Calls while one is running, or within
     * {@link Pacing#forcedMinInterval()} of the last one, share its result, so a burst of rejected
     * requests makes one call to the source.
     */
    public synchronized CompletableFuture<Void> refreshNow() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("Credentials provider is closed"));
        }
        Instant now = clock.instant();
        if (forced != null && (!forced.isDone() || now.isBefore(forcedAt.plus(pacing.forcedMinInterval())))) {
            return forced.copy();
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        forced = result;
        forcedAt = now;
        try {
            executor.execute(() -> forceRefresh(result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("Credentials provider is closed"));
        }
        return result.copy();
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        ProviderHandle h = handle;
        if (h != null) {
            h.close();
        }
    }

    // --- executor thread ------------------------------------------------------------------------

    private void poll() {
        if (closed) {
            return;
        }
        try {
            accept(handle.provider().resolveCredentials(), false);
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            scheduleNext();
        }
    }

    private void forceRefresh(CompletableFuture<Void> result) {
        ProviderHandle fresh = null;
        try {
            fresh = factory.apply(stsListener);
            AwsCredentials credentials = fresh.provider().resolveCredentials();
            ProviderHandle old = handle;
            handle = fresh;
            accept(credentials, true);
            if (old != null) {
                old.close();
            }
            synchronized (this) {
                forcedAt = clock.instant();
            }
            result.complete(null);
        } catch (RuntimeException | LinkageError e) {
            if (fresh != null) {
                fresh.close();
            }
            String cause = fail(e);
            result.completeExceptionally(new CredentialsRefreshException(name, cause));
        } finally {
            scheduleNext();
        }
    }

    private void accept(AwsCredentials credentials, boolean forcedRefresh) {
        Snapshot current = snapshot;
        Instant now = clock.instant();
        if (same(current.credentials(), credentials)) {
            if (forcedRefresh && current.consecutiveFailures() > 0) {
                snapshot = current.withoutFailure();
            }
            return;
        }
        snapshot = new Snapshot(credentials, credentials.expirationTime(), now, Optional.empty(), 0);
        lastRefresh = now;
        expiredLogged = false;
        String expiry = credentials.expirationTime().map(Instant::toString).orElse("never");
        if (current.consecutiveFailures() > 0) {
            LOG.infof("Credentials (%s) refreshed after %d failed attempts: access key %s, expires %s", name,
                    current.consecutiveFailures(), Redact.accessKeyId(credentials.accessKeyId()), expiry);
        } else {
            LOG.infof("Credentials (%s) refreshed%s: access key %s, expires %s", name, forcedRefresh ? " on demand" : "",
                    Redact.accessKeyId(credentials.accessKeyId()), expiry);
        }
    }

    /** Records a failure, logs it with its cause, returns the redacted cause. */
    private String fail(Throwable error) {
        String cause = Redact.cause(error);
        Snapshot s = snapshot;
        if (s == null) {
            return cause;
        }
        if (alreadyReported(error)) {
            return cause; // the STS listener counted and logged this very failure
        }
        Snapshot failed = s.withFailure(cause);
        snapshot = failed;
        logFailure("Refreshing credentials", failed, cause);
        return cause;
    }

    private void logFailure(String what, Snapshot s, String cause) {
        Instant now = clock.instant();
        if (s.validAt(now)) {
            LOG.warnf("%s (%s) failed (%d in a row); the current credentials stay in use until %s and the refresh is retried: %s",
                    what, name, s.consecutiveFailures(), s.expiration().map(Instant::toString).orElse("they are replaced"), cause);
        } else {
            LOG.errorf("%s (%s) failed (%d in a row) and the current credentials expired at %s; requests to AWS will be rejected "
                    + "until a refresh succeeds: %s", what, name, s.consecutiveFailures(), s.expiration().orElse(null), cause);
        }
    }

    private void scheduleNext() {
        if (closed) {
            return;
        }
        if (nextPoll != null) {
            nextPoll.cancel(false);
        }
        Duration delay = nextDelay(snapshot, clock.instant());
        try {
            nextPoll = executor.schedule(this::poll, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** Pause before the next look at the SDK provider. */
    Duration nextDelay(Snapshot s, Instant now) {
        Optional<Instant> expiration = s.expiration();
        Duration normal;
        if (expiration.isEmpty()) {
            normal = pacing.nonExpiringRecheck();
        } else {
            Duration remaining = Duration.between(now, expiration.get());
            if (remaining.isNegative() || remaining.isZero()) {
                if (!expiredLogged) {
                    expiredLogged = true;
                    LOG.errorf("Credentials (%s) expired at %s and no refresh has succeeded yet", name, expiration.get());
                }
                normal = pacing.minPoll();
            } else {
                normal = clamp(remaining.dividedBy(10), pacing.minPoll(), pacing.maxPoll());
            }
        }
        Duration delay = normal;
        if (s.consecutiveFailures() > 0) {
            int exponent = Math.min(s.consecutiveFailures() - 1, 20);
            Duration backoff = clamp(pacing.initialBackoff().multipliedBy(1L << exponent), pacing.minPoll(), pacing.maxBackoff());
            // Back off, but never past the point where the credentials would expire unchecked.
            Duration cap = expiration.map(e -> Duration.between(now, e).dividedBy(4)).filter(d -> d.compareTo(pacing.minPoll()) > 0)
                    .orElse(pacing.minPoll());
            delay = backoff.compareTo(cap) < 0 ? backoff : cap;
        }
        return jitter(delay);
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    /** ±20 %, so that many gateways started together do not poll in step. */
    private static Duration jitter(Duration d) {
        long ms = d.toMillis();
        long spread = Math.max(1, ms / 5);
        return Duration.ofMillis(Math.max(1, ms - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1)));
    }

    private boolean alreadyReported(Throwable error) {
        Throwable reported = lastReported;
        for (Throwable t = error; t != null && reported != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t == reported) {
                return true;
            }
        }
        return false;
    }

    private static boolean same(AwsCredentials a, AwsCredentials b) {
        if (!Objects.equals(a.accessKeyId(), b.accessKeyId()) || !Objects.equals(a.secretAccessKey(), b.secretAccessKey())) {
            return false;
        }
        String ta = a instanceof AwsSessionCredentials s ? s.sessionToken() : null;
        String tb = b instanceof AwsSessionCredentials s ? s.sessionToken() : null;
        return Objects.equals(ta, tb);
    }

    private <T> T onRefresher(java.util.function.Supplier<T> task) {
        Future<T> future = executor.submit(task::get);
        try {
            return future.get(pacing.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw SdkClientException.create("No answer within " + pacing.startupTimeout().toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkClientException.create("Interrupted while resolving credentials");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw SdkClientException.create("Resolving credentials failed", e.getCause());
        }
    }

    /** STS outcomes, including the SDK's background prefetches; called on SDK threads. */
    private final class StsEvents implements StsCallListener {
        @Override
        public void succeeded(String operation) {
            Snapshot s = snapshot;
            if (s != null && !closed) {
                if (s.consecutiveFailures() > 0) {
                    snapshot = s.withoutFailure();
                    LOG.infof("STS %s (%s) succeeded again after %d failures", operation, name, s.consecutiveFailures());
                }
                // Pick up the new credentials right away rather than at the next regular look.
                try {
                    executor.schedule(RefreshingCredentialsProvider.this::poll, 50, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    // closed meanwhile
                }
            }
        }

        @Override
        public void failed(String operation, Throwable error) {
            Snapshot s = snapshot;
            if (s == null || closed) {
                return; // startup: the exception itself is reported
            }
            lastReported = error;
            String cause = Redact.cause(error);
            Snapshot failed = s.withFailure("STS " + operation + ": " + cause);
            snapshot = failed;
            logFailure("STS " + operation, failed, cause);
        }
    }
}
