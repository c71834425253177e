package io.github.bedrockgateway.credentials;

import static io.github.bedrockgateway.credentials.CredentialsTestSupport.BASE_KEY_ID;
import static io.github.bedrockgateway.credentials.CredentialsTestSupport.BASE_SECRET;
import static io.github.bedrockgateway.credentials.CredentialsTestSupport.FAST;
import static io.github.bedrockgateway.credentials.CredentialsTestSupport.ROLE_ARN;
import static io.github.bedrockgateway.credentials.CredentialsTestSupport.baseEnv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bedrockgateway.simulator.credentials.FakeSts;
import io.github.bedrockgateway.simulator.credentials.IssuedCredentials;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;

class AssumeRoleStsTest {

  static Vertx vertx;
  FakeSts sts;
  CredentialsManager manager;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close();
  }

  @BeforeEach
  void startSts() {
    sts =
        new FakeSts(
            vertx,
            new FakeSts.Options().allowRole(ROLE_ARN).requireExternalId("gateway-external-id-42"));
    sts.start();
    sts.registerCredentials(BASE_KEY_ID, BASE_SECRET, null);
  }

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.shutdown();
    }
    sts.stop();
  }

  private CredentialsSettings.Builder settings(Map<String, String> env) {
    return CredentialsSettings.builder(Env.of(env))
        .strategy("assume-role")
        .source("static")
        .roleArn(ROLE_ARN)
        .externalId("gateway-external-id-42")
        .roleSessionName("gateway-test-session")
        .sessionDuration(Duration.ofMinutes(20))
        .region(Region.EU_WEST_1)
        .stsTimeout(Duration.ofSeconds(5));
  }

  @Test
  void assume_role_sends_external_id_session_name_and_duration_signed_with_the_base_keys() {
    manager = new CredentialsManager(settings(baseEnv(sts.endpoint().toString())).build(), FAST);
    manager.start();

    AwsCredentials resolved = manager.provider().resolveCredentials();
    IssuedCredentials issued = sts.issued().get(0);
    assertThat(resolved).isInstanceOf(AwsSessionCredentials.class);
    assertThat(resolved.accessKeyId())
        .isEqualTo(issued.accessKeyId())
        .startsWith("ASIA")
        .contains("EXAMPLE");
    assertThat(resolved.secretAccessKey()).isEqualTo(issued.secretAccessKey());
    assertThat(((AwsSessionCredentials) resolved).sessionToken()).isEqualTo(issued.sessionToken());
    assertThat(manager.expiration()).contains(issued.expiration());

    FakeSts.Call call = sts.calls().get(0);
    assertThat(call.action()).isEqualTo("AssumeRole");
    assertThat(call.status()).isEqualTo(200);
    assertThat(call.roleArn()).isEqualTo(ROLE_ARN);
    assertThat(call.externalId()).isEqualTo("gateway-external-id-42");
    assertThat(call.roleSessionName()).isEqualTo("gateway-test-session");
    assertThat(call.durationSeconds()).isEqualTo(1200);
    assertThat(call.callerAccessKeyId()).isEqualTo(BASE_KEY_ID);

    assertThat(manager.strategyName()).isEqualTo("assume-role");
    assertThat(manager.identity()).isEqualTo(ROLE_ARN);
    assertThat(manager.hasValidCredentials()).isTrue();
    assertThat(manager.lastError()).isEmpty();
    assertThat(manager.lastRefresh()).isPresent();
  }

  @Test
  void refresh_now_fetches_a_new_session_in_the_background() throws Exception {
    manager = new CredentialsManager(settings(baseEnv(sts.endpoint().toString())).build(), FAST);
    manager.start();
    String first = manager.provider().resolveCredentials().accessKeyId();

    manager.refreshNow().get(10, TimeUnit.SECONDS);

    assertThat(sts.calls()).hasSize(2);
    assertThat(manager.provider().resolveCredentials().accessKeyId())
        .isNotEqualTo(first)
        .isEqualTo(sts.issued().get(1).accessKeyId());
  }

  @Test
  void a_wrong_base_secret_fails_startup_on_the_signature_check_without_showing_the_secret() {
    Map<String, String> env = baseEnv(sts.endpoint().toString());
    env.put("AWS_SECRET_ACCESS_KEY", "EXAMPLE-wrong-secret-0000000000000000000");
    manager = new CredentialsManager(settings(env).build(), FAST);

    assertThatThrownBy(manager::start)
        .isInstanceOf(CredentialsSetupException.class)
        .hasMessageStartingWith(
            "Credentials strategy 'assume-role': STS rejected the base credentials from gateway.credentials.source=static, access key AKIA…0001")
        .hasMessageContaining("SignatureDoesNotMatch")
        .hasMessageContaining(
            "docs/credentials.md#the-security-token-included-in-the-request-is-invalid")
        .hasMessageNotContaining("EXAMPLE-wrong-secret");
    assertThat(sts.calls())
        .singleElement()
        .satisfies(c -> assertThat(c.errorCode()).isEqualTo("SignatureDoesNotMatch"));
  }

  @Test
  void an_unknown_base_key_is_an_invalid_security_token() {
    Map<String, String> env = baseEnv(sts.endpoint().toString());
    env.put("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEUNKNOWN01");
    manager = new CredentialsManager(settings(env).build(), FAST);

    assertThatThrownBy(manager::start)
        .hasMessageContaining(
            "InvalidClientTokenId: The security token included in the request is invalid.")
        .hasMessageContaining("AKIA…WN01")
        .hasMessageNotContaining("AKIAEXAMPLEUNKNOWN01");
  }

  @Test
  void sts_refusing_the_role_fails_startup_naming_the_role_and_the_trust_policy() {
    manager =
        new CredentialsManager(
            settings(baseEnv(sts.endpoint().toString())).externalId("not-the-right-id").build(),
            FAST);

    assertThatThrownBy(manager::start)
        .isInstanceOf(CredentialsSetupException.class)
        .hasMessage(
            "Credentials strategy 'assume-role': STS refused AssumeRole on gateway.credentials.role-arn "
                + ROLE_ARN
                + " (AccessDenied: User: arn:aws:iam::123456789012:user/gateway-base is not authorized to perform: "
                + "sts:AssumeRole on resource: "
                + ROLE_ARN
                + "). Let the base identity assume the role: the role's trust policy "
                + "must name that principal and require the same sts:ExternalId as gateway.credentials.external-id, and the base "
                + "identity needs sts:AssumeRole on the role. See docs/credentials.md#not-authorized-to-perform-stsassumerole");
  }

  @Test
  void sts_that_cannot_be_reached_fails_startup_naming_the_endpoint() {
    String endpoint = sts.endpoint().toString();
    sts.stop();
    manager =
        new CredentialsManager(
            settings(baseEnv(endpoint)).stsTimeout(Duration.ofSeconds(2)).build(), FAST);

    assertThatThrownBy(manager::start)
        .hasMessageStartingWith(
            "Credentials strategy 'assume-role': cannot get an answer from STS at " + endpoint)
        .hasMessageContaining("docs/credentials.md#sts-unreachable");
  }

  @Test
  void base_credentials_failing_are_reported_as_the_source_strategy_failure() {
    manager =
        new CredentialsManager(
            settings(Map.of("AWS_ENDPOINT_URL_STS", sts.endpoint().toString()))
                .source("container")
                .build(),
            FAST);

    assertThatThrownBy(manager::start)
        .hasMessageStartingWith(
            "Credentials strategy 'assume-role': its base credentials (gateway.credentials.source=container): "
                + "neither AWS_CONTAINER_CREDENTIALS_FULL_URI nor AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is set");
    assertThat(sts.calls()).isEmpty();
  }

  @Test
  void the_sts_client_uses_the_regional_endpoint_when_none_is_configured() {
    CredentialsSettings s = settings(Map.of()).region(Region.AP_NORTHEAST_1).build();
    assertThat(StsClients.endpointOverride(s.env())).isEmpty();
    assertThat(StsClients.describeEndpoint(s))
        .isEqualTo("https://sts.ap-northeast-1.amazonaws.com");
    try (var client =
        StsClients.create(
            s, software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())) {
      var endpoint =
          software.amazon.awssdk.services.sts.endpoints.StsEndpointProvider.defaultProvider()
              .resolveEndpoint(
                  p ->
                      p.region(client.serviceClientConfiguration().region())
                          .useGlobalEndpoint(false))
              .join();
      assertThat(endpoint.url().toString()).isEqualTo("https://sts.ap-northeast-1.amazonaws.com");
    }
  }
}
