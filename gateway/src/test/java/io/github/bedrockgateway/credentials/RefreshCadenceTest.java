package io.github.bedrockgateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** When the next refresh starts: the rule of docs/credentials.md#refresh, case by case. */
class RefreshCadenceTest {

  /**
   * Production values: prefetch 5 min, stale 1 min, floor 15 s, recheck 5 min, backoff 1 s to 30 s.
   */
  static final RefreshCadence PRODUCTION =
      new RefreshCadence(
          Duration.ofMinutes(5),
          Duration.ofMinutes(1),
          Duration.ofSeconds(15),
          Duration.ofMinutes(5),
          Duration.ofSeconds(1),
          Duration.ofSeconds(30));

  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  record Case(String name, Duration remaining, int failures, double random, Duration expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "an hour-long session, earliest jitter: at the prefetch point",
            Duration.ofHours(1),
            0,
            0.0,
            Duration.ofMinutes(55)),
        new Case(
            "an hour-long session, latest jitter: at the stale point",
            Duration.ofHours(1),
            0,
            0.999_999,
            Duration.ofMinutes(59)),
        new Case(
            "an hour-long session, middle jitter",
            Duration.ofHours(1),
            0,
            0.5,
            Duration.ofMinutes(57)),
        new Case(
            "15-minute IRSA session: still the prefetch window",
            Duration.ofMinutes(15),
            0,
            0.0,
            Duration.ofMinutes(10)),
        new Case(
            "8-minute session: half-life beats the prefetch point",
            Duration.ofMinutes(8),
            0,
            0.0,
            Duration.ofMinutes(4)),
        new Case(
            "90-second credentials: half-life",
            Duration.ofSeconds(90),
            0,
            0.5,
            Duration.ofSeconds(45)),
        new Case(
            "20 seconds left: the floor", Duration.ofSeconds(20), 0, 0.5, Duration.ofSeconds(15)),
        new Case(
            "8 seconds left: three quarters, before they expire",
            Duration.ofSeconds(8),
            0,
            0.5,
            Duration.ofSeconds(6)),
        new Case("no expiry: recheck", null, 0, 0.5, Duration.ofMinutes(5)),
        new Case(
            "first failure, an hour left: 1 s", Duration.ofHours(1), 1, 0.5, Duration.ofSeconds(1)),
        new Case("third failure: 4 s", Duration.ofHours(1), 3, 0.5, Duration.ofSeconds(4)),
        new Case(
            "tenth failure: capped at 30 s", Duration.ofHours(1), 10, 0.5, Duration.ofSeconds(30)),
        new Case(
            "tenth failure, 40 s left: a quarter of what is left",
            Duration.ofSeconds(40),
            10,
            0.5,
            Duration.ofSeconds(10)),
        new Case(
            "tenth failure, 2 s left: never below the first backoff",
            Duration.ofSeconds(2),
            10,
            0.5,
            Duration.ofSeconds(1)),
        new Case(
            "tenth failure, expired: the full backoff",
            Duration.ofSeconds(-5),
            10,
            0.5,
            Duration.ofSeconds(30)),
        new Case(
            "expired without a failure counted: first backoff",
            Duration.ofSeconds(-5),
            0,
            0.5,
            Duration.ofSeconds(1)),
        new Case(
            "backoff jitter low end: -20 %", Duration.ofHours(1), 3, 0.0, Duration.ofMillis(3200)),
        new Case(
            "backoff jitter high end: +20 %",
            Duration.ofHours(1), 3, 0.999_999, Duration.ofMillis(4800)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void the_next_refresh_follows_the_documented_rule(Case c) {
    Optional<Instant> expiration = Optional.ofNullable(c.remaining()).map(NOW::plus);
    assertThat(PRODUCTION.next(expiration, c.failures(), NOW, c.random())).isEqualTo(c.expected());
  }
}
