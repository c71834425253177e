package io.github.bedrockgateway.credentials;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Builds the one {@link AwsCredentialsProvider} the gateway signs with. Placeholder: the default chain
 * only; the strategy selection (issue 5) replaces it.
 */
@ApplicationScoped
public class CredentialsProducer {

    @Produces
    @Singleton
    AwsCredentialsProvider credentialsProvider() {
        return DefaultCredentialsProvider.builder().build();
    }
}
