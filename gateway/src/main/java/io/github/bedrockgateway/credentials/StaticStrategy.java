package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.credentials.Env.AwsSetting;
import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Source;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * {@code static}: keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (or their
 * system properties).
 */
final class StaticStrategy extends Strategy {

  StaticStrategy(CredentialsStrategy strategy) {
    super(strategy);
  }

  @Override
  void validate(CredentialsSettings s) {
    Optional<String> keyId = s.env().setting(AwsSetting.ACCESS_KEY_ID);
    Optional<String> secret = s.env().setting(AwsSetting.SECRET_ACCESS_KEY);
    String fix =
        "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary ASIA… keys), "
            + "or the aws.accessKeyId/aws.secretAccessKey system properties; on AWS prefer a role strategy.";
    if (keyId.isEmpty() && secret.isEmpty()) {
      throw CredentialsSetupException.of(
          configName(),
          "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the aws.accessKeyId and aws.secretAccessKey system properties) are not set",
          fix,
          docAnchor(),
          "gateway.credentials.strategy");
    }
    if (secret.isEmpty()) {
      throw CredentialsSetupException.of(
          configName(),
          "AWS_ACCESS_KEY_ID is set ("
              + Redact.accessKeyId(keyId.get())
              + ") but AWS_SECRET_ACCESS_KEY (aws.secretAccessKey) is not",
          fix,
          docAnchor(),
          "gateway.credentials.strategy");
    }
    if (keyId.isEmpty()) {
      throw CredentialsSetupException.of(
          configName(),
          "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID (aws.accessKeyId) is not",
          fix,
          docAnchor(),
          "gateway.credentials.strategy");
    }
    if (keyId.get().startsWith("ASIA") && s.env().setting(AwsSetting.SESSION_TOKEN).isEmpty()) {
      throw CredentialsSetupException.of(
          configName(),
          "AWS_ACCESS_KEY_ID "
              + Redact.accessKeyId(keyId.get())
              + " is a temporary key (ASIA…) but AWS_SESSION_TOKEN (aws.sessionToken) is not set",
          "Set AWS_SESSION_TOKEN from the same credentials, or use long-term AKIA… keys.",
          docAnchor(),
          "gateway.credentials.strategy");
    }
  }

  @Override
  Source open(CredentialsSettings s) {
    Env env = s.env();
    String keyId = env.setting(AwsSetting.ACCESS_KEY_ID).orElseThrow();
    String secret = env.setting(AwsSetting.SECRET_ACCESS_KEY).orElseThrow();
    Optional<String> token = env.setting(AwsSetting.SESSION_TOKEN);
    AwsCredentials credentials =
        token.isPresent()
            ? AwsSessionCredentials.builder()
                .accessKeyId(keyId)
                .secretAccessKey(secret)
                .sessionToken(token.get())
                .providerName("StaticCredentialsProvider")
                .build()
            : AwsBasicCredentials.builder()
                .accessKeyId(keyId)
                .secretAccessKey(secret)
                .providerName("StaticCredentialsProvider")
                .build();
    return () -> credentials;
  }
}
