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
 * Writes temporary AWS config and credentials files and configures the gateway for {@code profile}
 * with the profile named by the init arg {@code profile}: {@value #STATIC_PROFILE} (keys in the
 * credentials file) or {@value #CHAINED_PROFILE} ({@code role_arn} + {@code source_profile} against
 * a fake STS). The file locations and the STS endpoint are the AWS SDK's system properties
 * (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_ENDPOINT_URL_STS).
 */
public class ProfileFilesTestResource implements QuarkusTestResourceLifecycleManager {

  static final String STATIC_PROFILE = "gateway-keys";
  static final String CHAINED_PROFILE = "gateway-role";
  static final String PROFILE_KEY_ID = "AKIAEXAMPLEPROFILE01";
  static final String PROFILE_SECRET = "EXAMPLE-profile-secret-0123456789abcdefg";
  static final String CHAINED_SESSION_NAME = "profile-chain-e2e";

  static volatile FakeSts sts;
  private Vertx vertx;
  private Path dir;
  private String profile = STATIC_PROFILE;

  @Override
  public void init(Map<String, String> initArgs) {
    profile = initArgs.getOrDefault("profile", STATIC_PROFILE);
  }

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    sts = new FakeSts(vertx, new FakeSts.Options().allowRole(CredentialsTestSupport.ROLE_ARN));
    sts.start();
    sts.registerCredentials(
        CredentialsTestSupport.BASE_KEY_ID, CredentialsTestSupport.BASE_SECRET, null);
    Path config;
    Path credentials;
    try {
      dir = Files.createTempDirectory("profile-e2e");
      config = dir.resolve("config");
      credentials = dir.resolve("credentials");
      Files.writeString(
          config,
          """
                    [default]
                    region = us-east-1

                    [profile %s]
                    region = us-east-1

                    [profile %s]
                    role_arn = %s
                    source_profile = base
                    role_session_name = %s
                    region = us-east-1
                    """
              .formatted(
                  STATIC_PROFILE,
                  CHAINED_PROFILE,
                  CredentialsTestSupport.ROLE_ARN,
                  CHAINED_SESSION_NAME));
      Files.writeString(
          credentials,
          """
                    [%s]
                    aws_access_key_id = %s
                    aws_secret_access_key = %s

                    [base]
                    aws_access_key_id = %s
                    aws_secret_access_key = %s
                    """
              .formatted(
                  STATIC_PROFILE,
                  PROFILE_KEY_ID,
                  PROFILE_SECRET,
                  CredentialsTestSupport.BASE_KEY_ID,
                  CredentialsTestSupport.BASE_SECRET));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.setProperty("aws.configFile", config.toString());
    System.setProperty("aws.sharedCredentialsFile", credentials.toString());
    System.setProperty("aws.endpointUrlSts", sts.endpoint().toString());
    return Map.of(
        "gateway.credentials.strategy", "profile", "gateway.credentials.profile", profile);
  }

  @Override
  public void stop() {
    CredentialsTestSupport.stopFake(
        vertx, sts, "aws.configFile", "aws.sharedCredentialsFile", "aws.endpointUrlSts");
    try {
      if (dir != null) {
        Files.deleteIfExists(dir.resolve("config"));
        Files.deleteIfExists(dir.resolve("credentials"));
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      // leftover temp files are harmless
    }
  }
}
