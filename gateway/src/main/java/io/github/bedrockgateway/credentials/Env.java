package io.github.bedrockgateway.credentials;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.profiles.ProfileFileLocation;
import software.amazon.awssdk.utils.UserHomeDirectoryUtils;

/**
 * The process environment and system properties, as the AWS SDK reads them. Passed around instead
 * of calling {@link System#getenv()} directly so tests can hand in their own values without
 * mutating the process environment.
 *
 * <p>Where an SDK setting has both a system property and an environment variable, the property wins
 * (the SDK's own order).
 */
public interface Env {

  /** An environment variable; blank counts as unset. */
  Optional<String> getenv(String name);

  /** A system property; blank counts as unset. */
  Optional<String> property(String name);

  /** An SDK setting: the system property if set, else the environment variable. */
  default Optional<String> setting(AwsSetting setting) {
    return property(setting.property).or(() -> getenv(setting.envVar));
  }

  /**
   * The user's home directory, for {@code ~/.aws/...}: {@code HOME} first, as the AWS SDK and CLI
   * resolve it (containers often run as a user {@code /etc/passwd} does not know, and then Java's
   * {@code user.home} is not where the files are). For the process this is the SDK's own
   * resolution; fixed values (tests) use their {@code HOME}, else their {@code user.home} property.
   */
  default Path home() {
    return getenv("HOME")
        .or(() -> property("user.home"))
        .map(Path::of)
        .orElseGet(() -> Path.of(UserHomeDirectoryUtils.userHomeDirectory()));
  }

  /**
   * The shared config file: {@code AWS_CONFIG_FILE} ({@code aws.configFile}), else {@code
   * ~/.aws/config}. For the process this is the SDK's own {@link ProfileFileLocation}.
   */
  default Path awsConfigFile() {
    return setting(AwsSetting.CONFIG_FILE)
        .map(this::expandHome)
        .orElseGet(() -> home().resolve(".aws").resolve("config"));
  }

  /**
   * The shared credentials file: {@code AWS_SHARED_CREDENTIALS_FILE} ({@code
   * aws.sharedCredentialsFile}), else {@code ~/.aws/credentials}. For the process this is the SDK's
   * own {@link ProfileFileLocation}.
   */
  default Path awsCredentialsFile() {
    return setting(AwsSetting.SHARED_CREDENTIALS_FILE)
        .map(this::expandHome)
        .orElseGet(() -> home().resolve(".aws").resolve("credentials"));
  }

  private Path expandHome(String path) {
    return path.equals("~")
        ? home()
        : path.startsWith("~/") ? home().resolve(path.substring(2)) : Path.of(path);
  }

  /** The real environment and system properties of this process. */
  static Env system() {
    return SystemEnv.INSTANCE;
  }

  /**
   * The process, where a system property may also be given in the application configuration ({@code
   * %dev.aws.accessKeyId=...} in application.properties), which is handy for dev mode. Only this
   * layer sees such values; SDK providers that read system properties themselves do not, and the
   * home directory and the profile files are the ones the SDK finds.
   */
  static Env withConfig(org.eclipse.microprofile.config.Config config) {
    return new Env() {
      @Override
      public Path home() {
        return SystemEnv.INSTANCE.home();
      }

      @Override
      public Path awsConfigFile() {
        return SystemEnv.INSTANCE.awsConfigFile();
      }

      @Override
      public Path awsCredentialsFile() {
        return SystemEnv.INSTANCE.awsCredentialsFile();
      }

      @Override
      public Optional<String> getenv(String name) {
        return SystemEnv.INSTANCE.getenv(name);
      }

      @Override
      public Optional<String> property(String name) {
        return SystemEnv.INSTANCE
            .property(name)
            .or(
                () -> {
                  try {
                    return config.getOptionalValue(name, String.class).flatMap(Env::nonBlankValue);
                  } catch (RuntimeException e) {
                    return Optional.empty();
                  }
                });
      }
    };
  }

  /** Fixed values (tests): nothing is read from the process. */
  static Env of(Map<String, String> environment, Map<String, String> properties) {
    Map<String, String> env = Map.copyOf(environment);
    Map<String, String> props = Map.copyOf(properties);
    return new Env() {
      @Override
      public Optional<String> getenv(String name) {
        return nonBlank(env.get(name));
      }

      @Override
      public Optional<String> property(String name) {
        return nonBlank(props.get(name));
      }
    };
  }

