package io.github.bedrockgateway.bedrock;

import io.github.bedrockgateway.credentials.CredentialsManager;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.token.credentials.SdkTokenProvider;

/**
 * How the Bedrock clients (runtime and control plane) authenticate: SigV4 with the gateway's AWS
 * credentials, or, with credentials strategy {@code bedrock-api-key}, the Bedrock API key as {@code
 * Authorization: Bearer}. The clients always name the scheme they prefer, so that the SDK never
 * picks {@code AWS_BEARER_TOKEN_BEDROCK} up by itself under a SigV4 strategy.
 *
 * @param credentials AWS credentials (with an API key: a provider that refuses, never asked)
 * @param apiKey the API key as the SDK's token provider, with strategy {@code bedrock-api-key}
 */
record Signer(AwsCredentialsProvider credentials, Optional<SdkTokenProvider> apiKey) {

  /**
   * The SDK's names of the two auth schemes (the part after {@code #} of the service model's scheme
   * ids).
   */
  static final String SIGV4 = "sigv4";

  static final String BEARER = "httpBearerAuth";

  /**
   * What the configured strategy signs with; also tells {@link BedrockErrorMapper} for its
   * messages.
   */
  static Signer of(AwsCredentialsProvider credentials, CredentialsManager manager) {
    Optional<SdkTokenProvider> key = manager.bedrockApiKey();
    BedrockErrorMapper.signing(
        new BedrockErrorMapper.Signing(manager.strategyName(), key.isPresent()));
    return new Signer(credentials, key);
  }

  /** The auth scheme the clients prefer. */
  String scheme() {
    return apiKey.isPresent() ? BEARER : SIGV4;
  }
}
