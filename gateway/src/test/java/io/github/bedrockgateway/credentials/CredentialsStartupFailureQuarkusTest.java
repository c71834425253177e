package io.github.bedrockgateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole application with a wrong setup: exit status 1 and the one message, no stack trace. */
@QuarkusMainTest
@TestProfile(CredentialsStartupFailureQuarkusTest.MissingTokenFile.class)
class CredentialsStartupFailureQuarkusTest {

  public static class MissingTokenFile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "gateway.region", "us-east-1",
          "gateway.credentials.strategy", "web-identity",
          "gateway.credentials.role-arn", CredentialsTestSupport.ROLE_ARN,
          "gateway.credentials.web-identity-token-file",
              "/nonexistent/eks.amazonaws.com/serviceaccount/token");
    }
  }

  @Test
  @Launch(
      value = {},
      exitCode = 1)
  void a_missing_token_file_stops_startup_with_exit_status_1_and_one_message(LaunchResult result) {
    String expected =
        "Credentials strategy 'web-identity': gateway.credentials.web-identity-token-file (or AWS_WEB_IDENTITY_TOKEN_FILE) "
            + "points to /nonexistent/eks.amazonaws.com/serviceaccount/token which cannot be read (NoSuchFileException). "
            + "Mount the projected service-account token or fix the path. See docs/credentials.md#web-identity";
    String all = result.getOutput() + "\n" + result.getErrorOutput();
    assertThat(all).contains(expected);
    assertThat(all.split(java.util.regex.Pattern.quote(expected), -1))
        .as("message printed once")
        .hasSize(2);
    assertThat(all).doesNotContain("\tat io.github.bedrockgateway");
  }
}
