package io.github.bedrockgateway.credentials;

import static io.github.bedrockgateway.credentials.CredentialsTestSupport.BASE_KEY_ID;
import static io.github.bedrockgateway.credentials.CredentialsTestSupport.BASE_SECRET;
import static io.github.bedrockgateway.credentials.CredentialsTestSupport.ROLE_ARN;
import static io.github.bedrockgateway.credentials.CredentialsTestSupport.baseEnv;
import static io.github.bedrockgateway.credentials.CredentialsTestSupport.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Pacing;
import io.github.bedrockgateway.simulator.credentials.FakeSts;
import io.github.bedrockgateway.simulator.credentials.IssuedCredentials;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The request path never waits for STS: credentials live 20 s here and STS is slow or down, while a
 * loop standing in for requests resolves credentials every 200 ms.
 */
class CredentialsRefreshStsTest {

  /** Production pacing, except the backoff cap, scaled to 20-second credentials. */
  static final Pacing PACING =
      new Pacing(
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          Duration.ofSeconds(1),
          Duration.ofSeconds(4),
          Duration.ofSeconds(1),
          Duration.ofSeconds(30));

  static Vertx vertx;
  FakeSts sts;
  CredentialsManager manager;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close();
  }

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.shutdown();
    }
    if (sts != null) {
      sts.stop();
    }
  }

  private void start(Duration lifetime, Duration answerDelay, Duration prefetch, Duration stale) {
    sts =
        new FakeSts(
            vertx, new FakeSts.Options().credentialLifetime(lifetime).answerDelay(answerDelay));
    sts.start();
    sts.registerCredentials(BASE_KEY_ID, BASE_SECRET, null);
    manager =
        new CredentialsManager(
            CredentialsSettings.builder(Env.of(baseEnv(sts.endpoint().toString())))
                .strategy("assume-role")
                .source("static")
                .roleArn(ROLE_ARN)
                .prefetchTime(prefetch)
                .staleTime(stale)
                .stsTimeout(Duration.ofSeconds(5))
                .build(),
            PACING);
    manager.start();
  }

  /** What the request loop saw. */
  record Observed(
      long maxResolveNanos,
      long p95ResolveNanos,
      Set<String> keys,
      int expiredUses,
      int lastErrorSamples,
      int invalidSamples,
      int rounds) {}

  private Observed requestLoop(Duration length, Function<Duration, Runnable> atElapsed) {
    AwsCredentialsProvider provider = manager.provider();
    Map<String, Instant> expiryByKey =
        sts.issued().stream()
            .collect(
                Collectors.toMap(IssuedCredentials::accessKeyId, IssuedCredentials::expiration));
    sts.onIssued(c -> expiryByKey.put(c.accessKeyId(), c.expiration()));
    Instant start = Instant.now();
    long max = 0;
    java.util.List<Long> durations = new java.util.ArrayList<>();
    Set<String> keys = new LinkedHashSet<>();
    int expiredUses = 0;
    int errorSamples = 0;
    int invalid = 0;
    int rounds = 0;
    while (Duration.between(start, Instant.now()).compareTo(length) < 0) {
      Runnable action = atElapsed.apply(Duration.between(start, Instant.now()));
      if (action != null) {
        action.run();
      }
      long t0 = System.nanoTime();
      AwsCredentials credentials = provider.resolveCredentials();
      long took = System.nanoTime() - t0;
      max = Math.max(max, took);
      durations.add(took);
      keys.add(credentials.accessKeyId());
      Instant expiry = expiryByKey.get(credentials.accessKeyId());
      if (expiry == null || !Instant.now().isBefore(expiry)) {
        expiredUses++;
      }
      if (manager.lastError().isPresent()) {
        errorSamples++;
      }
      if (!manager.hasValidCredentials()) {
        invalid++;
      }
      rounds++;
      sleep(200);
    }
    java.util.Collections.sort(durations);
    long p95 = durations.get((int) (durations.size() * 0.95));
    return new Observed(max, p95, keys, expiredUses, errorSamples, invalid, rounds);
  }

  @Test
  void a_slow_sts_never_delays_a_request_and_sessions_are_replaced_ahead_of_expiry() {
    // 20-second sessions, STS answers after 2.5 s; refresh starts 12 s before expiry.
    start(
        Duration.ofSeconds(20),
        Duration.ofMillis(2500),
        Duration.ofSeconds(12),
        Duration.ofSeconds(6));

    Observed seen = requestLoop(Duration.ofSeconds(25), elapsed -> null);

    // Far below the STS delay even on a loaded machine; typically a few microseconds.
    assertThat(seen.maxResolveNanos())
        .as("slowest resolve, ns")
        .isLessThan(Duration.ofMillis(500).toNanos());
    assertThat(seen.p95ResolveNanos())
        .as("95th percentile resolve, ns")
        .isLessThan(Duration.ofMillis(5).toNanos());
    assertThat(seen.keys()).as("sessions used").hasSizeGreaterThanOrEqualTo(3);
    assertThat(seen.expiredUses()).as("resolutions that returned expired credentials").isZero();
    assertThat(seen.invalidSamples()).isZero();
    assertThat(seen.lastErrorSamples()).isZero();
    assertThat(seen.rounds()).isGreaterThan(100);
  }

  @Test
  void
      while_sts_is_down_requests_keep_the_valid_credentials_and_the_refresh_is_retried_until_it_succeeds() {
    start(Duration.ofSeconds(20), Duration.ZERO, Duration.ofSeconds(14), Duration.ofSeconds(8));
    String first = manager.provider().resolveCredentials().accessKeyId();
    boolean[] down = new boolean[1];
    boolean[] restored = new boolean[1];

    // STS refuses connections from 1 s to 15 s: through the prefetch (6 s) and stale (12 s) points.
    Observed seen =
        requestLoop(
            Duration.ofSeconds(19),
            elapsed -> {
              if (!down[0] && elapsed.compareTo(Duration.ofSeconds(1)) >= 0) {
                down[0] = true;
                return () -> sts.outage(FakeSts.Outage.REFUSE_CONNECTIONS);
              }
              if (!restored[0] && elapsed.compareTo(Duration.ofSeconds(15)) >= 0) {
                restored[0] = true;
                return sts::restore;
              }
              return null;
            });

    // Far below the STS delay even on a loaded machine; typically a few microseconds.
    assertThat(seen.maxResolveNanos())
        .as("slowest resolve, ns")
        .isLessThan(Duration.ofMillis(500).toNanos());
    assertThat(seen.p95ResolveNanos())
        .as("95th percentile resolve, ns")
        .isLessThan(Duration.ofMillis(5).toNanos());
    assertThat(seen.expiredUses()).isZero();
    assertThat(seen.invalidSamples()).isZero();
    assertThat(seen.lastErrorSamples()).as("rounds showing the refresh failure").isGreaterThan(5);
    assertThat(seen.keys()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(manager.provider().resolveCredentials().accessKeyId()).isNotEqualTo(first);
    assertThat(manager.lastError()).isEmpty();
    assertThat(manager.hasValidCredentials()).isTrue();
  }
}
