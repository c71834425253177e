package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.simulator.credentials.FakeContainerCredentials;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * Starts a fake container credentials endpoint (ECS agent / EKS Pod Identity agent) that requires
 * an authorization token, and configures the gateway for {@code container} (or, with the init arg
 * {@code strategy=default}, for the SDK default chain). The AWS SDK's container provider reads its
 * settings from system properties only (AWS_CONTAINER_CREDENTIALS_FULL_URI,
 * AWS_CONTAINER_AUTHORIZATION_TOKEN), so they are set here.
 */
public class FakeContainerCredentialsTestResource implements QuarkusTestResourceLifecycleManager {

  static final String AUTHORIZATION_TOKEN = "EXAMPLE-container-authorization-token-e2e";

  static volatile FakeContainerCredentials agent;
  private Vertx vertx;
  private String strategy = "container";

  /**
   * Init arg {@code strategy}: {@code container} (default) or {@code default} (the SDK chain finds
   * the agent).
   */
  @Override
  public void init(Map<String, String> initArgs) {
    strategy = initArgs.getOrDefault("strategy", "container");
  }

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    agent =
        new FakeContainerCredentials(
            vertx, new FakeContainerCredentials.Options().authorizationToken(AUTHORIZATION_TOKEN));
    agent.start();
    System.setProperty("aws.containerCredentialsFullUri", agent.fullUri());
    System.setProperty("aws.containerAuthorizationToken", AUTHORIZATION_TOKEN);
    return Map.of("gateway.credentials.strategy", strategy);
  }

  @Override
  public void stop() {
    CredentialsTestSupport.stopFake(
        vertx, agent, "aws.containerCredentialsFullUri", "aws.containerAuthorizationToken");
  }
}
