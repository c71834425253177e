package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.config.InvalidSettingException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * How the gateway authenticates to Bedrock ({@code gateway.credentials.strategy}): AWS credentials
 * for SigV4, or with {@link #BEDROCK_API_KEY} a Bedrock API key. The registry of strategy names and
 * of the settings each reads. Each constant hands the work to its own {@link Strategy} class, which
 * checks those settings before anything is built (failing with a message that names the strategy,
 * the setting and the fix) and opens the source that fetches credentials. When to fetch, and
 * caching for the request path, is {@link RefreshingCredentialsProvider}'s job alone.
 */
public enum CredentialsStrategy {

  /**
   * The AWS SDK default chain: system properties, environment, web identity, profile, container,
   * IMDS.
   */
  DEFAULT("default", DefaultChainStrategy::new, "gateway.credentials.profile"),

  /**
   * Long-term (or externally refreshed) keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
   * AWS_SESSION_TOKEN.
   */
  STATIC(
      "static",
      StaticStrategy::new,
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN"),

  /**
   * A named profile of ~/.aws/config and ~/.aws/credentials: keys, role_arn + source_profile,
   * credential_process.
   */
  PROFILE(
      "profile",
      ProfileStrategy::new,
      "gateway.credentials.profile",
      "AWS_PROFILE",
      "AWS_CONFIG_FILE",
      "AWS_SHARED_CREDENTIALS_FILE"),

  /** sts:AssumeRole with base credentials from {@code gateway.credentials.source}. */
  ASSUME_ROLE(
      "assume-role",
      AssumeRoleStrategy::new,
      "gateway.credentials.role-arn",
      "gateway.credentials.source",
      "gateway.credentials.external-id",
      "gateway.credentials.role-session-name",
      "gateway.credentials.session-duration",
      "AWS_ENDPOINT_URL_STS"),

  /**
   * sts:AssumeRoleWithWebIdentity with a token file (EKS IRSA, GitHub Actions OIDC, any OIDC
   * provider).
   */
  WEB_IDENTITY(
      "web-identity",
      WebIdentityStrategy::new,
      "gateway.credentials.role-arn",
      "AWS_ROLE_ARN",
      "gateway.credentials.web-identity-token-file",
      "AWS_WEB_IDENTITY_TOKEN_FILE",
      "gateway.credentials.role-session-name",
      "AWS_ROLE_SESSION_NAME",
      "gateway.credentials.session-duration",
      "AWS_ENDPOINT_URL_STS"),

  /**
   * EC2 instance profile through IMDSv2 only (a session token for every call; never the IMDSv1
   * fallback).
   */
  INSTANCE_ROLE("instance-role", InstanceRoleStrategy::new, "AWS_EC2_METADATA_SERVICE_ENDPOINT"),

  /** ECS task role or EKS Pod Identity: the container credentials endpoint. */
  CONTAINER(
      "container",
      ContainerStrategy::new,
      "AWS_CONTAINER_CREDENTIALS_FULL_URI",
      "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
      "AWS_CONTAINER_AUTHORIZATION_TOKEN",
      "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),

  /**
   * A Bedrock API key sent as a bearer token instead of SigV4: from AWS_BEARER_TOKEN_BEDROCK or a
   * watched file.
   */
  BEDROCK_API_KEY(
      "bedrock-api-key",
      BedrockApiKeyStrategy::new,
      "AWS_BEARER_TOKEN_BEDROCK",
      "gateway.credentials.api-key.file",
      "gateway.credentials.api-key.watch-interval");

  private final String configName;

  /** The section of docs/credentials.md about this strategy (its name). */
  final String docAnchor;

  private final List<String> settings;
  private final Strategy implementation;

  CredentialsStrategy(
      String configName,
      Function<CredentialsStrategy, Strategy> implementation,
      String... settings) {
    this.configName = configName;
    this.docAnchor = configName;
    this.settings = List.of(settings);
    this.implementation = implementation.apply(this);
  }

  /** The name used in {@code gateway.credentials.strategy}. */
  public String configName() {
    return configName;
  }

  /**
   * The settings and variables this strategy reads (its section of docs/credentials.md lists the
   * same).
   */
  public List<String> settings() {
    return settings;
  }

  /** The strategy of that name, matched case-insensitively ({@code assume_role} works too). */
  public static Optional<CredentialsStrategy> find(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String wanted = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    return Arrays.stream(values()).filter(v -> v.configName.equals(wanted)).findFirst();
  }

  /** The strategy of that name. @throws CredentialsSetupException naming the valid ones */
  public static CredentialsStrategy named(String name) {
    return find(name)
        .orElseThrow(
            () -> {
              String valid =
                  Arrays.stream(values()).map(v -> v.configName).collect(Collectors.joining(", "));
              String guess = closest(name);
              return CredentialsSetupException.of(
                  name,
                  "gateway.credentials.strategy (GATEWAY_CREDENTIALS_STRATEGY) is '"
                      + name
                      + "', which is not a strategy",
                  (guess == null ? "" : "Did you mean '" + guess + "'? ")
                      + "Use one of: "
                      + valid
                      + ".",
                  "strategies",
                  "gateway.credentials.strategy");
            });
  }

  /**
   * Converts {@code gateway.credentials.strategy}: a name of {@link #find}, or startup stops with
   * the message of {@link #named} (the valid names, and the closest one to a typo).
   */
  public static final class Setting implements Converter<CredentialsStrategy> {
    private static final long serialVersionUID = 1L;

    @Override
    public CredentialsStrategy convert(String text) {
      if (text.isBlank()) {
        return null;
      }
      try {
        return named(text);
      } catch (CredentialsSetupException e) {
        throw new InvalidSettingException(e.getMessage(), e.getConfigKeys());
      }
    }
  }

  /**
   * Converts {@code gateway.credentials.source}: a strategy that can give {@code assume-role} its
   * base credentials ({@link #canBeSource}).
   */
  public static final class SourceSetting implements Converter<CredentialsStrategy> {
    private static final long serialVersionUID = 1L;

    @Override
    public CredentialsStrategy convert(String text) {
      if (text.isBlank()) {
        return null;
      }
      return find(text)
          .filter(CredentialsStrategy::canBeSource)
          .orElseThrow(
              () ->
                  new InvalidSettingException(
                      CredentialsSetupException.of(
                              null,
                              "gateway.credentials.source (GATEWAY_CREDENTIALS_SOURCE) is '"
                                  + text.strip()
                                  + "', which is not a source of base credentials",
                              "Use one of: "
                                  + Arrays.stream(values())
                                      .filter(CredentialsStrategy::canBeSource)
                                      .map(CredentialsStrategy::configName)
                                      .collect(Collectors.joining(", "))
                                  + ".",
                              ASSUME_ROLE.docAnchor,
                              "gateway.credentials.source")
                          .getMessage(),
                      Set.of("gateway.credentials.source")));
    }
  }

  /** Whether {@code assume-role} may take its base credentials from this strategy. */
  boolean canBeSource() {
    return this != ASSUME_ROLE && this != BEDROCK_API_KEY;
  }

  /**
   * Checks the settings this strategy needs, before building anything. @throws
   * CredentialsSetupException
   */
  void validate(CredentialsSettings settings) {
    implementation.validate(settings);
  }

  /** The credential source (no network call yet); every fetch goes to the source itself. */
  RefreshingCredentialsProvider.Source open(CredentialsSettings settings) {
    return implementation.open(settings);
  }

  /** Turns a failure of the first resolution into the one startup message. */
  CredentialsSetupException explain(CredentialsSettings settings, Throwable error) {
    return implementation.explain(settings, error);
  }

  /**
   * The role whose sessions this strategy uses, when it knows one (the identity shown in health
   * data).
   */
  Optional<String> role(CredentialsSettings settings) {
    return implementation.role(settings);
  }

  /** The valid name within an edit distance of 3 of a mistyped one, or null. */
  private static String closest(String name) {
    if (name == null) {
      return null;
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (CredentialsStrategy v : values()) {
      int d = distance(n, v.configName);
      if (d < bestDistance) {
        bestDistance = d;
        best = v.configName;
      }
    }
    return bestDistance <= 3 ? best : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
