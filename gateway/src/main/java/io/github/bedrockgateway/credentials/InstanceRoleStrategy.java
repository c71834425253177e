package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.credentials.Env.AwsSetting;
import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Source;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * {@code instance-role}: the EC2 instance profile through IMDSv2 only (a session token for every
 * call; never the IMDSv1 fallback).
 */
final class InstanceRoleStrategy extends Strategy {

  private static final ProfileFile IMDSV2_ONLY =
      ProfileFile.builder()
          .content(
              new ByteArrayInputStream(
                  "[default]\nec2_metadata_v1_disabled = true\n".getBytes(StandardCharsets.UTF_8)))
          .type(ProfileFile.Type.CONFIGURATION)
          .build();

  InstanceRoleStrategy(CredentialsStrategy strategy) {
    super(strategy);
  }

  @Override
  void validate(CredentialsSettings s) {
    Env env = s.env();
    if (env.setting(AwsSetting.EC2_METADATA_DISABLED).map(Boolean::parseBoolean).orElse(false)) {
      throw CredentialsSetupException.of(
          configName(),
          "AWS_EC2_METADATA_DISABLED (aws.disableEc2Metadata) is true, which switches the instance metadata service off",
          "Unset it, or choose another strategy.",
          docAnchor(),
          "gateway.credentials.strategy");
    }
    if (env.setting(AwsSetting.EC2_METADATA_V1_DISABLED)
        .map(v -> v.equalsIgnoreCase("false"))
        .orElse(false)) {
      throw CredentialsSetupException.of(
          configName(),
          "AWS_EC2_METADATA_V1_DISABLED (aws.disableEc2MetadataV1) is false, which would let the SDK fall back to IMDSv1; "
              + "the gateway only uses IMDSv2",
          "Unset it (or set it to true) and require IMDSv2 on the instance (HttpTokens=required).",
          docAnchor(),
          "gateway.credentials.strategy");
    }
    env.setting(AwsSetting.EC2_METADATA_SERVICE_ENDPOINT)
        .ifPresent(
            e ->
                StrategyChecks.httpUri(
                    strategy,
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                    e,
                    "Use the metadata endpoint, e.g. http://169.254.169.254 or http://[fd00:ec2::254]."));
  }

  @Override
  Source open(CredentialsSettings s) {
    return fresh(
        () -> {
          InstanceProfileCredentialsProvider.Builder builder =
              InstanceProfileCredentialsProvider.builder()
                  // The SDK falls back to tokenless IMDSv1 when the token call fails unless this
                  // profile
                  // setting (or the matching variable) says otherwise; the gateway never wants that
                  // fallback.
                  .profileFile(IMDSV2_ONLY)
                  .profileName(ProfileFiles.DEFAULT_PROFILE)
                  .asyncCredentialUpdateEnabled(false);
          s.env().setting(AwsSetting.EC2_METADATA_SERVICE_ENDPOINT).ifPresent(builder::endpoint);
          return builder.build();
        });
  }

  @Override
  CredentialsSetupException explain(CredentialsSettings s, Throwable error) {
    String endpoint =
        s.env().setting(AwsSetting.EC2_METADATA_SERVICE_ENDPOINT).orElse("http://169.254.169.254");
    return CredentialsSetupException.of(
        configName(),
        "no credentials from the EC2 instance metadata service (IMDSv2) at "
            + endpoint
            + " ("
            + Redact.cause(error)
            + ")",
        "Run on EC2 with an instance profile attached; from a container on EC2 set the instance's metadata "
            + "HttpPutResponseHopLimit to 2. IMDSv1 is never used.",
        docAnchor(),
        "gateway.credentials.strategy");
  }
}
