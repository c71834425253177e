package io.github.bedrockgateway.credentials;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.github.bedrockgateway.config.GatewayConfig;
import io.github.bedrockgateway.simulator.SimulatorCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Builds the one {@link AwsCredentialsProvider} the gateway signs with. Placeholder until the strategy
 * selection lands: the simulator's example keys when it is embedded, else the default chain.
 */
@ApplicationScoped
public class CredentialsProducer {

    @Produces
    @Singleton
    AwsCredentialsProvider credentialsProvider(GatewayConfig config) {
        if (config.simulator().enabled()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(SimulatorCredentials.DEV_ACCESS_KEY_ID,
                    SimulatorCredentials.DEV_SECRET_ACCESS_KEY));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
