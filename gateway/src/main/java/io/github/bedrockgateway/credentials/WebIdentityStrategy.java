package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.credentials.Env.AwsSetting;
import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;

/**
 * {@code web-identity}: sts:AssumeRoleWithWebIdentity with a token file (EKS IRSA, GitHub Actions
 * OIDC, any OIDC provider).
 */
final class WebIdentityStrategy extends Strategy {

  static final String TOKEN_UNREADABLE = "Cannot read the web identity token file";

  WebIdentityStrategy(CredentialsStrategy strategy) {
    super(strategy);
  }

  @Override
  void validate(CredentialsSettings s) {
    String arn =
        role(s)
            .orElseThrow(
                () ->
                    CredentialsSetupException.of(
                        configName(),
                        "neither gateway.credentials.role-arn nor AWS_ROLE_ARN is set",
                        "On EKS annotate the service account with eks.amazonaws.com/role-arn (the IRSA webhook then sets AWS_ROLE_ARN); "
                            + "otherwise set gateway.credentials.role-arn.",
                        docAnchor(),
                        "gateway.credentials.role-arn"));
    StrategyChecks.roleArn(
        strategy, s.roleArn().isPresent() ? "gateway.credentials.role-arn" : "AWS_ROLE_ARN", arn);
    Path file =
        tokenFile(s)
            .orElseThrow(
                () ->
                    CredentialsSetupException.of(
                        configName(),
                        "neither gateway.credentials.web-identity-token-file nor AWS_WEB_IDENTITY_TOKEN_FILE is set",
                        "Mount the projected service-account token (IRSA sets AWS_WEB_IDENTITY_TOKEN_FILE) or set gateway.credentials.web-identity-token-file.",
                        docAnchor(),
                        "gateway.credentials.web-identity-token-file"));
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException e) {
      throw CredentialsSetupException.of(
          configName(),
          "gateway.credentials.web-identity-token-file (or AWS_WEB_IDENTITY_TOKEN_FILE) points to "
              + file
              + " which cannot be read ("
              + e.getClass().getSimpleName()
              + ")",
          "Mount the projected service-account token or fix the path.",
          docAnchor(),
          "gateway.credentials.web-identity-token-file");
    }
    if (token.isEmpty()) {
      throw CredentialsSetupException.of(
          configName(),
          "gateway.credentials.web-identity-token-file (or AWS_WEB_IDENTITY_TOKEN_FILE) points to "
              + file
              + " which is empty",
          "Mount the projected service-account token (not an empty placeholder) or fix the path.",
          docAnchor(),
          "gateway.credentials.web-identity-token-file");
    }
    StrategyChecks.sessionName(
        strategy,
        sessionName(s),
        "gateway.credentials.role-session-name (or AWS_ROLE_SESSION_NAME)");
    StrategyChecks.sessionDuration(strategy, s);
    StrategyChecks.stsEndpoint(strategy, s);
  }

  @Override
  Source open(CredentialsSettings s) {
    String arn = role(s).orElseThrow();
    Path file = tokenFile(s).orElseThrow();
    String sessionName = StrategyChecks.sessionName(sessionName(s), s.env());
    Optional<Integer> seconds = s.sessionDuration().map(d -> (int) d.toSeconds());
    // AssumeRoleWithWebIdentity is unsigned: no credentials, so the SDK never looks for any.
    StsClient sts = StsClients.create(s, AnonymousCredentialsProvider.create());
    return new Source() {
      @Override
      public AwsCredentials fetch() {
        // The token file is read at every fetch: the kubelet rotates it.
        AssumeRoleWithWebIdentityRequest.Builder request =
            AssumeRoleWithWebIdentityRequest.builder()
                .roleArn(arn)
                .roleSessionName(sessionName)
                .webIdentityToken(readToken(file));
        seconds.ifPresent(request::durationSeconds);
        return StsClients.sessionCredentials(
            sts.assumeRoleWithWebIdentity(request.build()).credentials(),
            "StsAssumeRoleWithWebIdentityCredentialsProvider");
      }

      @Override
      public void close() {
        sts.close();
      }
    };
  }

  @Override
  CredentialsSetupException explain(CredentialsSettings s, Throwable error) {
    String arn = role(s).orElse("?");
    String file = tokenFile(s).map(Path::toString).orElse("?");
    Optional<StsFailure> sts = StsFailure.in(error);
    if (sts.isPresent()) {
      StsFailure f = sts.get();
      return switch (f.code()) {
        case "InvalidIdentityToken", "IDPRejectedClaim" ->
            CredentialsSetupException.of(
                configName(),
                "STS rejected the web identity token read from " + file + " (" + f + ")",
                "Check that the cluster's IAM OIDC identity provider exists in this account with audience "
                    + "sts.amazonaws.com, and that the file is the projected service-account token.",
                "invalididentitytoken",
                "gateway.credentials.web-identity-token-file");
        case "ExpiredTokenException", "ExpiredToken" ->
            CredentialsSetupException.of(
                configName(),
                "the web identity token in " + file + " has expired (" + f + ")",
                "Point at the projected token the kubelet keeps fresh, not a copy of it.",
                "expiredtoken",
                "gateway.credentials.web-identity-token-file");
        case "AccessDenied" ->
            CredentialsSetupException.of(
                configName(),
                "STS refused AssumeRoleWithWebIdentity on role " + arn + " (" + f + ")",
                "The role's trust policy must allow sts:AssumeRoleWithWebIdentity for the cluster's OIDC provider with "
                    + "conditions matching the token: aud sts.amazonaws.com and sub system:serviceaccount:NAMESPACE:NAME.",
                "irsa-trust-policy",
                "gateway.credentials.role-arn");
        case "IDPCommunicationError" ->
            CredentialsSetupException.of(
                configName(),
                "STS could not reach the token's OIDC issuer to verify it (" + f + ")",
                "Make the issuer's /.well-known/openid-configuration reachable from AWS; retry later if it was transient.",
                "invalididentitytoken",
                "gateway.credentials.web-identity-token-file");
        case "ValidationError" ->
            CredentialsSetupException.of(
                configName(),
                "STS rejected the AssumeRoleWithWebIdentity parameters (" + f + ")",
                "Check gateway.credentials.session-duration (PT15M up to the role's maximum session duration) and role-session-name.",
                docAnchor(),
                "gateway.credentials.session-duration");
        default -> StrategyChecks.stsOther(strategy, s, f);
      };
    }
    if (error instanceof SdkClientException
        && error.getMessage() != null
        && error.getMessage().startsWith(TOKEN_UNREADABLE)) {
      return CredentialsSetupException.of(
          configName(),
          Redact.cause(error),
          "Mount the projected service-account token or fix the path.",
          docAnchor(),
          "gateway.credentials.web-identity-token-file");
    }
    return StrategyChecks.unreachableSts(strategy, s, error);
  }

  @Override
  Optional<String> role(CredentialsSettings s) {
    return s.roleArn().or(() -> s.env().setting(AwsSetting.ROLE_ARN));
  }

  private static Optional<String> sessionName(CredentialsSettings s) {
    return s.roleSessionName().or(() -> s.env().setting(AwsSetting.ROLE_SESSION_NAME));
  }

  private static Optional<Path> tokenFile(CredentialsSettings s) {
    return s.webIdentityTokenFile()
        .or(() -> s.env().setting(AwsSetting.WEB_IDENTITY_TOKEN_FILE))
        .map(Path::of);
  }

  /** The token as it is in the file now (the kubelet rotates it). */
  static String readToken(Path file) {
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw SdkClientException.create(TOKEN_UNREADABLE + " " + file + ": it is empty");
      }
      return token;
    } catch (IOException e) {
      throw SdkClientException.create(
          TOKEN_UNREADABLE + " " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }
}
