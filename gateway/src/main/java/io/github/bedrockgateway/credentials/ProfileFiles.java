package io.github.bedrockgateway.credentials;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.github.bedrockgateway.credentials.Env.AwsSetting;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileSupplier;

/**
 * The shared AWS config and credentials files, located the way the SDK and the CLI locate them
 * ({@code AWS_CONFIG_FILE}, {@code AWS_SHARED_CREDENTIALS_FILE}, else {@code ~/.aws/config} and
 * {@code ~/.aws/credentials}), but through {@link Env} so tests can point at temporary files.
 */
final class ProfileFiles {

    static final String DEFAULT_PROFILE = "default";

    private ProfileFiles() {
    }

    static Path configFile(Env env) {
        return env.setting(AwsSetting.CONFIG_FILE).map(ProfileFiles::expandHome).map(p -> p.apply(env))
                .orElseGet(() -> env.home().resolve(".aws").resolve("config"));
    }

    static Path credentialsFile(Env env) {
        return env.setting(AwsSetting.SHARED_CREDENTIALS_FILE).map(ProfileFiles::expandHome).map(p -> p.apply(env))
                .orElseGet(() -> env.home().resolve(".aws").resolve("credentials"));
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
        return configured.filter(s -> !s.isBlank()).map(String::trim)
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

    private static java.util.function.Function<Env, Path> expandHome(String path) {
        return env -> path.equals("~") ? env.home()
                : path.startsWith("~/") ? env.home().resolve(path.substring(2)) : Path.of(path);
    }
}
