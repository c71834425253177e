package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Source;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * {@code default}: the AWS SDK default chain (system properties, environment, web identity,
 * profile, container, IMDS).
 */
final class DefaultChainStrategy extends Strategy {

  DefaultChainStrategy(CredentialsStrategy strategy) {
    super(strategy);
  }

  @Override
  void validate(CredentialsSettings s) {
    // Whatever the chain finds is fine; what it fails to find is told by explain().
  }

  @Override
  Source open(CredentialsSettings s) {
    return fresh(
        () ->
            DefaultCredentialsProvider.builder()
                .profileFile(ProfileFiles.supplier(s.env()))
                .profileName(s.profileName())
                .asyncCredentialUpdateEnabled(false)
                .reuseLastProviderEnabled(false)
                .build());
  }

  @Override
  CredentialsSetupException explain(CredentialsSettings s, Throwable error) {
    return CredentialsSetupException.of(
        configName(),
        "the AWS SDK default chain found no usable credentials (" + Redact.cause(error) + ")",
        "Provide credentials the chain knows (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, an instance "
            + "profile, an ECS task role, EKS IRSA or Pod Identity), or set gateway.credentials.strategy to the "
            + "one you mean to get a precise error.",
        docAnchor(),
        "gateway.credentials.strategy");
  }
}
