package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.credentials.Env.AwsSetting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileSupplier;

/**
 * The shared AWS config and credentials files, where the SDK and the CLI find them ({@code
 * AWS_CONFIG_FILE}, {@code AWS_SHARED_CREDENTIALS_FILE}, else {@code ~/.aws/config} and {@code
 * ~/.aws/credentials} under {@code $HOME}): {@link Env#awsConfigFile()} is the SDK's own {@code
 * ProfileFileLocation} for the process, and fixed values in tests.
 */
final class ProfileFiles {

  static final String DEFAULT_PROFILE = "default";

  private ProfileFiles() {}

  static Path configFile(Env env) {
    return env.awsConfigFile();
  }

  static Path credentialsFile(Env env) {
    return env.awsCredentialsFile();
  }

  /**
   * Both files, re-read when they change on disk (a rotated credentials file is picked up at the
   * next refresh). Missing files count as empty.
   */
  static ProfileFileSupplier supplier(Env env) {
    return ProfileFileSupplier.aggregate(
        ProfileFileSupplier.reloadWhenModified(configFile(env), ProfileFile.Type.CONFIGURATION),
        ProfileFileSupplier.reloadWhenModified(credentialsFile(env), ProfileFile.Type.CREDENTIALS));
  }

  /** The profiles as they are now. */
  static ProfileFile load(Env env) {
    return supplier(env).get();
  }

  /** The profile to use: the configured one, else {@code AWS_PROFILE}, else {@code default}. */
  static String profileName(Optional<String> configured, Env env) {
    return configured
        .filter(s -> !s.isBlank())
        .map(String::trim)
        .or(() -> env.setting(AwsSetting.PROFILE))
        .orElse(DEFAULT_PROFILE);
  }

  static Optional<Profile> profile(Env env, String name) {
    try {
      return load(env).profile(name);
    } catch (RuntimeException e) {
      // A malformed file is reported by the caller with the profile name; treat as absent here.
      return Optional.empty();
    }
  }

  /** Where the files are, for messages: "~/.aws/config (missing) and ~/.aws/credentials". */
  static String describe(Env env) {
    return describe(configFile(env)) + " and " + describe(credentialsFile(env));
  }

  private static String describe(Path p) {
    return Files.isReadable(p) ? p.toString() : p + " (missing)";
  }
}
