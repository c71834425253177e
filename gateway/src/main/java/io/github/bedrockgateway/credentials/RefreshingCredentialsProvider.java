package io.github.bedrockgateway.credentials;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The gateway's one credentials refresh engine, and the provider it signs with: {@link
 * #resolveCredentials()} is one volatile read, never a network call, a lock or a file read.
 *
 * <p>It alone decides when to go to the credential source ({@link RefreshCadence}); the source has
 * no cache or refresh thread of its own, every {@link Source#fetch()} goes to STS, IMDS, the
 * container agent or the files. At most one attempt runs at a time: the scheduled refresh and
 * {@link #refreshNow()} share it. An attempt that outlives {@link Pacing#attemptTimeout()} counts
 * as failed and the next one is scheduled; if it answers after all, its credentials are taken only
 * if no later attempt has succeeded meanwhile.
 *
 * <p>The state is one immutable {@link Snapshot} replaced by compare-and-set; every snapshot
 * carries the number of the attempt that produced its credentials, and a result (credentials or
 * failure) of an attempt older than the credentials held is dropped. So a late answer can never put
 * older credentials back, whatever thread it arrives on.
 */
public final class RefreshingCredentialsProvider
    implements AwsCredentialsProvider, SdkAutoCloseable {

  private static final Logger LOG = Logger.getLogger(RefreshingCredentialsProvider.class);

  /**
   * Where credentials come from. {@link #fetch()} goes to the source every time (no cache in
   * between) and may block; the engine calls it from one attempt at a time, never from a request.
   */
  public interface Source extends SdkAutoCloseable {
    AwsCredentials fetch();

    @Override
    default void close() {}
  }

  /**
   * The credentials in use and what is known about them. Immutable; replaced as a whole.
   *
   * @param generation the attempt that produced these credentials (attempts are numbered from 1 in
   *     start order)
   * @param credentials what requests sign with
   * @param expiration when they expire, if they do
   * @param obtainedAt when these credentials were first seen
   * @param checkedAt when the source last answered successfully
   * @param lastError the last refresh failure, redacted, until a refresh succeeds
   * @param consecutiveFailures refresh failures since the last success
   * @param failedAttempt the latest attempt whose failure is counted (0: none)
   */
  public record Snapshot(
      long generation,
      AwsCredentials credentials,
      Optional<Instant> expiration,
      Instant obtainedAt,
      Instant checkedAt,
      Optional<String> lastError,
      int consecutiveFailures,
      long failedAttempt) {

    Snapshot withFailure(long attempt, String error) {
      return new Snapshot(
          generation,
          credentials,
          expiration,
          obtainedAt,
          checkedAt,
          Optional.of(error),
          consecutiveFailures + 1,
          attempt);
    }

    boolean validAt(Instant now) {
      return expiration.map(now::isBefore).orElse(true);
    }
  }

  /**
   * Pacing of the engine besides prefetch and stale time (see {@link RefreshCadence}).
   *
   * @param floor shortest pause after a successful refresh (unless the credentials expire first)
   * @param nonExpiringRecheck pause for credentials without expiry (long-term keys: read again in
   *     case they were rotated)
   * @param initialBackoff first retry pause after a failure, doubled per failure
   * @param maxBackoff longest retry pause
   * @param forcedMinInterval {@link #refreshNow()} calls closer together than this share one
   *     attempt
   * @param attemptTimeout an attempt without an answer after this long counts as failed
   */
  public record Pacing(
      Duration floor,
      Duration nonExpiringRecheck,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration forcedMinInterval,
      Duration attemptTimeout) {

    /** Production pacing for the given STS timeout. */
    public static Pacing defaults(Duration stsTimeout) {
      return new Pacing(
          Duration.ofSeconds(15),
          Duration.ofMinutes(5),
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          stsTimeout.multipliedBy(3).plusSeconds(10));
    }
  }

  /** One call to the source. {@code finishedAt} is set once {@link #done} is complete. */
  private static final class Attempt {
    final long number;
    final boolean forced;
    final CompletableFuture<AwsCredentials> done = new CompletableFuture<>();
    volatile Runnable cancelFetch = () -> {};
    volatile Runnable cancelTimeout = () -> {};
    volatile Instant finishedAt;

    Attempt(long number, boolean forced) {
      this.number = number;
      this.forced = forced;
    }
  }

  private final String name;
  private final Source source;
  private final RefreshCadence cadence;
  private final Duration attemptTimeout;
  private final Duration forcedMinInterval;
  private final RefreshThreads threads;

  private final AtomicReference<Snapshot> state = new AtomicReference<>();
  private final AtomicLong attempts = new AtomicLong();
  private final AtomicReference<Attempt> inFlight = new AtomicReference<>();
  private volatile Attempt lastForced;
  private volatile boolean closed;

  /** Touched on the engine thread only. */
  private Runnable nextRefresh;

  private boolean expiredLogged;

  /**
   * @param name what to call these credentials in logs (the strategy name)
   * @param source the credential source; closed with this provider
   * @param prefetch {@code gateway.credentials.prefetch-time}
   * @param stale {@code gateway.credentials.stale-time}
   */
  public RefreshingCredentialsProvider(
      String name, Source source, Duration prefetch, Duration stale, Pacing pacing) {
    this(name, source, prefetch, stale, pacing, RefreshThreads.system(name));
  }

  RefreshingCredentialsProvider(
      String name,
      Source source,
      Duration prefetch,
      Duration stale,
      Pacing pacing,
      RefreshThreads threads) {
    this.name = name;
    this.source = source;
    this.cadence =
        new RefreshCadence(
            prefetch,
            stale,
            pacing.floor(),
            pacing.nonExpiringRecheck(),
            pacing.initialBackoff(),
            pacing.maxBackoff());
    this.attemptTimeout = pacing.attemptTimeout();
    this.forcedMinInterval = pacing.forcedMinInterval();
    this.threads = threads;
  }

  /**
   * Fetches the first credentials (waiting at most the attempt timeout), then keeps them fresh.
   *
   * @throws RuntimeException whatever the first fetch threw; nothing is left running then
   */
  public void start() {
    Attempt first = begin(false);
    try {
      first.done.get(attemptTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      close();
      throw noAnswer();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw SdkClientException.create("Interrupted while resolving credentials");
    } catch (ExecutionException e) {
      close();
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw SdkClientException.create("Resolving credentials failed", e.getCause());
    }
  }

  /** The current credentials, from memory. Never blocks. */
  @Override
  public AwsCredentials resolveCredentials() {
    Snapshot s = state.get();
    if (s == null) {
      throw SdkClientException.create("Credentials (" + name + ") were not resolved at startup");
    }
    return s.credentials();
  }

  /** What is known now; {@code null} before {@link #start()}. */
  public Snapshot snapshot() {
    return state.get();
  }

  /** When credentials different from the previous ones were last obtained (startup counts). */
  public Optional<Instant> lastRefresh() {
    return Optional.ofNullable(state.get()).map(Snapshot::obtainedAt);
  }

  /**
   * Whether the credentials in use have not expired (credentials without expiry always count as
   * valid).
   */
  public boolean hasValidCredentials() {
    Snapshot s = state.get();
    return s != null && s.validAt(threads.clock().instant());
  }

  /**
   * Fetches new credentials from the source now, in the background; requests keep the current ones
   * meanwhile. For when AWS has rejected the current credentials (ExpiredToken,
   * UnrecognizedClient). A call while an attempt is running shares it, and calls within {@link
   * Pacing#forcedMinInterval()} of the last forced attempt share its result, so a burst of rejected
   * requests makes one call to the source. Fails with {@link CredentialsRefreshException} when the
   * source gives no credentials.
   */
  public CompletableFuture<Void> refreshNow() {
    if (closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("Credentials provider is closed"));
    }
    Attempt running = inFlight.get();
    if (running != null) {
      lastForced = running;
    } else {
      Attempt last = lastForced;
      Instant finished = last == null ? null : last.finishedAt;
      if (finished != null
          && threads.clock().instant().isBefore(finished.plus(forcedMinInterval))) {
        running = last;
      } else {
        running = begin(true);
      }
    }
    return running.done.handle(
        (credentials, error) -> {
          if (error != null) {
            throw new CompletionException(
                new CredentialsRefreshException(name, Redact.cause(unwrap(error))));
          }
          return null;
        });
  }

  @Override
  public void close() {
    closed = true;
    threads.shutdown();
    Attempt running = inFlight.getAndSet(null);
    if (running != null) {
      running.cancelFetch.run();
      running.done.completeExceptionally(
          new IllegalStateException("Credentials provider is closed"));
    }
    source.close();
  }

  // --- attempts ---------------------------------------------------------------------------------

  /** The attempt in flight, or a new one started now. */
  private Attempt begin(boolean forced) {
    while (true) {
      Attempt running = inFlight.get();
      if (running != null) {
        return running;
      }
      Attempt attempt = new Attempt(attempts.incrementAndGet(), forced);
      if (inFlight.compareAndSet(null, attempt)) {
        if (forced) {
          lastForced = attempt;
        }
        attempt.cancelTimeout = threads.schedule(attemptTimeout, () -> timedOut(attempt));
        try {
          attempt.cancelFetch = threads.fetch(() -> run(attempt));
        } catch (RejectedExecutionException e) {
          finish(
              attempt,
              null,
              SdkClientException.create(
                  "Earlier calls to the credential source are still hanging"));
        }
        return attempt;
      }
    }
  }

  /** The blocking call, on a fetch thread. */
  private void run(Attempt attempt) {
    AwsCredentials credentials;
    try {
      credentials =
          Objects.requireNonNull(source.fetch(), "the credential source returned nothing");
    } catch (RuntimeException | LinkageError e) {
      finish(attempt, null, e);
      return;
    }
    finish(attempt, credentials, null);
  }

  /** Publishes an attempt's result (on the fetch thread, or wherever the attempt ended). */
  private void finish(Attempt attempt, AwsCredentials credentials, Throwable error) {
    if (credentials != null) {
      accept(attempt.number, credentials, attempt.forced);
    } else {
      reject(attempt.number, error);
    }
    boolean current = inFlight.compareAndSet(attempt, null);
    attempt.finishedAt = threads.clock().instant();
    if (credentials != null) {
      attempt.done.complete(credentials);
    } else {
      attempt.done.completeExceptionally(error);
    }
    if (current) {
      attempt.cancelTimeout.run();
      threads.schedule(Duration.ZERO, this::scheduleNext);
    }
  }

  /** On the engine thread: the attempt took too long; count it as failed and go on. */
  private void timedOut(Attempt attempt) {
    if (!inFlight.compareAndSet(attempt, null)) {
      return; // it finished meanwhile
    }
    attempt.cancelFetch.run();
    RuntimeException error = noAnswer();
    reject(attempt.number, error);
    attempt.finishedAt = threads.clock().instant();
    attempt.done.completeExceptionally(error);
    scheduleNext();
  }

  private SdkClientException noAnswer() {
    return SdkClientException.create(
        "No answer from the credential source within " + attemptTimeout.toSeconds() + " s");
  }

  // --- state (compare-and-set; any thread) ------------------------------------------------------

  /**
   * Takes credentials from attempt {@code n} unless credentials of a later attempt are held
   * already.
   */
  private void accept(long n, AwsCredentials credentials, boolean forced) {
    Snapshot previous;
    Snapshot next;
    do {
      previous = state.get();
      if (previous != null && n <= previous.generation()) {
        LOG.debugf(
            "Credentials (%s) of attempt %d dropped: attempt %d's are newer",
            name, n, previous.generation());
        return;
      }
      Instant now = threads.clock().instant();
      boolean same = previous != null && same(previous.credentials(), credentials);
      next =
          new Snapshot(
              n,
              credentials,
              credentials.expirationTime(),
              same ? previous.obtainedAt() : now,
              now,
              Optional.empty(),
              0,
              previous == null ? 0 : previous.failedAttempt());
    } while (!state.compareAndSet(previous, next));
    if (previous == null || same(previous.credentials(), credentials)) {
      if (previous != null && previous.consecutiveFailures() > 0) {
        LOG.infof(
            "Credentials (%s): the source answers again after %d failed attempts (same credentials)",
            name, previous.consecutiveFailures());
      }
      return;
    }
    String expiry = credentials.expirationTime().map(Instant::toString).orElse("never");
    if (previous.consecutiveFailures() > 0) {
      LOG.infof(
          "Credentials (%s) refreshed after %d failed attempts: access key %s, expires %s",
          name,
          previous.consecutiveFailures(),
          Redact.accessKeyId(credentials.accessKeyId()),
          expiry);
    } else {
      LOG.infof(
          "Credentials (%s) refreshed%s: access key %s, expires %s",
          name, forced ? " on demand" : "", Redact.accessKeyId(credentials.accessKeyId()), expiry);
    }
  }

  /**
   * Counts the failure of attempt {@code n}, unless credentials of that or a later attempt are held
   * (a failure of an attempt older than the credentials in use says nothing about them) or it is
   * counted already (an attempt that timed out and then failed).
   */
  private void reject(long n, Throwable error) {
    String cause = Redact.cause(unwrap(error));
    Snapshot previous;
    Snapshot next;
    do {
      previous = state.get();
      if (previous == null || n <= previous.generation() || n <= previous.failedAttempt()) {
        return; // at startup the exception itself is reported
      }
      next = previous.withFailure(n, cause);
    } while (!state.compareAndSet(previous, next));
    Instant now = threads.clock().instant();
    if (next.validAt(now)) {
      LOG.warnf(
          "Refreshing credentials (%s) failed (%d in a row); the current credentials stay in use until %s and the "
              + "refresh is retried: %s",
          name,
          next.consecutiveFailures(),
          next.expiration().map(Instant::toString).orElse("they are replaced"),
          cause);
    } else {
      LOG.errorf(
          "Refreshing credentials (%s) failed (%d in a row) and the current credentials expired at %s; requests to "
              + "AWS will be rejected until a refresh succeeds: %s",
          name, next.consecutiveFailures(), next.expiration().orElse(null), cause);
    }
  }

  // --- engine thread ----------------------------------------------------------------------------

  private void scheduleNext() {
    if (closed) {
      return;
    }
    if (nextRefresh != null) {
      nextRefresh.run();
    }
    Snapshot s = state.get();
    if (s == null) {
      return;
    }
    Instant now = threads.clock().instant();
    if (s.validAt(now)) {
      expiredLogged = false;
    } else if (!expiredLogged) {
      expiredLogged = true;
      LOG.errorf(
          "Credentials (%s) expired at %s and no refresh has succeeded yet",
          name, s.expiration().orElse(null));
    }
    Duration delay = cadence.next(s.expiration(), s.consecutiveFailures(), now, threads.random());
    nextRefresh =
        threads.schedule(
            delay,
            () -> {
              if (!closed) {
                begin(false);
              }
            });
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean same(AwsCredentials a, AwsCredentials b) {
    if (!Objects.equals(a.accessKeyId(), b.accessKeyId())
        || !Objects.equals(a.secretAccessKey(), b.secretAccessKey())) {
      return false;
    }
    String ta = a instanceof AwsSessionCredentials s ? s.sessionToken() : null;
    String tb = b instanceof AwsSessionCredentials s ? s.sessionToken() : null;
    return Objects.equals(ta, tb);
  }
}
