package io.github.bedrockgateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Pacing;
import io.github.bedrockgateway.simulator.credentials.FakeSts;
import io.github.bedrockgateway.simulator.credentials.IssuedCredentials;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refresh cadence against the fake STS, in virtual time: credentials that live less than the
 * prefetch window are refreshed at half-life, not continuously (before: 93 STS calls in 200 s).
 */
class ShortLivedCredentialsStsTest {

  static Vertx vertx;
  FakeSts sts;
  CredentialsManager manager;
  Path tokenFile;

  @TempDir Path dir;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close();
  }

  @BeforeEach
  void startSts() throws IOException {
    tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, "eyJhbGciOiJSUzI1NiJ9.irsa-token.sig\n");
    sts = new FakeSts(vertx, new FakeSts.Options().webIdentityTokenFile(tokenFile));
    sts.start();
  }

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.shutdown();
    }
    sts.stop();
  }

  /**
   * Virtual time that runs ahead of the fake STS's clock: before each call, the fake is told to
   * issue credentials that expire {@code lifetime} after the <em>virtual</em> now. The fake writes
   * whole seconds and the call takes a moment of real time, so an expiry can land up to a second or
   * two late on a loaded machine.
   */
  private ManualThreads virtualTime(Duration lifetime, List<Instant> fetchedAt) {
    ManualThreads time =
        new ManualThreads(Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));
    time.beforeFetch(
        () -> {
          fetchedAt.add(time.now());
          sts.credentialLifetime(Duration.between(Instant.now(), time.now()).plus(lifetime));
        });
    return time;
  }

  @Test
  void ninety_second_credentials_are_refreshed_at_half_life_with_the_default_prefetch_time() {
    List<Instant> fetchedAt = new ArrayList<>();
    ManualThreads time = virtualTime(Duration.ofSeconds(90), fetchedAt);
    CredentialsSettings settings =
        CredentialsSettings.builder(
                Env.of(
                    Map.of(
                        "AWS_ROLE_ARN", CredentialsTestSupport.ROLE_ARN,
                        "AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile.toString(),
                        "AWS_ENDPOINT_URL_STS", sts.endpoint().toString())))
            .strategy("web-identity")
            .build(); // prefetch-time 5m, stale-time 1m: the defaults
    manager = new CredentialsManager(settings, Pacing.defaults(settings.stsTimeout()), time);
    Instant start = time.now();
    manager.start();

    List<Instant> invalidAt = new ArrayList<>();
    for (int second = 1; second <= 200; second++) {
      time.advance(Duration.ofSeconds(1));
      if (!manager.hasValidCredentials()) {
        invalidAt.add(time.now());
      }
    }

    assertThat(sts.calls()).as("STS calls in 200 s").hasSize(5);
    assertThat(fetchedAt.get(0)).isEqualTo(start);
    for (int i = 1; i < fetchedAt.size(); i++) {
      assertThat(Duration.between(fetchedAt.get(i - 1), fetchedAt.get(i)))
          .as("pause before refresh %d", i)
          .isBetween(Duration.ofSeconds(45), Duration.ofSeconds(47));
    }
    assertThat(sts.issued()).extracting(IssuedCredentials::accessKeyId).doesNotHaveDuplicates();
    assertThat(manager.provider().resolveCredentials().accessKeyId())
        .isEqualTo(sts.issued().get(4).accessKeyId());
    assertThat(invalidAt).as("moments without valid credentials").isEmpty();
    assertThat(manager.lastError()).isEmpty();
  }

  @Test
  void an_hour_long_session_is_refreshed_once_between_the_prefetch_and_the_stale_point() {
    List<Instant> fetchedAt = new ArrayList<>();
    ManualThreads time = virtualTime(Duration.ofHours(1), fetchedAt).random(0.25);
    CredentialsSettings settings =
        CredentialsSettings.builder(
                Env.of(
                    Map.of(
                        "AWS_ROLE_ARN", CredentialsTestSupport.ROLE_ARN,
                        "AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile.toString(),
                        "AWS_ENDPOINT_URL_STS", sts.endpoint().toString())))
            .strategy("web-identity")
            .build();
    manager = new CredentialsManager(settings, Pacing.defaults(settings.stsTimeout()), time);
    Instant start = time.now();
    manager.start();

    time.advance(Duration.ofMinutes(90));

    // 5 minutes before expiry plus a quarter of the 4-minute window: 56 minutes after the session
    // began
    assertThat(fetchedAt).hasSize(2);
    assertThat(Duration.between(start, fetchedAt.get(1)))
        .isBetween(Duration.ofMinutes(56), Duration.ofMinutes(56).plusSeconds(2));
    assertThat(sts.calls()).hasSize(2);
  }
}
