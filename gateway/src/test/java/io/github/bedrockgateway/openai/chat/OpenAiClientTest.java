package io.github.bedrockgateway.openai.chat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that drive the gateway with the official OpenAI Java SDK: a client pointed at
 * the gateway (the test key, no retries, so each call is one request), and the embedded Bedrock
 * simulator behind it with its record cleared before each test.
 */
abstract class OpenAiClientTest {

  @TestHTTPResource("/v1")
  URL baseUrl;

  @Inject EmbeddedSimulator embedded;

  BedrockSimulator simulator;
  OpenAIClient client;

  @BeforeEach
  void openClient() {
    client =
        OpenAIOkHttpClient.builder()
            .baseUrl(baseUrl.toString())
            .apiKey(ChatCompletionsEndToEndTest.KEY)
            .maxRetries(0)
            .build();
    simulator = embedded.simulator();
    simulator.clearRequests();
  }

  @AfterEach
  void closeClient() {
    client.close();
  }
}
