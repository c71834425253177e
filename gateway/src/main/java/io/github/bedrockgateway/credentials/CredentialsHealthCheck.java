package io.github.bedrockgateway.credentials;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: DOWN only while the gateway has no valid credentials to sign with (expired and not yet
 * refreshed, or an expired short-term Bedrock API key). A failing refresh with credentials still
 * valid stays UP and shows {@code lastError}. With {@code bedrock-api-key} the data also tell the
 * key's fingerprint, type and source; never the key. Liveness is not affected: restarting would not
 * bring credentials back.
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
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named(NAME)
            .withData("strategy", manager.strategyName())
            .withData("identity", manager.identity())
            .withData("expiresAt", manager.expiration().map(Instant::toString).orElse("never"))
            .withData("lastRefresh", manager.lastRefresh().map(Instant::toString).orElse("never"));
    manager.lastError().ifPresent(e -> response.withData("lastError", e));
    manager
        .apiKeyState()
        .ifPresent(
            k ->
                response
                    .withData("keyFingerprint", k.key().fingerprint())
                    .withData("keyType", k.key().kind().toString())
                    .withData(
                        "keySource", manager.apiKeyOrigin().map(Object::toString).orElse("?")));
    if (manager.hasValidCredentials()) {
      return response.up().build();
    }
    if (manager.apiKeyState().isPresent()) {
      return response
          .withData(
              "reason",
              "the Bedrock API key ("
                  + manager.apiKeyState().get().key().describe()
                  + ") expired at "
                  + manager.expiration().map(Instant::toString).orElse("?")
                  + "; Bedrock refuses it until a new key is "
                  + (manager.apiKeyOrigin().orElse(null)
                          instanceof BedrockApiKeyProvider.Origin.File f
                      ? "written to " + f.path()
                      : "set in AWS_BEARER_TOKEN_BEDROCK and the gateway restarted"))
          .down()
          .build();
    }
    String reason =
        manager.lastRefresh().isEmpty()
            ? "credentials are not resolved yet"
            : "credentials expired at "
                + manager.expiration().map(Instant::toString).orElse("?")
                + " and no refresh has succeeded since"
                + manager.lastError().map(e -> " (" + e + ")").orElse("");
    return response.withData("reason", reason).down().build();
  }
}
