package io.github.bedrockgateway.credentials;

import static io.github.bedrockgateway.credentials.CredentialsTestSupport.FAST;
import static io.github.bedrockgateway.credentials.CredentialsTestSupport.ROLE_ARN;
import static io.github.bedrockgateway.credentials.CredentialsTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bedrockgateway.simulator.credentials.FakeSts;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebIdentityStsTest {

  static Vertx vertx;
  FakeSts sts;
  CredentialsManager manager;
  Path tokenFile;

  @TempDir Path dir;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close();
  }

  @BeforeEach
  void startSts() throws IOException {
    tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, "eyJhbGciOiJSUzI1NiJ9.first-token.sig\n");
    sts =
        new FakeSts(
            vertx, new FakeSts.Options().allowRole(ROLE_ARN).webIdentityTokenFile(tokenFile));
    sts.start();
  }

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.shutdown();
    }
    sts.stop();
  }

  /**
   * Role and token file from AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE, as the IRSA webhook sets
   * them.
   */
  private CredentialsSettings.Builder irsa() {
    return CredentialsSettings.builder(
            Env.of(
                Map.of(
                    "AWS_ROLE_ARN",
                    ROLE_ARN,
                    "AWS_WEB_IDENTITY_TOKEN_FILE",
                    tokenFile.toString(),
                    "AWS_ROLE_SESSION_NAME",
                    "irsa-session",
                    "AWS_ENDPOINT_URL_STS",
                    sts.endpoint().toString())))
        .strategy("web-identity");
  }

  @Test
  void web_identity_resolves_exactly_what_sts_issued_for_the_token_in_the_file() {
    manager = new CredentialsManager(irsa().build(), FAST);
    manager.start();

    assertThat(manager.provider().resolveCredentials().accessKeyId())
        .isEqualTo(sts.issued().get(0).accessKeyId());
    FakeSts.Call call = sts.calls().get(0);
    assertThat(call.action()).isEqualTo("AssumeRoleWithWebIdentity");
    assertThat(call.callerAccessKeyId()).as("unsigned").isNull();
    assertThat(call.roleArn()).isEqualTo(ROLE_ARN);
    assertThat(call.roleSessionName()).isEqualTo("irsa-session");
    assertThat(call.webIdentityToken()).isEqualTo("eyJhbGciOiJSUzI1NiJ9.first-token.sig");
    assertThat(manager.identity()).isEqualTo(ROLE_ARN);
  }

  @Test
  void a_rotated_token_file_is_read_again_at_the_next_refresh() throws IOException {
    sts.credentialLifetime(Duration.ofSeconds(8));
    manager =
        new CredentialsManager(
            irsa().prefetchTime(Duration.ofSeconds(6)).staleTime(Duration.ofSeconds(2)).build(),
            FAST);
    manager.start();
    String first = manager.provider().resolveCredentials().accessKeyId();

    // The kubelet rotates the projected token; from now on STS only accepts the new one.
    Files.writeString(tokenFile, "eyJhbGciOiJSUzI1NiJ9.second-token.sig\n");

    await("a refresh with the new token", Duration.ofSeconds(15), () -> sts.issued().size() >= 2);
    FakeSts.Call refresh = sts.calls().get(1);
    assertThat(refresh.webIdentityToken()).isEqualTo("eyJhbGciOiJSUzI1NiJ9.second-token.sig");
    assertThat(refresh.status()).isEqualTo(200);
    await(
        "the gateway to use the new session",
        Duration.ofSeconds(5),
        () -> !manager.provider().resolveCredentials().accessKeyId().equals(first));
    assertThat(manager.provider().resolveCredentials().accessKeyId())
        .isEqualTo(sts.issued().get(1).accessKeyId());
    assertThat(manager.lastError()).isEmpty();
  }

  @Test
  void a_token_sts_rejects_fails_startup_pointing_at_the_oidc_provider() throws IOException {
    Files.writeString(tokenFile, "eyJhbGciOiJSUzI1NiJ9.stale-copy.sig");
    sts.stop();
    sts =
        new FakeSts(
            vertx,
            new FakeSts.Options().expectedWebIdentityToken("eyJhbGciOiJSUzI1NiJ9.other.sig"));
    sts.start();
    manager = new CredentialsManager(irsa().build(), FAST);

    assertThatThrownBy(manager::start)
        .isInstanceOf(CredentialsSetupException.class)
        .hasMessageStartingWith(
            "Credentials strategy 'web-identity': STS rejected the web identity token read from "
                + tokenFile
                + " (InvalidIdentityToken:")
        .hasMessageEndingWith("See docs/credentials.md#invalididentitytoken")
        .hasMessageNotContaining("stale-copy");
  }

  @Test
  void a_role_the_trust_policy_refuses_fails_startup_with_access_denied() {
    manager =
        new CredentialsManager(
            CredentialsSettings.builder(
                    Env.of(Map.of("AWS_ENDPOINT_URL_STS", sts.endpoint().toString())))
                .strategy("web-identity")
                .roleArn("arn:aws:iam::123456789012:role/some-other-role")
                .webIdentityTokenFile(tokenFile.toString())
                .build(),
            FAST);

    assertThatThrownBy(manager::start)
        .hasMessageStartingWith(
            "Credentials strategy 'web-identity': STS refused AssumeRoleWithWebIdentity on role "
                + "arn:aws:iam::123456789012:role/some-other-role (AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity)")
        .hasMessageEndingWith("See docs/credentials.md#irsa-trust-policy");
  }
}
