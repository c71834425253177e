package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.simulator.credentials.FakeSts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts a fake STS that accepts only the current content of a temporary web identity token file,
 * and configures the gateway for {@code web-identity} the way the EKS IRSA webhook does: role,
 * token file, session name and STS endpoint as the AWS SDK's system properties (AWS_ROLE_ARN,
 * AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_SESSION_NAME, AWS_ENDPOINT_URL_STS).
 */
public class FakeStsWebIdentityTestResource implements QuarkusTestResourceLifecycleManager {

  static final String FIRST_TOKEN = "eyJhbGciOiJSUzI1NiJ9.e2e-first-token.sig";
  static final String SECOND_TOKEN = "eyJhbGciOiJSUzI1NiJ9.e2e-second-token.sig";

  static volatile FakeSts sts;
  static volatile Path tokenFile;
  private Vertx vertx;
  private Path dir;

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("web-identity-e2e");
      tokenFile = dir.resolve("token");
      Files.writeString(tokenFile, FIRST_TOKEN + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    vertx = Vertx.vertx();
    sts =
        new FakeSts(
            vertx,
            new FakeSts.Options()
                .allowRole(CredentialsTestSupport.ROLE_ARN)
                .webIdentityTokenFile(tokenFile));
    sts.start();
    System.setProperty("aws.roleArn", CredentialsTestSupport.ROLE_ARN);
    System.setProperty("aws.webIdentityTokenFile", tokenFile.toString());
    System.setProperty("aws.roleSessionName", "irsa-e2e");
    System.setProperty("aws.endpointUrlSts", sts.endpoint().toString());
    return Map.of("gateway.credentials.strategy", "web-identity");
  }

  @Override
  public void stop() {
    CredentialsTestSupport.stopFake(
        vertx,
        sts,
        "aws.roleArn",
        "aws.webIdentityTokenFile",
        "aws.roleSessionName",
        "aws.endpointUrlSts");
    try {
      if (tokenFile != null) {
        Files.deleteIfExists(tokenFile);
      }
      if (dir != null) {
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      // a leftover temp file is harmless
    }
  }
}
