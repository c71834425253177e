package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.credentials.Env.AwsSetting;
import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Source;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * {@code assume-role}: sts:AssumeRole signed with base credentials from {@code
 * gateway.credentials.source}.
 */
final class AssumeRoleStrategy extends Strategy {

  AssumeRoleStrategy(CredentialsStrategy strategy) {
    super(strategy);
  }

  @Override
  void validate(CredentialsSettings s) {
    String arn =
        s.roleArn()
            .orElseThrow(
                () ->
                    CredentialsSetupException.of(
                        configName(),
                        "gateway.credentials.role-arn (GATEWAY_CREDENTIALS_ROLE_ARN) is not set",
                        "Set it to the ARN of the role allowed to call Bedrock, e.g. arn:aws:iam::123456789012:role/bedrock-gateway.",
                        docAnchor(),
                        "gateway.credentials.role-arn"));
    StrategyChecks.roleArn(strategy, "gateway.credentials.role-arn", arn);
    StrategyChecks.sessionName(
        strategy, s.roleSessionName(), "gateway.credentials.role-session-name");
    StrategyChecks.sessionDuration(strategy, s);
    s.externalId().ifPresent(id -> StrategyChecks.externalId(strategy, id));
    StrategyChecks.stsEndpoint(strategy, s);
    CredentialsStrategy source = source(s);
    try {
      source.validate(sourceSettings(s, source));
    } catch (CredentialsSetupException e) {
      throw e.within(
          configName(),
          "its base credentials (gateway.credentials.source=" + source.configName() + ")");
    }
  }

  @Override
  Source open(CredentialsSettings s) {
    CredentialsStrategy sourceStrategy = source(s);
    CredentialsSettings baseSettings = sourceSettings(s, sourceStrategy);
    Source base = sourceStrategy.open(baseSettings);
    AssumeRoleRequest.Builder request =
        AssumeRoleRequest.builder()
            .roleArn(s.roleArn().orElseThrow())
            .roleSessionName(StrategyChecks.sessionName(s.roleSessionName(), s.env()));
    s.externalId().ifPresent(request::externalId);
    s.sessionDuration().ifPresent(d -> request.durationSeconds((int) d.toSeconds()));
    AssumeRoleRequest template = request.build();
    StsClient sts;
    try {
      // Every call is signed with base credentials fetched for it (below), never with a provider of
      // the client's own.
      sts = StsClients.create(s, AnonymousCredentialsProvider.create());
    } catch (RuntimeException e) {
      base.close();
      throw e;
    }
    return new Source() {
      @Override
      public AwsCredentials fetch() {
        AwsCredentials baseCredentials;
        try {
          baseCredentials = base.fetch();
        } catch (RuntimeException e) {
          throw new BaseCredentialsException(sourceStrategy, baseSettings, e);
        }
        AssumeRoleRequest call =
            template.toBuilder()
                .overrideConfiguration(
                    o -> o.credentialsProvider(StaticCredentialsProvider.create(baseCredentials)))
                .build();
        return StsClients.sessionCredentials(
            sts.assumeRole(call).credentials(), "StsAssumeRoleCredentialsProvider");
      }

      @Override
      public void close() {
        sts.close();
        base.close();
      }
    };
  }

  /**
   * The base credentials could not be fetched: told as the failure of the source strategy, not as
   * an STS refusal.
   */
  static final class BaseCredentialsException extends RuntimeException {
    final CredentialsStrategy strategy;
    final transient CredentialsSettings settings;

    BaseCredentialsException(
        CredentialsStrategy strategy, CredentialsSettings settings, RuntimeException cause) {
      super(
          "base credentials (gateway.credentials.source=" + strategy.configName() + ") failed",
          cause);
      this.strategy = strategy;
      this.settings = settings;
    }
  }

  @Override
  CredentialsSetupException explain(CredentialsSettings s, Throwable error) {
    String arn = s.roleArn().orElse("?");
    Optional<StsFailure> sts = StsFailure.in(error);
    if (sts.isEmpty()) {
      return StrategyChecks.unreachableSts(strategy, s, error);
    }
    StsFailure f = sts.get();
    return switch (f.code()) {
      case "AccessDenied" ->
          CredentialsSetupException.of(
              configName(),
              "STS refused AssumeRole on gateway.credentials.role-arn " + arn + " (" + f + ")",
              "Let the base identity assume the role: the role's trust policy must name that principal"
                  + (s.externalId().isPresent()
                      ? " and require the same sts:ExternalId as gateway.credentials.external-id"
                      : "")
                  + ", and the base identity needs sts:AssumeRole on the role.",
              "not-authorized-to-perform-stsassumerole",
              "gateway.credentials.role-arn",
              "gateway.credentials.external-id");
      case "InvalidClientTokenId",
          "SignatureDoesNotMatch",
          "UnrecognizedClientException",
          "ExpiredToken",
          "IncompleteSignature",
          "MissingAuthenticationToken" ->
          CredentialsSetupException.of(
              configName(),
              "STS rejected the base credentials from gateway.credentials.source="
                  + s.source()
                  + baseKeyHint(s)
                  + " ("
                  + f
                  + ")",
              "Fix the base credentials: an active, complete key pair (with AWS_SESSION_TOKEN for ASIA… keys), "
                  + "not expired, from the same partition as the role.",
              "the-security-token-included-in-the-request-is-invalid",
              "gateway.credentials.source");
      case "ValidationError" ->
          CredentialsSetupException.of(
              configName(),
              "STS rejected the AssumeRole parameters (" + f + ")",
              "Check gateway.credentials.session-duration (PT15M up to the role's maximum session duration), "
                  + "role-session-name and external-id.",
              docAnchor(),
              "gateway.credentials.session-duration");
      case "RegionDisabledException" ->
          CredentialsSetupException.of(
              configName(),
              "STS is not activated in " + s.region().id() + " (" + f + ")",
              "Activate the region's STS endpoint in the IAM account settings, or point AWS_ENDPOINT_URL_STS at an active one.",
              "region",
              "gateway.region");
      default -> StrategyChecks.stsOther(strategy, s, f);
    };
  }

  @Override
  Optional<String> role(CredentialsSettings s) {
    return s.roleArn();
  }

  private String baseKeyHint(CredentialsSettings s) {
    return CredentialsStrategy.find(s.source())
        .filter(src -> src == CredentialsStrategy.STATIC)
        .flatMap(src -> s.env().setting(AwsSetting.ACCESS_KEY_ID))
        .map(id -> ", access key " + Redact.accessKeyId(id))
        .orElse("");
  }

  /**
   * The strategy of {@code gateway.credentials.source}. @throws CredentialsSetupException when it
   * cannot give base credentials
   */
  CredentialsStrategy source(CredentialsSettings s) {
    Optional<CredentialsStrategy> found = CredentialsStrategy.find(s.source());
    if (found.isEmpty() || !found.get().canBeSource()) {
      throw CredentialsSetupException.of(
          configName(),
          "gateway.credentials.source is '"
              + s.source()
              + "', which is not a source of base credentials",
          "Use one of: default, static, profile, instance-role, container, web-identity.",
          docAnchor(),
          "gateway.credentials.source");
    }
    return found.get();
  }

  /**
   * The source's own settings: gateway.credentials.role-arn is the role to assume, not the source's
   * role.
   */
  private static CredentialsSettings sourceSettings(
      CredentialsSettings s, CredentialsStrategy source) {
    return s.asSource(source.configName(), Optional.empty());
  }
}
