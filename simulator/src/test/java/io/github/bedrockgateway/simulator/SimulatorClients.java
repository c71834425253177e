package io.github.bedrockgateway.simulator;

import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.token.credentials.StaticTokenProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.auth.scheme.BedrockRuntimeAuthSchemeProvider;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/** The real AWS SDK clients pointed at a simulator, retries off so every call is one request. */
final class SimulatorClients {

  static final String CLAUDE = "anthropic.claude-3-5-haiku-20241022-v1:0";

  /** The SDK's id of bearer-token auth, preferred over SigV4 to make a client send the API key. */
  static final String BEARER_SCHEME = "httpBearerAuth";

  static final AwsCredentialsProvider DEV =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create(
              SimulatorCredentials.DEV_ACCESS_KEY_ID, SimulatorCredentials.DEV_SECRET_ACCESS_KEY));

  private SimulatorClients() {}

  static BedrockRuntimeClient sync(BedrockSimulator simulator, AwsCredentialsProvider credentials) {
    return BedrockRuntimeClient.builder()
        .endpointOverride(simulator.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** The Netty client as the SDK configures it for Bedrock: HTTP/2 with prior knowledge. */
  static BedrockRuntimeAsyncClient async(
      BedrockSimulator simulator, AwsCredentialsProvider credentials) {
    return async(simulator, credentials, null);
  }

  /** The Netty client forced onto a protocol, or left to the SDK's choice when null. */
  static BedrockRuntimeAsyncClient async(
      BedrockSimulator simulator, AwsCredentialsProvider credentials, Protocol protocol) {
    NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder();
    if (protocol != null) {
      http.protocol(protocol);
    }
    return BedrockRuntimeAsyncClient.builder()
        .endpointOverride(simulator.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .httpClientBuilder(http)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /**
   * The sync client authenticating with a Bedrock API key ({@code Authorization: Bearer KEY})
   * instead of SigV4.
   */
  static BedrockRuntimeClient bearer(BedrockSimulator simulator, String apiKey) {
    return BedrockRuntimeClient.builder()
        .endpointOverride(simulator.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(DEV)
        .tokenProvider(StaticTokenProvider.create(() -> apiKey))
        .authSchemeProvider(
            BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of(BEARER_SCHEME)))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** The async (Netty, HTTP/2) client authenticating with a Bedrock API key. */
  static BedrockRuntimeAsyncClient bearerAsync(BedrockSimulator simulator, String apiKey) {
    return BedrockRuntimeAsyncClient.builder()
        .endpointOverride(simulator.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(DEV)
        .tokenProvider(StaticTokenProvider.create(() -> apiKey))
        .authSchemeProvider(
            BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of(BEARER_SCHEME)))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  static Message user(String text) {
    return Message.builder()
        .role(ConversationRole.USER)
        .content(ContentBlock.fromText(text))
        .build();
  }

  static Message assistant(String text) {
    return Message.builder()
        .role(ConversationRole.ASSISTANT)
        .content(ContentBlock.fromText(text))
        .build();
  }

  static ConverseRequest converse(String userText) {
    return ConverseRequest.builder().modelId(CLAUDE).messages(user(userText)).build();
  }

  static ConverseStreamRequest converseStream(String userText) {
    return ConverseStreamRequest.builder()
        .modelId(CLAUDE)
        .messages(List.of(user(userText)))
        .build();
  }
}
