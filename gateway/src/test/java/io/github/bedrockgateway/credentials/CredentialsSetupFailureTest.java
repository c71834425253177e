package io.github.bedrockgateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bedrockgateway.credentials.RegionResolver.ResolvedRegion;
import io.github.bedrockgateway.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;

/**
 * Every wrong setup stops startup with one message naming the strategy, the setting, the cause and
 * the fix, and pointing at a section of docs/credentials.md that exists.
 */
class CredentialsSetupFailureTest {

  @TempDir static Path dir;

  /** A named misconfiguration and the message it must give. */
  record Case(String name, Function<Path, CredentialsSettings> settings, String expectedMessage) {
    @Override
    public String toString() {
      return name;
    }
  }

  static CredentialsSettings.Builder with(String strategy, Map<String, String> env) {
    return CredentialsSettings.builder(Env.of(env, Map.of("user.home", dir.toString())))
        .strategy(strategy);
  }

  static Stream<Case> cases() {
    String role = CredentialsTestSupport.ROLE_ARN;
    return Stream.of(
        new Case(
            "unknown strategy",
            d -> with("assume_rol", Map.of()).build(),
            "Credentials strategy 'assume_rol': gateway.credentials.strategy (GATEWAY_CREDENTIALS_STRATEGY) is 'assume_rol', "
                + "which is not a strategy. Did you mean 'assume-role'? Use one of: default, static, profile, assume-role, "
                + "web-identity, instance-role, container, bedrock-api-key. See docs/credentials.md#strategies"),
        new Case(
            "static without keys",
            d -> with("static", Map.of()).build(),
            "Credentials strategy 'static': AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the aws.accessKeyId and "
                + "aws.secretAccessKey system properties) are not set. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus "
                + "AWS_SESSION_TOKEN for temporary ASIA… keys), or the aws.accessKeyId/aws.secretAccessKey system properties; "
                + "on AWS prefer a role strategy. See docs/credentials.md#static"),
        new Case(
            "static without secret",
            d -> with("static", Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEONLYKEY01")).build(),
            "Credentials strategy 'static': AWS_ACCESS_KEY_ID is set (AKIA…EY01) but AWS_SECRET_ACCESS_KEY (aws.secretAccessKey) "
                + "is not. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary ASIA… keys), or "
                + "the aws.accessKeyId/aws.secretAccessKey system properties; on AWS prefer a role strategy. "
                + "See docs/credentials.md#static"),
        new Case(
            "temporary static key without session token",
            d ->
                with(
                        "static",
                        Map.of(
                            "AWS_ACCESS_KEY_ID",
                            "ASIAEXAMPLETEMP00001",
                            "AWS_SECRET_ACCESS_KEY",
                            "EXAMPLE-secret"))
                    .build(),
            "Credentials strategy 'static': AWS_ACCESS_KEY_ID ASIA…0001 is a temporary key (ASIA…) but AWS_SESSION_TOKEN "
                + "(aws.sessionToken) is not set. Set AWS_SESSION_TOKEN from the same credentials, or use long-term AKIA… keys. "
                + "See docs/credentials.md#static"),
        new Case(
            "missing profile",
            d ->
                with(
                        "profile",
                        Map.of(
                            "AWS_PROFILE",
                            "nope",
                            "AWS_CONFIG_FILE",
                            d.resolve("config").toString(),
                            "AWS_SHARED_CREDENTIALS_FILE",
                            d.resolve("credentials").toString()))
                    .build(),
            "Credentials strategy 'profile': gateway.credentials.profile (or AWS_PROFILE) names profile 'nope', which is not in "
                + dir.resolve("config")
                + " and "
                + dir.resolve("credentials")
                + " (missing) (profiles there: default, dev). Create the profile "
                + "(aws configure --profile nope), fix the name, or mount the files and point AWS_CONFIG_FILE / "
                + "AWS_SHARED_CREDENTIALS_FILE at them. See docs/credentials.md#profile"),
        new Case(
            "assume-role without role",
            d -> with("assume-role", Map.of()).build(),
            "Credentials strategy 'assume-role': gateway.credentials.role-arn (GATEWAY_CREDENTIALS_ROLE_ARN) is not set. Set it to "
                + "the ARN of the role allowed to call Bedrock, e.g. arn:aws:iam::123456789012:role/bedrock-gateway. "
                + "See docs/credentials.md#assume-role"),
        new Case(
            "assume-role with a role name instead of an ARN",
            d -> with("assume-role", Map.of()).roleArn("bedrock-gateway").build(),
            "Credentials strategy 'assume-role': gateway.credentials.role-arn is 'bedrock-gateway', which is not an IAM role ARN. "
                + "Use the role's ARN as IAM shows it: arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME (not the role name, not an "
                + "assumed-role arn:aws:sts:: session ARN). See docs/credentials.md#assume-role"),
        new Case(
            "assume-role with itself as source",
            d -> with("assume-role", Map.of()).roleArn(role).source("assume-role").build(),
            "Credentials strategy 'assume-role': gateway.credentials.source is 'assume-role', which is not a source of base "
                + "credentials. Use one of: default, static, profile, instance-role, container, web-identity. "
                + "See docs/credentials.md#assume-role"),
        new Case(
            "assume-role with a too short session",
            d ->
                with("assume-role", Map.of())
                    .roleArn(role)
                    .sessionDuration(Duration.ofMinutes(5))
                    .build(),
            "Credentials strategy 'assume-role': gateway.credentials.session-duration is PT5M, outside what STS accepts (PT15M to "
                + "PT12H). Use e.g. PT1H; above PT1H the role's MaxSessionDuration must allow it. See docs/credentials.md#assume-role"),
        new Case(
            "assume-role with static source without keys",
            d -> with("assume-role", Map.of()).roleArn(role).source("static").build(),
            "Credentials strategy 'assume-role': its base credentials (gateway.credentials.source=static): AWS_ACCESS_KEY_ID and "
                + "AWS_SECRET_ACCESS_KEY (or the aws.accessKeyId and aws.secretAccessKey system properties) are not set. Set "
                + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary ASIA… keys), or the "
                + "aws.accessKeyId/aws.secretAccessKey system properties; on AWS prefer a role strategy. See docs/credentials.md#static"),
        new Case(
            "assume-role with a bad STS endpoint",
            d ->
                with("assume-role", Map.of("AWS_ENDPOINT_URL_STS", "sts.local:4566"))
                    .roleArn(role)
                    .build(),
            "Credentials strategy 'assume-role': AWS_ENDPOINT_URL_STS (or AWS_ENDPOINT_URL) is 'sts.local:4566', which is not an "
                + "http(s) URL (not an http(s) URL with a host). Use a URL such as https://sts.us-east-1.amazonaws.com. "
                + "See docs/credentials.md#assume-role"),
        new Case(
            "web-identity without role",
            d -> with("web-identity", Map.of()).build(),
            "Credentials strategy 'web-identity': neither gateway.credentials.role-arn nor AWS_ROLE_ARN is set. On EKS annotate the "
                + "service account with eks.amazonaws.com/role-arn (the IRSA webhook then sets AWS_ROLE_ARN); otherwise set "
                + "gateway.credentials.role-arn. See docs/credentials.md#web-identity"),
        new Case(
            "web-identity without token file",
            d -> with("web-identity", Map.of("AWS_ROLE_ARN", role)).build(),
            "Credentials strategy 'web-identity': neither gateway.credentials.web-identity-token-file nor AWS_WEB_IDENTITY_TOKEN_FILE "
                + "is set. Mount the projected service-account token (IRSA sets AWS_WEB_IDENTITY_TOKEN_FILE) or set "
                + "gateway.credentials.web-identity-token-file. See docs/credentials.md#web-identity"),
        new Case(
            "web-identity with a missing token file",
            d ->
                with(
                        "web-identity",
                        Map.of(
                            "AWS_ROLE_ARN",
                            role,
                            "AWS_WEB_IDENTITY_TOKEN_FILE",
                            "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"))
                    .build(),
            "Credentials strategy 'web-identity': gateway.credentials.web-identity-token-file (or AWS_WEB_IDENTITY_TOKEN_FILE) "
                + "points to /var/run/secrets/eks.amazonaws.com/serviceaccount/token which cannot be read (NoSuchFileException). "
                + "Mount the projected service-account token or fix the path. See docs/credentials.md#web-identity"),
        new Case(
            "instance-role with IMDSv1 fallback switched on",
            d -> with("instance-role", Map.of("AWS_EC2_METADATA_V1_DISABLED", "false")).build(),
            "Credentials strategy 'instance-role': AWS_EC2_METADATA_V1_DISABLED (aws.disableEc2MetadataV1) is false, which would "
                + "let the SDK fall back to IMDSv1; the gateway only uses IMDSv2. Unset it (or set it to true) and require IMDSv2 "
                + "on the instance (HttpTokens=required). See docs/credentials.md#instance-role"),
        new Case(
            "container outside ECS and EKS",
            d -> with("container", Map.of()).build(),
            "Credentials strategy 'container': neither AWS_CONTAINER_CREDENTIALS_FULL_URI nor AWS_CONTAINER_CREDENTIALS_RELATIVE_URI "
                + "is set. On ECS give the task a task role (the agent sets AWS_CONTAINER_CREDENTIALS_RELATIVE_URI); on EKS "
                + "install the Pod Identity Agent add-on and create a pod identity association for the service account. "
                + "See docs/credentials.md#container"),
        new Case(
            "container with an http URI on a foreign host",
            d ->
                with(
                        "container",
                        Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://198.51.100.7/creds"))
                    .build(),
            "Credentials strategy 'container': AWS_CONTAINER_CREDENTIALS_FULL_URI is http://198.51.100.7/creds, a plain-http URI on "
                + "a host the AWS SDK refuses (only loopback, 169.254.170.2, 169.254.170.23 and fd00:ec2::23 may use http). "
                + "Use https, or the ECS/EKS agent address. See docs/credentials.md#container"),
        new Case(
            "bedrock-api-key without a key",
            d -> with("bedrock-api-key", Map.of()).build(),
            "Credentials strategy 'bedrock-api-key': neither AWS_BEARER_TOKEN_BEDROCK nor gateway.credentials.api-key.file "
                + "(GATEWAY_CREDENTIALS_API_KEY_FILE) is set. "
                + CREATE_KEY
                + " See docs/credentials.md#bedrock-api-key"),
        new Case(
            "bedrock-api-key with something else in AWS_BEARER_TOKEN_BEDROCK",
            d ->
                with(
                        "bedrock-api-key",
                        Map.of("AWS_BEARER_TOKEN_BEDROCK", "sk-proj-EXAMPLEnotabedrockkey"))
                    .build(),
            "Credentials strategy 'bedrock-api-key': the Bedrock API key in AWS_BEARER_TOKEN_BEDROCK is malformed: it starts "
                + "with neither ABSK (a long-term key) nor bedrock-api-key- (a short-term key). Copy the whole key as the "
                + "Bedrock console or the token generator gave it: ABSK… for a long-term key, bedrock-api-key-… for a "
                + "short-term one. See docs/credentials.md#bedrock-api-key"),
        new Case(
            "bedrock-api-key with a key file that is not there",
            d ->
                with("bedrock-api-key", Map.of())
                    .apiKeyFile("/var/run/secrets/bedrock/api-key")
                    .build(),
            "Credentials strategy 'bedrock-api-key': gateway.credentials.api-key.file (GATEWAY_CREDENTIALS_API_KEY_FILE) points "
                + "to /var/run/secrets/bedrock/api-key which cannot be read (NoSuchFileException). Mount the secret holding "
                + "the key or fix the path. See docs/credentials.md#bedrock-api-key"));
  }

  static final String CREATE_KEY =
      "Create a Bedrock API key (a short-term key made from a role is recommended) and put it in the file "
          + "named by gateway.credentials.api-key.file (GATEWAY_CREDENTIALS_API_KEY_FILE) or in AWS_BEARER_TOKEN_BEDROCK.";

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void a_wrong_setup_fails_startup_with_one_message_naming_setting_cause_and_fix(Case c)
      throws IOException {
    Files.writeString(
        dir.resolve("config"),
        "[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n");
    Files.deleteIfExists(dir.resolve("credentials"));
    CredentialsManager manager =
        new CredentialsManager(c.settings().apply(dir), CredentialsTestSupport.FAST);

    assertThatThrownBy(manager::start)
        .isInstanceOf(CredentialsSetupException.class)
        .hasNoCause()
        .hasMessage(c.expectedMessage());
  }

  @Test
  void no_region_anywhere_fails_startup_naming_every_place_looked_at() {
    Env env =
        Env.of(
            Map.of(
                "AWS_CONFIG_FILE",
                dir.resolve("absent-config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.resolve("absent-credentials").toString()));

    assertThatThrownBy(
            () -> RegionResolver.resolve(Optional.empty(), Optional.empty(), "web-identity", env))
        .isInstanceOf(CredentialsSetupException.class)
        .hasMessage(
            "Credentials strategy 'web-identity': no AWS region is configured: gateway.region (GATEWAY_REGION), AWS_REGION, "
                + "AWS_DEFAULT_REGION and the region of profile 'default' in "
                + dir.resolve("absent-config")
                + " (missing) and "
                + dir.resolve("absent-credentials")
                + " (missing) are all unset. Set gateway.region (or AWS_REGION) to the region "
                + "where your Bedrock models are enabled, e.g. us-east-1. See docs/credentials.md#region");
  }

  @Test
  void a_display_name_is_not_a_region() {
    assertThatThrownBy(
            () ->
                RegionResolver.resolve(
                    Optional.of("US East (N. Virginia)"),
                    Optional.empty(),
                    "static",
                    Env.of(Map.of())))
        .hasMessageStartingWith(
            "Credentials strategy 'static': gateway.region is 'US East (N. Virginia)', which is not an AWS region name.");
  }

  @Test
  void region_comes_from_the_setting_then_aws_region_then_aws_default_region_then_the_profile()
      throws IOException {
    Path config = dir.resolve("region-config");
    Files.writeString(config, "[profile work]\nregion = ap-south-1\n");
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "AWS_CONFIG_FILE",
                config.toString(),
                "AWS_PROFILE",
                "work",
                "AWS_REGION",
                "eu-north-1",
                "AWS_DEFAULT_REGION",
                "sa-east-1"));

    assertThat(
            RegionResolver.resolve(
                Optional.of("us-east-2"), Optional.empty(), "default", Env.of(env)))
        .isEqualTo(new ResolvedRegion(Region.US_EAST_2, "gateway.region"));
    assertThat(RegionResolver.resolve(Optional.empty(), Optional.empty(), "default", Env.of(env)))
        .isEqualTo(new ResolvedRegion(Region.EU_NORTH_1, "AWS_REGION"));
    env.remove("AWS_REGION");
    assertThat(RegionResolver.resolve(Optional.empty(), Optional.empty(), "default", Env.of(env)))
        .isEqualTo(new ResolvedRegion(Region.SA_EAST_1, "AWS_DEFAULT_REGION"));
    env.remove("AWS_DEFAULT_REGION");
    assertThat(RegionResolver.resolve(Optional.empty(), Optional.empty(), "default", Env.of(env)))
        .isEqualTo(new ResolvedRegion(Region.AP_SOUTH_1, "region of profile 'work'"));
  }

  @Test
  void every_docs_link_in_the_code_points_at_a_section_of_docs_credentials_md() throws IOException {
    Set<String> slugs = new LinkedHashSet<>();
    for (String line : Files.readAllLines(RepoFiles.file("docs/credentials.md"))) {
      if (line.startsWith("#")) {
        slugs.add(slug(line.replaceFirst("^#+\\s*", "")));
      }
      Matcher explicit = Pattern.compile("<a id=\"([^\"]+)\"").matcher(line);
      while (explicit.find()) {
        slugs.add(explicit.group(1));
      }
    }
    Set<String> used = new LinkedHashSet<>();
    List<Path> sources;
    try (Stream<Path> files =
        Files.list(Path.of("src/main/java/io/github/bedrockgateway/credentials"))) {
      sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
    for (Path source : sources) {
      Matcher anchor =
          Pattern.compile("\"([a-z0-9-]+)\", \"gateway\\.").matcher(Files.readString(source));
      while (anchor.find()) {
        used.add(anchor.group(1));
      }
    }
    for (CredentialsStrategy strategy : CredentialsStrategy.values()) {
      used.add(strategy.docAnchor);
    }
    used.addAll(List.of("strategies", "refresh", "troubleshooting", "sts-unreachable"));
    assertThat(used).hasSizeGreaterThan(10);
    assertThat(slugs).containsAll(used);
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
  static String slug(String heading) {
    return heading.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
  }
}
