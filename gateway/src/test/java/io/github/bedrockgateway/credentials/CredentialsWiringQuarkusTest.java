package io.github.bedrockgateway.credentials;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** The CDI wiring: the startup resolution, the produced provider, the readiness check. */
@QuarkusTest
@WithTestResource(FakeStsTestResource.class)
class CredentialsWiringQuarkusTest {

  @Inject AwsCredentialsProvider provider;

  @Inject CredentialsManager manager;

  @Test
  void the_produced_provider_signs_with_the_session_resolved_at_startup() {
    assertThat(FakeStsTestResource.sts.calls())
        .isNotEmpty()
        .first()
        .satisfies(
            call -> {
              assertThat(call.roleSessionName()).isEqualTo("quarkus-test");
              assertThat(call.callerAccessKeyId()).isEqualTo(CredentialsTestSupport.BASE_KEY_ID);
            });
    String keyId = provider.resolveCredentials().accessKeyId();
    assertThat(FakeStsTestResource.sts.issued())
        .anySatisfy(issued -> assertThat(issued.accessKeyId()).isEqualTo(keyId));
    assertThat(manager.strategyName()).isEqualTo("assume-role");
    assertThat(manager.identity()).isEqualTo(CredentialsTestSupport.ROLE_ARN);
  }

  @Test
  void readiness_reports_strategy_identity_and_expiry_and_liveness_ignores_credentials() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.find { it.name == 'aws-credentials' }.status", equalTo("UP"))
        .body("checks.find { it.name == 'aws-credentials' }.data.strategy", equalTo("assume-role"))
        .body(
            "checks.find { it.name == 'aws-credentials' }.data.identity",
            equalTo(CredentialsTestSupport.ROLE_ARN))
        .body(
            "checks.find { it.name == 'aws-credentials' }.data.expiresAt",
            equalTo(manager.expiration().orElseThrow().toString()));
    given()
        .when()
        .get("/q/health/live")
        .then()
        .statusCode(200)
        .body("checks.name", not(hasItem("aws-credentials")));
  }

  @Test
  void refresh_now_replaces_the_session_the_produced_provider_hands_out() throws Exception {
    String before = provider.resolveCredentials().accessKeyId();
    manager.refreshNow().get(10, TimeUnit.SECONDS);
    assertThat(provider.resolveCredentials().accessKeyId()).isNotEqualTo(before);
  }
}
