package io.github.bedrockgateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The refresh engine alone, over a counting source. */
class RefreshingCredentialsProviderTest {

  static final Duration PREFETCH = Duration.ofMinutes(5);
  static final Duration STALE = Duration.ofMinutes(1);
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  RefreshingCredentialsProvider provider;

  @AfterEach
  void close() {
    if (provider != null) {
      provider.close();
    }
  }

  static AwsCredentials session(int n, Instant expiry) {
    return AwsSessionCredentials.builder()
        .accessKeyId("ASIAEXAMPLETEST%05d".formatted(n))
        .secretAccessKey("EXAMPLE-secret-" + n)
        .sessionToken("EXAMPLE-token-" + n)
        .expirationTime(expiry)
        .build();
  }

  static String key(int n) {
    return "ASIAEXAMPLETEST%05d".formatted(n);
  }

  /** A source whose n-th fetch (from 1) answers {@code answer.apply(n)}. */
  static RefreshingCredentialsProvider.Source counting(
      AtomicInteger fetches, IntFunction<AwsCredentials> answer) {
    return () -> answer.apply(fetches.incrementAndGet());
  }

  @Test
  void refresh_requests_arriving_together_make_one_call_to_the_source() throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    provider =
        new RefreshingCredentialsProvider(
            "test",
            counting(
                fetches,
                n -> {
                  if (n > 1) {
                    await(release);
                  }
                  return session(n, Instant.now().plusSeconds(3600));
                }),
            PREFETCH,
            STALE,
            CredentialsTestSupport.FAST);
    provider.start();

    List<CompletableFuture<Void>> burst =
        List.of(provider.refreshNow(), provider.refreshNow(), provider.refreshNow());
    release.countDown();
    CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

