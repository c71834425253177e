package io.github.bedrockgateway.observability;

import jakarta.inject.Singleton;

import io.github.bedrockgateway.credentials.CredentialsManager;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/** Gauges over the credentials the gateway signs with: when they expire, when they were last refreshed. */
@Startup
@Singleton
public class CredentialsMetrics {

    CredentialsMetrics(MeterRegistry registry, CredentialsManager credentials) {
        Gauge.builder("gateway.credentials.expiry.timestamp", credentials,
                c -> c.expiration().map(i -> (double) i.getEpochSecond()).orElse(Double.NaN))
                .description("Expiry of the current AWS credentials, Unix seconds (NaN when they do not expire)")
                .baseUnit("seconds").register(registry);
        Gauge.builder("gateway.credentials.last.refresh.timestamp", credentials,
                c -> c.lastRefresh().map(i -> (double) i.getEpochSecond()).orElse(Double.NaN))
                .description("Last successful credentials refresh, Unix seconds").baseUnit("seconds").register(registry);
        Gauge.builder("gateway.credentials.valid", credentials, c -> c.hasValidCredentials() ? 1 : 0)
                .description("1 while the gateway holds valid AWS credentials").register(registry);
        Gauge.builder("gateway.credentials.refresh.failing", credentials, c -> c.lastError().isPresent() ? 1 : 0)
                .description("1 while the last credentials refresh failed").register(registry);
    }
}
