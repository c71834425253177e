package io.github.bedrockgateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Strategy bedrock-api-key without a key: exit status 1 and the one message, no stack trace. */
@QuarkusMainTest
@TestProfile(BedrockApiKeyStartupFailureQuarkusTest.NoKey.class)
class BedrockApiKeyStartupFailureQuarkusTest {

  public static class NoKey implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "gateway.region", "us-east-1", "gateway.credentials.strategy", "bedrock-api-key");
    }
  }

  @Test
  @Launch(
      value = {},
      exitCode = 1)
  void no_key_stops_startup_with_exit_status_1_and_one_line(LaunchResult result) {
    String expected =
        "Credentials strategy 'bedrock-api-key': neither AWS_BEARER_TOKEN_BEDROCK nor gateway.credentials.api-key.file "
            + "(GATEWAY_CREDENTIALS_API_KEY_FILE) is set. "
            + CredentialsSetupFailureTest.CREATE_KEY
            + " See docs/credentials.md#bedrock-api-key";
    String all = result.getOutput() + "\n" + result.getErrorOutput();
    assertThat(all).contains(expected);
    assertThat(all.split(Pattern.quote(expected), -1)).as("message printed once").hasSize(2);
    assertThat(all).doesNotContain("\tat io.github.bedrockgateway");
  }
}