    assertThat(fetches).hasValue(2);
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo(key(2));
  }

  @Test
  void a_failed_refresh_now_keeps_the_current_credentials_and_reports_the_cause() {
    AtomicInteger fetches = new AtomicInteger();
    provider =
        new RefreshingCredentialsProvider(
            "test",
            counting(
                fetches,
                n -> {
                  if (n > 1) {
                    throw SdkClientException.create("source down");
                  }
                  return session(n, Instant.now().plusSeconds(3600));
                }),
            PREFETCH,
            STALE,
            CredentialsTestSupport.FAST);
    provider.start();

    assertThatThrownBy(() -> provider.refreshNow().get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(CredentialsRefreshException.class)
        .hasMessage("Refreshing credentials (test) failed: SdkClientException: source down");
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo(key(1));
    assertThat(provider.snapshot().lastError()).contains("SdkClientException: source down");
    assertThat(provider.hasValidCredentials()).isTrue();
  }

  @Test
  void a_first_fetch_that_fails_fails_start_with_its_own_exception() {
    provider =
        new RefreshingCredentialsProvider(
            "test",
            () -> {
              throw SdkClientException.create("no credentials here");
            },
            PREFETCH,
            STALE,
            CredentialsTestSupport.FAST,
            new ManualThreads(T0));

    assertThatThrownBy(provider::start)
        .isInstanceOf(SdkClientException.class)
        .hasMessage("no credentials here");
  }

  /**
   * A source that answers what the test put in {@link #next} (a held fetch reads it when the test
   * runs it).
   */
  static final class Scripted implements RefreshingCredentialsProvider.Source {
    volatile java.util.function.Supplier<AwsCredentials> next;

    Scripted answer(java.util.function.Supplier<AwsCredentials> answer) {
      this.next = answer;
      return this;
    }

    @Override
    public AwsCredentials fetch() {
      return next.get();
    }
  }

  /**
   * Starts with credentials #1; then attempt 2 hangs past its timeout and attempt 3 starts: both
   * held.
   */
  private List<Runnable> twoHeldAttempts(ManualThreads time, Scripted source) {
    provider =
        new RefreshingCredentialsProvider(
            "test",
            source.answer(() -> session(1, T0.plus(Duration.ofHours(1)))),
            PREFETCH,
            STALE,
            CredentialsTestSupport.FAST,
            time);
    provider.start();
    time.holdFetches(true);
    provider.refreshNow(); // attempt 2: its fetch hangs
    time.advance(
        CredentialsTestSupport.FAST.attemptTimeout()); // ... past its timeout: counted as failed
    assertThat(provider.snapshot().consecutiveFailures()).isEqualTo(1);
    assertThat(provider.snapshot().lastError())
        .hasValueSatisfying(e -> assertThat(e).contains("No answer"));
    time.advance(Duration.ofSeconds(2)); // the retry, attempt 3, starts
    assertThat(time.heldFetches()).hasSize(2);
    return time.heldFetches();
  }

  /**
   * The two writers of the old engine, interleaved: an attempt that answered too late (the engine
   * had given up on it, and a later attempt succeeded meanwhile) publishes older credentials. They
   * must not replace what the later attempt got. (The old engine let an STS failure report computed
   * from an older snapshot overwrite newer credentials.)
   */
  @Test
  void a_late_answer_of_an_abandoned_attempt_never_replaces_newer_credentials() {
    ManualThreads time = new ManualThreads(T0);
    Scripted source = new Scripted();
    List<Runnable> held = twoHeldAttempts(time, source);

    source.answer(() -> session(3, T0.plus(Duration.ofHours(2))));
    held.get(1).run(); // attempt 3 answers first
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo(key(3));
    assertThat(provider.snapshot().lastError()).isEmpty();
    long newest = provider.snapshot().generation();

    source.answer(() -> session(2, T0.plus(Duration.ofHours(1)).plusSeconds(30)));
    held.get(0).run(); // attempt 2 answers late

    assertThat(provider.resolveCredentials().accessKeyId())
        .as("credentials of the later attempt stay")
        .isEqualTo(key(3));
    assertThat(provider.snapshot().generation()).isEqualTo(newest);
    assertThat(provider.snapshot().lastError()).isEmpty();
    assertThat(provider.snapshot().consecutiveFailures()).isZero();
  }

  @Test
  void a_late_failure_of_an_older_attempt_does_not_mark_newer_credentials_as_failing() {
    ManualThreads time = new ManualThreads(T0);
    Scripted source = new Scripted();
    List<Runnable> held = twoHeldAttempts(time, source);

    source.answer(() -> session(3, T0.plus(Duration.ofHours(2))));
    held.get(1).run();
    source.answer(
        () -> {
          throw SdkClientException.create("attempt 2 failed, late");
        });
    held.get(0).run();

    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo(key(3));
    assertThat(provider.snapshot().lastError()).isEmpty();
    assertThat(provider.snapshot().consecutiveFailures()).isZero();
  }

  @Test
  void a_late_answer_is_taken_when_nothing_newer_arrived_meanwhile() {
    ManualThreads time = new ManualThreads(T0);
    Scripted source = new Scripted();
    List<Runnable> held = twoHeldAttempts(time, source);

    source.answer(() -> session(2, T0.plus(Duration.ofHours(2))));
    held.get(0).run(); // attempt 2 answers late, attempt 3 is still out

    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo(key(2));
    assertThat(provider.snapshot().lastError()).isEmpty();
  }

  @Test
  void no_refresh_starts_while_fresh_credentials_are_held() {
    ManualThreads time = new ManualThreads(T0);
    AtomicInteger fetches = new AtomicInteger();
    provider =
        new RefreshingCredentialsProvider(
            "test",
            counting(fetches, n -> session(n, time.now().plus(Duration.ofHours(1)))),
            PREFETCH,
            STALE,
            CredentialsTestSupport.FAST,
            time.random(0));
    provider.start();

    time.advance(Duration.ofMinutes(54).plusSeconds(59));
    assertThat(fetches).as("before the prefetch point").hasValue(1);
    time.advance(Duration.ofSeconds(1));
    assertThat(fetches).as("at the prefetch point").hasValue(2);
    time.advance(Duration.ofMinutes(54).plusSeconds(59));
    assertThat(fetches).hasValue(2);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
