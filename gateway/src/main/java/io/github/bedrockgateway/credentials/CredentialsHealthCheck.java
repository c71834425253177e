package io.github.bedrockgateway.credentials;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: DOWN only while the gateway has no valid credentials to sign with (expired and not yet
 * refreshed). A failing refresh with credentials still valid stays UP and shows {@code lastError}.
 * Liveness is not affected: restarting would not bring credentials back.
 */
@Readiness
@ApplicationScoped
public class CredentialsHealthCheck implements HealthCheck {

    static final String NAME = "aws-credentials";

    private final CredentialsManager manager;

    @Inject
    public CredentialsHealthCheck(CredentialsManager manager) {
        this.manager = manager;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .withData("strategy", manager.strategyName())
                .withData("identity", manager.identity())
                .withData("expiresAt", manager.expiration().map(Instant::toString).orElse("never"))
                .withData("lastRefresh", manager.lastRefresh().map(Instant::toString).orElse("never"));
        manager.lastError().ifPresent(e -> response.withData("lastError", e));
        if (manager.hasValidCredentials()) {
            return response.up().build();
        }
        String reason = manager.lastRefresh().isEmpty()
                ? "credentials are not resolved yet"
                : "credentials expired at " + manager.expiration().map(Instant::toString).orElse("?")
                        + " and no refresh has succeeded since" + manager.lastError().map(e -> " (" + e + ")").orElse("");
        return response.withData("reason", reason).down().build();
    }
}
