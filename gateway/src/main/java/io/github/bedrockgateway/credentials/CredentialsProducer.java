package io.github.bedrockgateway.credentials;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The one {@link AwsCredentialsProvider} the gateway signs Bedrock calls with: the configured
 * strategy's credentials, served from memory and refreshed in the background by {@link
 * CredentialsManager}. A {@link DefaultBean}: an application or a test that produces its own
 * provider replaces it.
 */
@ApplicationScoped
public class CredentialsProducer {

  @Produces
  @Singleton
  @DefaultBean
  AwsCredentialsProvider credentialsProvider(CredentialsManager manager) {
    return manager.provider();
  }
}
