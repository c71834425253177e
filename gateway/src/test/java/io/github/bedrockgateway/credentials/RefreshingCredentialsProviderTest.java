package io.github.bedrockgateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Snapshot;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The caching provider alone, over a counting source. */
class RefreshingCredentialsProviderTest {

    RefreshingCredentialsProvider provider;

    @AfterEach
    void close() {
        if (provider != null) {
            provider.close();
        }
    }

    static AwsCredentials session(int n, Instant expiry) {
        return AwsSessionCredentials.builder().accessKeyId("ASIAEXAMPLETEST%05d".formatted(n)).secretAccessKey("EXAMPLE-secret-" + n)
                .sessionToken("EXAMPLE-token-" + n).expirationTime(expiry).build();
    }

    @Test
    void refresh_requests_arriving_together_make_one_call_to_the_source() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        provider = new RefreshingCredentialsProvider("test", listener -> {
            int n = builds.incrementAndGet();
            return ProviderHandle.of(() -> {
                if (n > 1) {
                    await(release);
                }
                return session(n, Instant.now().plusSeconds(3600));
            });
        }, CredentialsTestSupport.FAST, Clock.systemUTC());
        provider.start();

        List<CompletableFuture<Void>> burst = List.of(provider.refreshNow(), provider.refreshNow(), provider.refreshNow());
        release.countDown();
        CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

        assertThat(builds).hasValue(2);
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIAEXAMPLETEST00002");
    }

    @Test
    void a_failed_refresh_now_keeps_the_current_credentials_and_reports_the_cause() {
        AtomicInteger builds = new AtomicInteger();
        provider = new RefreshingCredentialsProvider("test", listener -> {
            int n = builds.incrementAndGet();
            return ProviderHandle.of(() -> {
                if (n > 1) {
                    throw SdkClientException.create("source down");
                }
                return session(n, Instant.now().plusSeconds(3600));
            });
        }, CredentialsTestSupport.FAST, Clock.systemUTC());
        provider.start();

        assertThatThrownBy(() -> provider.refreshNow().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(CredentialsRefreshException.class)
                .hasMessage("Refreshing credentials (test) failed: SdkClientException: source down");
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIAEXAMPLETEST00001");
        assertThat(provider.snapshot().lastError()).contains("SdkClientException: source down");
        assertThat(provider.hasValidCredentials()).isTrue();
    }

    @Test
    void polls_quicken_as_expiry_nears_and_back_off_after_failures() {
        provider = new RefreshingCredentialsProvider("test", l -> ProviderHandle.of(() -> session(1, null)),
                RefreshingCredentialsProvider.Pacing.defaults(Duration.ofSeconds(10)), Clock.systemUTC());
        Instant now = Instant.now();
        Snapshot hourLeft = new Snapshot(session(1, now.plusSeconds(3600)), Optional.of(now.plusSeconds(3600)), now, Optional.empty(), 0);
        Snapshot minuteLeft = new Snapshot(session(1, now.plusSeconds(60)), Optional.of(now.plusSeconds(60)), now, Optional.empty(), 0);
        Snapshot noExpiry = new Snapshot(session(1, null), Optional.empty(), now, Optional.empty(), 0);

        assertThat(provider.nextDelay(hourLeft, now)).isBetween(Duration.ofSeconds(24), Duration.ofSeconds(36));
        assertThat(provider.nextDelay(minuteLeft, now)).isBetween(Duration.ofMillis(4800), Duration.ofMillis(7200));
        assertThat(provider.nextDelay(noExpiry, now)).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(6));
        Snapshot failing = hourLeft.withFailure("x").withFailure("x").withFailure("x");
        assertThat(provider.nextDelay(failing, now)).isBetween(Duration.ofMillis(3200), Duration.ofMillis(4800));
        Snapshot failingNearExpiry = new Snapshot(session(1, now.plusSeconds(8)), Optional.of(now.plusSeconds(8)), now, Optional.of("x"), 6);
        assertThat(provider.nextDelay(failingNearExpiry, now)).as("backoff capped near expiry").isLessThanOrEqualTo(Duration.ofMillis(2400));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
