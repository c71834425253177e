package io.github.bedrockgateway.credentials;

import static io.github.bedrockgateway.credentials.CredentialsTestSupport.BASE_KEY_ID;
import static io.github.bedrockgateway.credentials.CredentialsTestSupport.BASE_SECRET;
import static io.github.bedrockgateway.credentials.CredentialsTestSupport.FAST;
import static io.github.bedrockgateway.credentials.CredentialsTestSupport.ROLE_ARN;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.simulator.credentials.FakeSts;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;

class ProfileAndStaticCredentialsTest {

  @TempDir Path dir;
  Path config;
  Path credentials;
  CredentialsManager manager;

  @BeforeEach
  void files() throws IOException {
    config = dir.resolve("config");
    credentials = dir.resolve("credentials");
    Files.writeString(
        config,
        """
                [default]
                region = us-west-2

                [profile dev]
                region = eu-west-3
                """);
    Files.writeString(
        credentials,
        """
                [dev]
                aws_access_key_id = AKIAEXAMPLEDEV000001
                aws_secret_access_key = EXAMPLE-dev-secret-0123456789abcdefghijk
                """);
  }

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.shutdown();
    }
  }

  private Env profileEnv(String profile) {
    return Env.of(
        Map.of(
            "AWS_CONFIG_FILE",
            config.toString(),
            "AWS_SHARED_CREDENTIALS_FILE",
            credentials.toString(),
            "AWS_PROFILE",
            profile),
        Map.of("user.home", dir.toString()));
  }

  @Test
  void static_resolves_the_keys_of_the_environment() {
    manager =
        new CredentialsManager(
            CredentialsSettings.builder(
                    Env.of(
                        Map.of(
                            "AWS_ACCESS_KEY_ID", "ASIAEXAMPLESTATIC001",
                            "AWS_SECRET_ACCESS_KEY", "EXAMPLE-static-secret-0123456789abcdefgh",
                            "AWS_SESSION_TOKEN", "EXAMPLE-static-session-token")))
                .strategy("static")
                .build(),
            FAST);
    manager.start();

    AwsCredentials resolved = manager.provider().resolveCredentials();
    assertThat(resolved).isInstanceOf(AwsSessionCredentials.class);
    assertThat(resolved.accessKeyId()).isEqualTo("ASIAEXAMPLESTATIC001");
    assertThat(resolved.secretAccessKey()).isEqualTo("EXAMPLE-static-secret-0123456789abcdefgh");
    assertThat(((AwsSessionCredentials) resolved).sessionToken())
        .isEqualTo("EXAMPLE-static-session-token");
    assertThat(manager.identity()).isEqualTo("ASIA…C001");
    assertThat(manager.expiration()).isEmpty();
    assertThat(manager.hasValidCredentials()).isTrue();
  }

  @Test
  void static_reads_the_aws_system_properties_before_the_environment() {
    manager =
        new CredentialsManager(
            CredentialsSettings.builder(
                    Env.of(
                        Map.of(
                            "AWS_ACCESS_KEY_ID",
                            "AKIAEXAMPLEENV000001",
                            "AWS_SECRET_ACCESS_KEY",
                            "EXAMPLE-env-secret"),
                        Map.of(
                            "aws.accessKeyId",
                            "AKIAEXAMPLEPROP00001",
                            "aws.secretAccessKey",
                            "EXAMPLE-prop-secret")))
                .strategy("static")
                .build(),
            FAST);
    manager.start();

    AwsCredentials resolved = manager.provider().resolveCredentials();
    assertThat(resolved).isInstanceOf(AwsBasicCredentials.class);
    assertThat(resolved.accessKeyId()).isEqualTo("AKIAEXAMPLEPROP00001");
    assertThat(resolved.secretAccessKey()).isEqualTo("EXAMPLE-prop-secret");
  }

  @Test
  void profile_resolves_the_keys_of_the_named_profile_and_gives_its_region() {
    Env env = profileEnv("dev");
    manager =
        new CredentialsManager(CredentialsSettings.builder(env).strategy("profile").build(), FAST);
    manager.start();

    AwsCredentials resolved = manager.provider().resolveCredentials();
    assertThat(resolved.accessKeyId()).isEqualTo("AKIAEXAMPLEDEV000001");
    assertThat(resolved.secretAccessKey()).isEqualTo("EXAMPLE-dev-secret-0123456789abcdefghijk");
    assertThat(RegionResolver.resolve(Optional.empty(), Optional.empty(), "profile", env))
        .isEqualTo(new RegionResolver.ResolvedRegion(Region.EU_WEST_3, "region of profile 'dev'"));
  }

  @Test
  void profile_runs_credential_process() throws IOException {
    Path script = dir.resolve("creds.sh");
    String expiration =
        Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    Files.writeString(
        script,
        """
                #!/bin/sh
                echo '{"Version": 1, "AccessKeyId": "ASIAEXAMPLEPROCESS01", "SecretAccessKey": "EXAMPLE-process-secret",
                       "SessionToken": "EXAMPLE-process-token", "Expiration": "%s"}'
                """
            .formatted(expiration));
    Files.writeString(
        config,
        "\n[profile tool]\ncredential_process = sh " + script + "\n",
        java.nio.file.StandardOpenOption.APPEND);

    manager =
        new CredentialsManager(
            CredentialsSettings.builder(profileEnv("tool")).strategy("profile").build(), FAST);
    manager.start();

    AwsCredentials resolved = manager.provider().resolveCredentials();
    assertThat(resolved.accessKeyId()).isEqualTo("ASIAEXAMPLEPROCESS01");
    assertThat(((AwsSessionCredentials) resolved).sessionToken())
        .isEqualTo("EXAMPLE-process-token");
    assertThat(manager.expiration()).contains(Instant.parse(expiration));
  }

  @Test
  void profile_follows_role_arn_and_source_profile_through_sts() throws IOException {
    Vertx vertx = Vertx.vertx();
    FakeSts sts =
        new FakeSts(
            vertx,
            new FakeSts.Options().allowRole(ROLE_ARN).requireExternalId("profile-external-id"));
    sts.start();
    sts.registerCredentials(BASE_KEY_ID, BASE_SECRET, null);
    Files.writeString(
        credentials,
        "\n[base]\naws_access_key_id = "
            + BASE_KEY_ID
            + "\naws_secret_access_key = "
            + BASE_SECRET
            + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(
        config,
        """

                [profile chained]
                role_arn = %s
                source_profile = base
                external_id = profile-external-id
                role_session_name = chained-session
                region = eu-central-1
                """
            .formatted(ROLE_ARN),
        java.nio.file.StandardOpenOption.APPEND);
    // The SDK builds the STS client of a role profile itself; it honours AWS_ENDPOINT_URL_STS
    // (here as its system property) like every SDK client.
    System.setProperty("aws.endpointUrlSts", sts.endpoint().toString());
    try {
      manager =
          new CredentialsManager(
              CredentialsSettings.builder(profileEnv("chained")).strategy("profile").build(), FAST);
      manager.start();

      assertThat(manager.provider().resolveCredentials().accessKeyId())
          .isEqualTo(sts.issued().get(0).accessKeyId());
      FakeSts.Call call = sts.calls().get(0);
      assertThat(call.callerAccessKeyId()).isEqualTo(BASE_KEY_ID);
      assertThat(call.externalId()).isEqualTo("profile-external-id");
      assertThat(call.roleSessionName()).isEqualTo("chained-session");
      assertThat(manager.identity()).isEqualTo(ROLE_ARN);
    } finally {
      System.clearProperty("aws.endpointUrlSts");
      sts.stop();
      vertx.close();
    }
  }

  @Test
  void default_chain_finds_the_aws_system_properties() {
    System.setProperty("aws.accessKeyId", "AKIAEXAMPLECHAIN0001");
    System.setProperty("aws.secretAccessKey", "EXAMPLE-chain-secret");
    try {
      manager =
          new CredentialsManager(
              CredentialsSettings.builder(profileEnv("default")).strategy("default").build(), FAST);
      manager.start();

      AwsCredentials resolved = manager.provider().resolveCredentials();
      assertThat(resolved.accessKeyId()).isEqualTo("AKIAEXAMPLECHAIN0001");
      assertThat(resolved.secretAccessKey()).isEqualTo("EXAMPLE-chain-secret");
      assertThat(manager.identity()).isEqualTo("AKIA…0001");
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }
}
