package io.github.bedrockgateway.simulator;

import static io.github.bedrockgateway.simulator.BedrockSimulatorInvokeTest.JSON;
import static io.github.bedrockgateway.simulator.BedrockSimulatorInvokeTest.OPUS;
import static io.github.bedrockgateway.simulator.BedrockSimulatorInvokeTest.TOOLS;
import static io.github.bedrockgateway.simulator.BedrockSimulatorInvokeTest.body;
import static io.github.bedrockgateway.simulator.SimulatorClients.DEV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensInput;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * CountTokens through the real SDK client: the figure a reply's usage adds up to, for Claude models
 * only.
 */
class BedrockSimulatorCountTokensTest {

  private static BedrockSimulator simulator;
  private static BedrockRuntimeClient client;

  @BeforeAll
  static void start() {
    simulator = new BedrockSimulator(SimulatorOptions.defaults());
    simulator.start();
    client = SimulatorClients.sync(simulator, DEV);
  }

  @AfterAll
  static void stop() {
    client.close();
    simulator.stop();
  }

  private static int count(String modelId, CountTokensInput input) {
    return client.countTokens(r -> r.modelId(modelId).input(input)).inputTokens();
  }

  @Test
  void counts_an_invoke_model_body_as_invoke_model_would_use_it() throws Exception {
    JsonNode body =
        body(
            "What is the weather in Paris today?",
            "\"system\": \"Be brief.\", \"tools\": " + TOOLS);
    byte[] bytes = JSON.writeValueAsBytes(body);

    int counted =
        count(OPUS, CountTokensInput.fromInvokeModel(b -> b.body(SdkBytes.fromByteArray(bytes))));

    JsonNode answer =
        JSON.readTree(
            client
                .invokeModel(r -> r.modelId(OPUS).body(SdkBytes.fromByteArray(bytes)))
                .body()
                .asByteArray());
    assertThat(counted).isPositive().isEqualTo(answer.path("usage").path("input_tokens").asInt());
    RecordedRequest seen = simulator.requests().get(simulator.requests().size() - 2);
    assertThat(seen.operation()).isEqualTo(RecordedRequest.COUNT_TOKENS);
    assertThat(seen.body().path("input").path("invokeModel").path("body").asText()).isNotBlank();
  }

  @Test
  void counts_a_converse_input_as_converse_would_use_it() {
    ConverseTokensRequest tokens =
        ConverseTokensRequest.builder()
            .messages(SimulatorClients.user("Tell me about the Louvre."))
            .system(s -> s.text("You are a guide."))
            .build();

    int counted = count(SimulatorClients.CLAUDE, CountTokensInput.fromConverse(tokens));

    ConverseResponse answer =
        client.converse(
            r ->
                r.modelId(SimulatorClients.CLAUDE)
                    .messages(tokens.messages())
                    .system(tokens.system()));
    assertThat(counted).isEqualTo(answer.usage().inputTokens());
  }

  @Test
  void the_invoke_body_is_checked_as_invoke_model_checks_it() {
    ValidationException refused =
        catchThrowableOfType(
            ValidationException.class,
            () ->
                count(
                    OPUS,
                    CountTokensInput.fromInvokeModel(
                        b ->
                            b.body(
                                SdkBytes.fromUtf8String(
                                    "{\"anthropic_version\":"
                                        + " \"bedrock-2023-05-31\", \"max_tokens\": 10, \"messages\": [{\"role\": \"user\", \"content\":"
                                        + " \"hi\"}], \"model\": \"claude\"}")))));
    assertThat(refused.awsErrorDetails().errorMessage())
        .contains("extraneous key [model] is not permitted");
  }

  @Test
  void models_that_cannot_count_are_refused_as_bedrock_does() {
    for (String model : new String[] {"amazon.nova-pro-v1:0", "meta.llama3-8b-instruct-v1:0"}) {
      ValidationException refused =
          catchThrowableOfType(
              ValidationException.class,
              () ->
                  count(
                      model,
                      CountTokensInput.fromConverse(c -> c.messages(SimulatorClients.user("hi")))));
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.awsErrorDetails().errorMessage())
          .isEqualTo("The provided model doesn't support counting tokens.");
    }
  }
}
