package io.github.bedrockgateway.credentials;

import static io.github.bedrockgateway.credentials.CredentialsTestSupport.FAST;
import static io.github.bedrockgateway.credentials.CredentialsTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bedrockgateway.simulator.credentials.FakeImds;
import io.github.bedrockgateway.simulator.credentials.IssuedCredentials;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class InstanceRoleImdsTest {

  static Vertx vertx;
  FakeImds imds;
  CredentialsManager manager;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close();
  }

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.shutdown();
    }
    imds.stop();
  }

  private CredentialsManager instanceRole(Duration staleTime) {
    return new CredentialsManager(
        CredentialsSettings.builder(
                Env.of(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint().toString())))
            .strategy("instance-role")
            .staleTime(staleTime)
            .prefetchTime(staleTime.multipliedBy(3))
            .build(),
        FAST);
  }

  @Test
  void instance_role_resolves_the_role_credentials_through_imdsv2_only() {
    imds = new FakeImds(vertx, new FakeImds.Options().roleName("gateway-instance-role"));
    imds.start();
    manager = instanceRole(Duration.ofMinutes(1));
    manager.start();

    AwsCredentials resolved = manager.provider().resolveCredentials();
    IssuedCredentials issued = imds.issued().get(0);
    assertThat(resolved.accessKeyId()).isEqualTo(issued.accessKeyId());
    assertThat(resolved.secretAccessKey()).isEqualTo(issued.secretAccessKey());
    assertThat(((AwsSessionCredentials) resolved).sessionToken()).isEqualTo(issued.sessionToken());
    assertThat(manager.expiration()).contains(issued.expiration());
    assertThat(manager.identity()).isEqualTo("ASIA…" + issued.accessKeyId().substring(16));
    assertThat(imds.tokenRequests()).isPositive();
    assertThat(imds.imdsV1Attempted())
        .as("tokenless calls: %s", imds.tokenlessRequests())
        .isFalse();
  }

  @Test
  void rotated_instance_credentials_are_picked_up_in_the_background_without_a_tokenless_call() {
    imds = new FakeImds(vertx, new FakeImds.Options().credentialLifetime(Duration.ofSeconds(6)));
    imds.start();
    manager = instanceRole(Duration.ofSeconds(2));
    manager.start();
    String first = manager.provider().resolveCredentials().accessKeyId();

    await(
        "rotated credentials",
        Duration.ofSeconds(15),
        () -> !manager.provider().resolveCredentials().accessKeyId().equals(first));

    assertThat(manager.provider().resolveCredentials().accessKeyId())
        .isEqualTo(imds.issued().get(1).accessKeyId());
    assertThat(imds.imdsV1Attempted())
        .as("tokenless calls: %s", imds.tokenlessRequests())
        .isFalse();
  }

  @Test
  void a_token_endpoint_that_fails_never_makes_the_gateway_fall_back_to_imdsv1() {
    imds = new FakeImds(vertx, new FakeImds.Options().tokenStatus(404));
    imds.start();
    manager = instanceRole(Duration.ofMinutes(1));

    assertThatThrownBy(manager::start)
        .isInstanceOf(CredentialsSetupException.class)
        .hasMessageStartingWith(
            "Credentials strategy 'instance-role': no credentials from the EC2 instance metadata service (IMDSv2) at "
                + imds.endpoint())
        .hasMessageContaining("HttpPutResponseHopLimit")
        .hasMessageEndingWith("See docs/credentials.md#instance-role");
    assertThat(imds.tokenRequests()).isPositive();
    assertThat(imds.imdsV1Attempted())
        .as("tokenless calls: %s", imds.tokenlessRequests())
        .isFalse();
  }
}
