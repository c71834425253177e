package io.github.bedrockgateway.credentials;

import static io.github.bedrockgateway.credentials.CredentialsTestSupport.FAST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bedrockgateway.simulator.credentials.FakeContainerCredentials;
import io.github.bedrockgateway.simulator.credentials.IssuedCredentials;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The SDK's container provider reads its URI and token from system properties / environment only,
 * so these tests set the system properties (aws.containerCredentialsFullUri...) and clear them
 * after.
 */
class ContainerCredentialsTest {

  static Vertx vertx;
  FakeContainerCredentials agent;
  CredentialsManager manager;

  @TempDir Path dir;

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
    agent.stop();
    System.clearProperty("aws.containerCredentialsFullUri");
    System.clearProperty("aws.containerAuthorizationTokenFile");
    System.clearProperty("aws.containerAuthorizationToken");
    System.clearProperty("aws.containerCredentialsPath");
    System.clearProperty("aws.containerServiceEndpoint");
  }

  private CredentialsManager container() {
    return new CredentialsManager(
        CredentialsSettings.builder(Env.system()).strategy("container").build(), FAST);
  }

  @Test
  void eks_pod_identity_resolves_the_agent_credentials_sending_the_token_file_content()
      throws IOException {
    Path token = dir.resolve("eks-pod-identity-token");
    Files.writeString(token, "EXAMPLE-pod-identity-token-1");
    agent =
        new FakeContainerCredentials(
            vertx, new FakeContainerCredentials.Options().authorizationTokenFile(token));
    agent.start();
    System.setProperty("aws.containerCredentialsFullUri", agent.fullUri());
    System.setProperty("aws.containerAuthorizationTokenFile", token.toString());

    manager = container();
    manager.start();

    AwsCredentials resolved = manager.provider().resolveCredentials();
    IssuedCredentials issued = agent.issued().get(0);
    assertThat(resolved.accessKeyId()).isEqualTo(issued.accessKeyId());
    assertThat(resolved.secretAccessKey()).isEqualTo(issued.secretAccessKey());
    assertThat(((AwsSessionCredentials) resolved).sessionToken()).isEqualTo(issued.sessionToken());
    assertThat(manager.expiration()).contains(issued.expiration());
    assertThat(agent.calls())
        .first()
        .satisfies(
            call -> {
              assertThat(call.authorization()).isEqualTo("EXAMPLE-pod-identity-token-1");
              assertThat(call.path()).isEqualTo("/v1/credentials");
            });
  }

  @Test
  void ecs_task_role_resolves_the_agent_credentials_from_the_relative_uri() {
    agent =
        new FakeContainerCredentials(
            vertx, new FakeContainerCredentials.Options().path("/v2/credentials/task-1234"));
    agent.start();
    // The ECS agent's address (169.254.170.2) is replaced by the fake through the SDK's own
    // setting.
    System.setProperty("aws.containerServiceEndpoint", agent.endpoint());
    System.setProperty("aws.containerCredentialsPath", "/v2/credentials/task-1234");

    manager = container();
    manager.start();

    assertThat(manager.provider().resolveCredentials().accessKeyId())
        .isEqualTo(agent.issued().get(0).accessKeyId());
    assertThat(agent.calls())
        .first()
        .satisfies(call -> assertThat(call.path()).isEqualTo("/v2/credentials/task-1234"));
  }

  @Test
  void a_token_the_agent_refuses_fails_startup_naming_the_endpoint() {
    agent =
        new FakeContainerCredentials(
            vertx,
            new FakeContainerCredentials.Options()
                .path("/v2/credentials/task-1234")
                .authorizationToken("EXAMPLE-expected-token"));
    agent.start();
    System.setProperty("aws.containerCredentialsFullUri", agent.fullUri());
    System.setProperty("aws.containerAuthorizationToken", "EXAMPLE-wrong-token");

    manager = container();

    assertThatThrownBy(manager::start)
        .isInstanceOf(CredentialsSetupException.class)
        .hasMessageStartingWith(
            "Credentials strategy 'container': no credentials from the container credentials endpoint "
                + agent.fullUri())
        .hasMessageEndingWith("See docs/credentials.md#container");
    assertThat(agent.calls())
        .isNotEmpty()
        .allSatisfy(call -> assertThat(call.status()).isEqualTo(401));
  }
}
