package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.simulator.credentials.FakeSts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * Starts a fake STS for a {@code @QuarkusTest} and configures the gateway for {@code assume-role}
 * with static base keys. The base keys and the STS endpoint are system properties (the names the
 * AWS SDK reads), the gateway settings are returned as configuration.
 */
public class FakeStsTestResource implements QuarkusTestResourceLifecycleManager {

  static volatile FakeSts sts;
  private Vertx vertx;

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    sts = new FakeSts(vertx, new FakeSts.Options().allowRole(CredentialsTestSupport.ROLE_ARN));
    sts.start();
    sts.registerCredentials(
        CredentialsTestSupport.BASE_KEY_ID, CredentialsTestSupport.BASE_SECRET, null);
    System.setProperty("aws.accessKeyId", CredentialsTestSupport.BASE_KEY_ID);
    System.setProperty("aws.secretAccessKey", CredentialsTestSupport.BASE_SECRET);
    System.setProperty("aws.endpointUrlSts", sts.endpoint().toString());
    return Map.of(
        "gateway.region", "eu-west-1",
        "gateway.credentials.strategy", "assume-role",
        "gateway.credentials.source", "static",
        "gateway.credentials.role-arn", CredentialsTestSupport.ROLE_ARN,
        "gateway.credentials.role-session-name", "quarkus-test");
  }

  @Override
  public void stop() {
    CredentialsTestSupport.stopFake(
        vertx, sts, "aws.accessKeyId", "aws.secretAccessKey", "aws.endpointUrlSts");
  }
}
