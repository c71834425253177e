package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.simulator.credentials.FakeImds;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * Starts a fake EC2 instance metadata service and configures the gateway for {@code instance-role},
 * the endpoint as the AWS SDK's system property (AWS_EC2_METADATA_SERVICE_ENDPOINT).
 */
public class FakeImdsTestResource implements QuarkusTestResourceLifecycleManager {

  static volatile FakeImds imds;
  private Vertx vertx;

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    imds = new FakeImds(vertx, new FakeImds.Options().roleName("gateway-e2e-instance-role"));
    imds.start();
    System.setProperty("aws.ec2MetadataServiceEndpoint", imds.endpoint().toString());
    // The SDK gives each IMDS call 1 s (AWS_METADATA_SERVICE_TIMEOUT); a fresh fake on a busy test
    // machine can miss that at startup, which would fail the app start rather than test anything.
    System.setProperty("aws.ec2MetadataServiceTimeout", "10");
    return Map.of("gateway.credentials.strategy", "instance-role");
  }

  @Override
  public void stop() {
    CredentialsTestSupport.stopFake(
        vertx, imds, "aws.ec2MetadataServiceEndpoint", "aws.ec2MetadataServiceTimeout");
  }
}
