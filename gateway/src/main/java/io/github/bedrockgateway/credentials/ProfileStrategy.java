package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Source;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileProperty;

/**
 * {@code profile}: a named profile of the shared files (keys, role_arn + source_profile,
 * credential_process, web identity).
 */
final class ProfileStrategy extends Strategy {

  ProfileStrategy(CredentialsStrategy strategy) {
    super(strategy);
  }

  @Override
  void validate(CredentialsSettings s) {
    String name = s.profileName();
    ProfileFile file;
    try {
      file = ProfileFiles.load(s.env());
    } catch (RuntimeException e) {
      throw CredentialsSetupException.of(
          configName(),
          "the profile files "
              + ProfileFiles.describe(s.env())
              + " cannot be parsed ("
              + Redact.cause(e)
              + ")",
          "Fix the file syntax ([profile NAME] sections in config, [NAME] in credentials).",
          docAnchor(),
          "gateway.credentials.profile");
    }
    Optional<Profile> profile = file.profile(name);
    if (profile.isEmpty()) {
      String known = file.profiles().keySet().stream().sorted().collect(Collectors.joining(", "));
      throw CredentialsSetupException.of(
          configName(),
          "gateway.credentials.profile (or AWS_PROFILE) names profile '"
              + name
              + "', which is not in "
              + ProfileFiles.describe(s.env())
              + " (profiles there: "
              + (known.isEmpty() ? "none" : known)
              + ")",
          "Create the profile (aws configure --profile "
              + name
              + "), fix the name, or mount the files and point "
              + "AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at them.",
          docAnchor(),
          "gateway.credentials.profile");
    }
    Profile p = profile.get();
    if (p.property(ProfileProperty.SSO_START_URL).isPresent()
        || p.property("sso_session").isPresent()) {
      throw CredentialsSetupException.of(
          configName(),
          "profile '"
              + name
              + "' uses IAM Identity Center (sso_session / sso_start_url), which this build of the gateway does not include",
          "Use a profile with role_arn + source_profile, credential_process or keys, or the assume-role / web-identity strategies.",
          docAnchor(),
          "gateway.credentials.profile");
    }
    boolean hasSource =
        p.property(ProfileProperty.AWS_ACCESS_KEY_ID).isPresent()
            || p.property(ProfileProperty.ROLE_ARN).isPresent()
            || p.property(ProfileProperty.CREDENTIAL_PROCESS).isPresent()
            || p.property(ProfileProperty.WEB_IDENTITY_TOKEN_FILE).isPresent();
    if (!hasSource) {
      throw CredentialsSetupException.of(
          configName(),
          "profile '"
              + name
              + "' in "
              + ProfileFiles.describe(s.env())
              + " has no credentials (no aws_access_key_id, role_arn, credential_process or web_identity_token_file)",
          "Add keys to the credentials file, or role_arn + source_profile / credential_process to the profile.",
          docAnchor(),
          "gateway.credentials.profile");
    }
    if (p.property(ProfileProperty.AWS_ACCESS_KEY_ID).isPresent()
        && p.property(ProfileProperty.AWS_SECRET_ACCESS_KEY).isEmpty()
        && p.property(ProfileProperty.ROLE_ARN).isEmpty()) {
      throw CredentialsSetupException.of(
          configName(),
          "profile '" + name + "' has aws_access_key_id but no aws_secret_access_key",
          "Add aws_secret_access_key to the profile in the credentials file.",
          docAnchor(),
          "gateway.credentials.profile");
    }
  }

  @Override
  Source open(CredentialsSettings s) {
    // Fresh for every fetch: the files are read again (rotated keys are picked up) and a role_arn
    // profile makes its AssumeRole call then, not on an SDK refresh thread of its own.
    return fresh(
        () ->
            ProfileCredentialsProvider.builder()
                .profileFile(ProfileFiles.supplier(s.env()))
                .profileName(s.profileName())
                .build());
  }

  @Override
  CredentialsSetupException explain(CredentialsSettings s, Throwable error) {
    return CredentialsSetupException.of(
        configName(),
        "profile '"
            + s.profileName()
            + "' from "
            + ProfileFiles.describe(s.env())
            + " gave no usable credentials ("
            + Redact.cause(error)
            + ")",
        "Check the profile's keys, its role_arn + source_profile chain or its credential_process "
            + "(aws sts get-caller-identity --profile "
            + s.profileName()
            + " tests the same profile).",
        docAnchor(),
        "gateway.credentials.profile");
  }

  @Override
  Optional<String> role(CredentialsSettings s) {
    return ProfileFiles.profile(s.env(), s.profileName())
        .flatMap(p -> p.property(ProfileProperty.ROLE_ARN));
  }
}