  /** Fixed environment variables, no system properties (tests). */
  static Env of(Map<String, String> environment) {
    return of(environment, Map.of());
  }

  private static Optional<String> nonBlankValue(String value) {
    return nonBlank(value);
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** The standard AWS settings the credentials layer reads, with the SDK's names for them. */
  enum AwsSetting {
    ACCESS_KEY_ID("AWS_ACCESS_KEY_ID", "aws.accessKeyId"),
    SECRET_ACCESS_KEY("AWS_SECRET_ACCESS_KEY", "aws.secretAccessKey"),
    SESSION_TOKEN("AWS_SESSION_TOKEN", "aws.sessionToken"),
    REGION("AWS_REGION", "aws.region"),
    /** Not an SDK setting (the AWS CLI's); honoured for region lookup only. */
    DEFAULT_REGION("AWS_DEFAULT_REGION", "aws.defaultRegion"),
    PROFILE("AWS_PROFILE", "aws.profile"),
    CONFIG_FILE("AWS_CONFIG_FILE", "aws.configFile"),
    SHARED_CREDENTIALS_FILE("AWS_SHARED_CREDENTIALS_FILE", "aws.sharedCredentialsFile"),
    ROLE_ARN("AWS_ROLE_ARN", "aws.roleArn"),
    ROLE_SESSION_NAME("AWS_ROLE_SESSION_NAME", "aws.roleSessionName"),
    WEB_IDENTITY_TOKEN_FILE("AWS_WEB_IDENTITY_TOKEN_FILE", "aws.webIdentityTokenFile"),
    ENDPOINT_URL_STS("AWS_ENDPOINT_URL_STS", "aws.endpointUrlSts"),
    ENDPOINT_URL("AWS_ENDPOINT_URL", "aws.endpointUrl"),
    IGNORE_CONFIGURED_ENDPOINT_URLS(
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "aws.ignoreConfiguredEndpointUrls"),
    EC2_METADATA_SERVICE_ENDPOINT(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT", "aws.ec2MetadataServiceEndpoint"),
    EC2_METADATA_DISABLED("AWS_EC2_METADATA_DISABLED", "aws.disableEc2Metadata"),
    EC2_METADATA_V1_DISABLED("AWS_EC2_METADATA_V1_DISABLED", "aws.disableEc2MetadataV1"),
    CONTAINER_CREDENTIALS_FULL_URI(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "aws.containerCredentialsFullUri"),
    CONTAINER_CREDENTIALS_RELATIVE_URI(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "aws.containerCredentialsPath"),
    CONTAINER_SERVICE_ENDPOINT("AWS_CONTAINER_SERVICE_ENDPOINT", "aws.containerServiceEndpoint"),
    CONTAINER_AUTHORIZATION_TOKEN(
        "AWS_CONTAINER_AUTHORIZATION_TOKEN", "aws.containerAuthorizationToken"),
    CONTAINER_AUTHORIZATION_TOKEN_FILE(
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "aws.containerAuthorizationTokenFile"),
    /**
     * A Bedrock API key, as the AWS SDKs read it (the gateway only uses it with strategy
     * bedrock-api-key).
     */
    BEARER_TOKEN_BEDROCK("AWS_BEARER_TOKEN_BEDROCK", "aws.bearerTokenBedrock");

    public final String envVar;
    public final String property;

    AwsSetting(String envVar, String property) {
      this.envVar = envVar;
      this.property = property;
    }
  }

  /** Reads the live process: environment variables and system properties. */
  final class SystemEnv implements Env {
    static final SystemEnv INSTANCE = new SystemEnv();

    private SystemEnv() {}

    @Override
    public Optional<String> getenv(String name) {
      return nonBlank(System.getenv(name));
    }

    @Override
    public Optional<String> property(String name) {
      return nonBlank(System.getProperty(name));
    }

    @Override
    public Path home() {
      return Path.of(UserHomeDirectoryUtils.userHomeDirectory());
    }

    @Override
    public Path awsConfigFile() {
      return ProfileFileLocation.configurationFilePath();
    }

    @Override
    public Path awsCredentialsFile() {
      return ProfileFileLocation.credentialsFilePath();
    }
  }
}
