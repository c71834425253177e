package io.github.bedrockgateway.credentials;

import static io.github.bedrockgateway.credentials.GatewaySigning.assertChatSignedWith;
import static io.github.bedrockgateway.credentials.GatewaySigning.assertRefusedWhileUntrusted;
import static io.github.bedrockgateway.credentials.GatewaySigning.trust;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.credentials.CredentialsIssuer;
import io.github.bedrockgateway.simulator.credentials.IssuedCredentials;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import jakarta.inject.Inject;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Base of the per-strategy gateway tests (each subclass is a {@code @QuarkusTest} with an app and a
 * fake credentials source of its own): the gateway runs the strategy under test, and chat requests
 * must reach the embedded Bedrock simulator signed with exactly what the fake issued.
 */
abstract class StrategyGatewayTest {

  @Inject EmbeddedSimulator embedded;

  @Inject AwsCredentialsProvider provider;

  @Inject CredentialsManager manager;

  BedrockSimulator simulator() {
    return embedded.simulator();
  }

  /**
   * The gateway runs {@code strategy}; while Bedrock does not know the issued credentials its chat
   * requests are refused (so the signature check is real); once Bedrock trusts everything {@code
   * issuer} issued (and will issue), a chat request is signed with the key the gateway holds, which
   * is one the issuer issued.
   *
   * @return that access key
   */
  String assertChatSignedWithIssued(String strategy, CredentialsIssuer issuer) {
    BedrockSimulator simulator = simulator();
    assertThat(manager.strategyName()).isEqualTo(strategy);

    assertRefusedWhileUntrusted(simulator);

    trust(simulator, issuer.issued());
    issuer.onIssued(c -> trust(simulator, c));
    String key = provider.resolveCredentials().accessKeyId();
    assertThat(issuer.issued()).extracting(IssuedCredentials::accessKeyId).contains(key);
    assertChatSignedWith(simulator, key);
    return key;
  }
}
