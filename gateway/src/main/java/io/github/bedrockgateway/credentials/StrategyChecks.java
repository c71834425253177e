package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.credentials.Env.AwsSetting;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks and messages shared by several strategies. */
final class StrategyChecks {

  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

  private StrategyChecks() {}

  static void roleArn(CredentialsStrategy strategy, String setting, String arn) {
    if (!ROLE_ARN.matcher(arn).matches()) {
      throw CredentialsSetupException.of(
          strategy.configName(),
          setting + " is '" + arn + "', which is not an IAM role ARN",
          "Use the role's ARN as IAM shows it: arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME (not the role name, not an "
              + "assumed-role arn:aws:sts:: session ARN).",
          strategy.docAnchor,
          "gateway.credentials.role-arn");
    }
  }

  static void sessionName(CredentialsStrategy strategy, Optional<String> name, String setting) {
    name.ifPresent(
        n -> {
          if (!SESSION_NAME.matcher(n).matches()) {
            throw CredentialsSetupException.of(
                strategy.configName(),
                setting + " is '" + n + "', which STS does not accept",
                "Use 2 to 64 characters among letters, digits and _+=,.@-.",
                strategy.docAnchor,
                "gateway.credentials.role-session-name");
          }
        });
  }

  /** The configured session name, else {@code bedrock-gateway-HOST} cut to STS's limits. */
  static String sessionName(Optional<String> configured, Env env) {
    return configured.orElseGet(
        () -> {
          String host =
              env.getenv("HOSTNAME")
                  .orElseGet(
                      () -> {
                        try {
                          return InetAddress.getLocalHost().getHostName();
                        } catch (UnknownHostException e) {
                          return "local";
                        }
                      });
          String name = ("bedrock-gateway-" + host).replaceAll("[^\\w+=,.@-]", "-");
          return name.length() > 64 ? name.substring(0, 64) : name;
        });
  }

  static void externalId(CredentialsStrategy strategy, String id) {
    if (!EXTERNAL_ID.matcher(id).matches()) {
      throw CredentialsSetupException.of(
          strategy.configName(),
          "gateway.credentials.external-id has "
              + id.length()
              + " characters or characters STS does not accept",
          "Use 2 to 1224 characters among letters, digits and _+=,.@:/-.",
          strategy.docAnchor,
          "gateway.credentials.external-id");
    }
  }

  static void sessionDuration(CredentialsStrategy strategy, CredentialsSettings s) {
    if (s.staleTime().isNegative()
        || s.staleTime().isZero()
        || s.prefetchTime().compareTo(s.staleTime()) <= 0) {
      throw CredentialsSetupException.of(
          strategy.configName(),
          "gateway.credentials.prefetch-time ("
              + s.prefetchTime()
              + ") must be longer than gateway.credentials.stale-time ("
              + s.staleTime()
              + "), and both positive",
          "Keep the defaults (5m and 1m) unless you have a reason.",
          "refresh",
          "gateway.credentials.prefetch-time");
    }
    s.sessionDuration()
        .ifPresent(
            d -> {
              if (d.compareTo(Duration.ofMinutes(15)) < 0
                  || d.compareTo(Duration.ofHours(12)) > 0) {
                throw CredentialsSetupException.of(
                    strategy.configName(),
                    "gateway.credentials.session-duration is "
                        + d
                        + ", outside what STS accepts (PT15M to PT12H)",
                    "Use e.g. PT1H; above PT1H the role's MaxSessionDuration must allow it.",
                    strategy.docAnchor,
                    "gateway.credentials.session-duration");
              }
            });
  }

  static void stsEndpoint(CredentialsStrategy strategy, CredentialsSettings s) {
    Optional<String> raw =
        s.env()
            .setting(AwsSetting.ENDPOINT_URL_STS)
            .or(() -> s.env().setting(AwsSetting.ENDPOINT_URL));
    raw.ifPresent(
        r ->
            httpUri(
                strategy,
                "AWS_ENDPOINT_URL_STS (or AWS_ENDPOINT_URL)",
                r,
                "Use a URL such as https://sts.us-east-1.amazonaws.com."));
  }

  static URI httpUri(CredentialsStrategy strategy, String setting, String value, String fix) {
    try {
      URI uri = new URI(value);
      if (uri.getHost() == null
          || !("http".equalsIgnoreCase(uri.getScheme())
              || "https".equalsIgnoreCase(uri.getScheme()))) {
        throw new IllegalArgumentException("not an http(s) URL with a host");
      }
      return uri;
    } catch (Exception e) {
      throw CredentialsSetupException.of(
          strategy.configName(),
          setting + " is '" + value + "', which is not an http(s) URL (" + e.getMessage() + ")",
          fix,
          strategy.docAnchor,
          "gateway.credentials.strategy");
    }
  }

  /** STS answered with an error code no strategy has a better message for. */
  static CredentialsSetupException stsOther(
      CredentialsStrategy strategy, CredentialsSettings s, StsFailure f) {
    return CredentialsSetupException.of(
        strategy.configName(),
        "STS at " + StsClients.describeEndpoint(s) + " refused the request (" + f + ")",
        "See the troubleshooting section for this error code.",
        "troubleshooting",
        "gateway.credentials.role-arn");
  }

  /** No answer from STS at all. */
  static CredentialsSetupException unreachableSts(
      CredentialsStrategy strategy, CredentialsSettings s, Throwable error) {
    return CredentialsSetupException.of(
        strategy.configName(),
        "cannot get an answer from STS at "
            + StsClients.describeEndpoint(s)
            + " ("
            + Redact.cause(error)
            + ")",
        "Check network access to STS (the regional endpoint, or a VPC endpoint com.amazonaws."
            + s.region().id()
            + ".sts), or set AWS_ENDPOINT_URL_STS; gateway.credentials.sts-timeout bounds each call.",
        "sts-unreachable",
        "gateway.credentials.sts-timeout");
  }
}
