package io.github.bedrockgateway.observability;

import io.github.bedrockgateway.credentials.CredentialsManager;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;

/**
 * Gauges over the credentials the gateway signs with (AWS credentials, or the Bedrock API key of
 * strategy {@code bedrock-api-key}): when they expire and how long that is from now, when they were
 * last refreshed, whether they are valid.
 */
@Startup
@Singleton
public class CredentialsMetrics {

  CredentialsMetrics(MeterRegistry registry, CredentialsManager credentials) {
    Gauge.builder(
            "gateway.credentials.expiry.timestamp",
            credentials,
            c -> c.expiration().map(i -> (double) i.getEpochSecond()).orElse(Double.NaN))
        .description(
            "Expiry of the current AWS credentials, Unix seconds (NaN when they do not expire)")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder(
            "gateway.credentials.last.refresh.timestamp",
            credentials,
            c -> c.lastRefresh().map(i -> (double) i.getEpochSecond()).orElse(Double.NaN))
        .description("Last successful credentials refresh, Unix seconds")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder(
            "gateway.credentials.remaining",
            credentials,
            c ->
                c.expiration()
                    .map(i -> Duration.between(Instant.now(), i).toMillis() / 1000.0)
                    .orElse(Double.NaN))
        .description(
            "Seconds until the current AWS credentials or short-term Bedrock API key expire (negative once "
                + "expired, NaN when they do not expire)")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("gateway.credentials.valid", credentials, c -> c.hasValidCredentials() ? 1 : 0)
        .description("1 while the gateway holds valid AWS credentials")
        .register(registry);
    Gauge.builder(
            "gateway.credentials.refresh.failing",
            credentials,
            c -> c.lastError().isPresent() ? 1 : 0)
        .description("1 while the last credentials refresh failed")
        .register(registry);
  }
}
