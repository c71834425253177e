package io.github.bedrockgateway.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseIncludable;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseReasoningItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.StructuredResponse;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Responses API driven by the official OpenAI Java SDK, exactly as an application would. */
@QuarkusTest
class ResponsesSdkClientTest {

  static final String SONNET45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

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
            .apiKey(ResponsesEndToEndTest.KEY)
            .maxRetries(0)
            .build();
    simulator = embedded.simulator();
    simulator.clearRequests();
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  private static ResponseCreateParams.Builder params(String input) {
    return ResponseCreateParams.builder()
        .model("gpt-4o")
        .instructions("You are terse.")
        .input(input)
        .maxOutputTokens(200);
  }

  private static String text(Response response) {
    StringBuilder out = new StringBuilder();
    for (ResponseOutputItem item : response.output()) {
      item.message()
          .ifPresent(
              m -> m.content().forEach(c -> c.outputText().ifPresent(t -> out.append(t.text()))));
    }
    return out.toString();
  }

  /** The SDK reads a known OpenAI model name as a ChatModel, any other as a string. */
  private static String model(Response response) {
    return response.model().isChat()
        ? response.model().asChat().asString()
        : response.model().asString();
  }

  private static FunctionTool weatherTool() {
    return FunctionTool.builder()
        .name("get_weather")
        .description("Weather of a city")
        .strict(false)
        .parameters(
            FunctionTool.Parameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty(
                    "properties",
                    JsonValue.from(java.util.Map.of("city", java.util.Map.of("type", "string"))))
                .build())
        .build();
  }

  @Test
  void creates_a_response_through_the_official_sdk() {
    Response response =
        client.responses().create(params("@sim reply=Paris is the capital.").build());
    assertThat(response.id()).startsWith("resp_");
    assertThat(model(response)).isEqualTo("gpt-4o");
    assertThat(response.status()).contains(ResponseStatus.COMPLETED);
    assertThat(text(response)).isEqualTo("Paris is the capital.");
    assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(4);
    assertThat(response.usage().orElseThrow().inputTokensDetails().cachedTokens()).isZero();
    assertThat(response.instructions()).isPresent();
    assertThat(response.parallelToolCalls()).isTrue();
    assertThat(response.tools()).isEmpty();
    // what the SDK validates when asked to: every required field is present and typed
    response.validate();
    assertThat(client.responses().retrieve(response.id())).isEqualTo(response);
  }

  @Test
  void the_streamed_and_accumulated_response_equals_the_plain_one() {
    String script = "@sim reply=The quick brown fox jumps over the lazy dog.";
    Response plain = client.responses().create(params(script).build());
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream =
        client.responses().createStreaming(params(script).build())) {
      stream.stream()
          .forEach(
              e -> {
                events.add(e);
                accumulator.accumulate(e);
              });
    }
    Response streamed = accumulator.response();
    assertThat(events.size()).isGreaterThan(10); // word by word, not one burst
    assertThat(events.stream().filter(ResponseStreamEvent::isOutputTextDelta).count())
        .isGreaterThan(5);
    assertThat(events.get(0).isCreated()).isTrue();
    assertThat(events.get(events.size() - 1).isCompleted()).isTrue();
    assertThat(text(streamed)).isEqualTo(text(plain));
    assertThat(streamed.status()).isEqualTo(plain.status());
    assertThat(streamed.usage().orElseThrow().inputTokens())
        .isEqualTo(plain.usage().orElseThrow().inputTokens());
    assertThat(streamed.usage().orElseThrow().outputTokens())
        .isEqualTo(plain.usage().orElseThrow().outputTokens());
    assertThat(model(streamed)).isEqualTo("gpt-4o");
    streamed.validate();
  }

  @Test
  void a_function_tool_round_trip() {
    ResponseCreateParams first =
        params("Weather in Paris?\n@sim tool=get_weather {\"city\": \"Paris\"}")
            .addTool(weatherTool())
            .build();
    Response calling = client.responses().create(first);
    ResponseFunctionToolCall call =
        calling.output().stream()
            .filter(ResponseOutputItem::isFunctionCall)
            .map(ResponseOutputItem::asFunctionCall)
            .findFirst()
            .orElseThrow();
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(call.id()).hasValueSatisfying(id -> assertThat(id).startsWith("fc_"));

    List<ResponseInputItem> input = new ArrayList<>();
    input.add(
        ResponseInputItem.ofEasyInputMessage(
            com.openai.models.responses.EasyInputMessage.builder()
                .role(com.openai.models.responses.EasyInputMessage.Role.USER)
                .content("Weather in Paris?")
                .build()));
    input.add(ResponseInputItem.ofFunctionCall(call));
    input.add(
        ResponseInputItem.ofFunctionCallOutput(
            ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId())
                .output("18C and sunny")
                .build()));
    Response answered =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model("gpt-4o")
                    .addTool(weatherTool())
                    .inputOfResponse(input)
                    .build());
    assertThat(text(answered)).isEqualTo("18C and sunny");
    JsonNode messages = simulator.lastRequest().body().path("messages");
    assertThat(messages.get(1).at("/content/0/toolUse/toolUseId").asText())
        .isEqualTo(call.callId());
    assertThat(messages.get(2).at("/content/0/toolResult/toolUseId").asText())
        .isEqualTo(call.callId());
  }

  @Test
  void previous_response_id_continues_a_stored_response() {
    Response first = client.responses().create(params("@sim reply=My name is Bedrock.").build());
    simulator.clearRequests();
    Response second =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model("gpt-4o")
                    .previousResponseId(first.id())
                    .input("What is your name?")
                    .build());
    assertThat(second.previousResponseId()).contains(first.id());
    JsonNode messages = simulator.lastRequest().body().path("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.get(1).at("/content/0/text").asText()).isEqualTo("My name is Bedrock.");
    // instructions are not carried over from the previous response (as OpenAI does)
    assertThat(simulator.lastRequest().body().has("system")).isFalse();
  }

  /**
   * Signed thinking survives a stateless tool loop: the reasoning item's encrypted_content carries
   * it.
   */
  @Test
  void reasoning_comes_back_sealed_and_restores_claudes_signed_thinking_in_the_next_turn() {
    ResponseCreateParams first =
        ResponseCreateParams.builder()
            .model("gpt-4o")
            .store(false)
            .input(
                "Weather in Oslo?\n@sim reasoning=I need the weather.\n@sim tool=get_weather {\"city\": \"Oslo\"}")
            .addTool(weatherTool())
            .reasoning(
                Reasoning.builder()
                    .effort(ReasoningEffort.LOW)
                    .summary(Reasoning.Summary.AUTO)
                    .build())
            .addInclude(ResponseIncludable.REASONING_ENCRYPTED_CONTENT)
            .build();
    List<ResponseStreamEvent> events = new ArrayList<>();
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(first)) {
      stream.stream()
          .forEach(
              e -> {
                events.add(e);
                accumulator.accumulate(e);
              });
    }
    assertThat(events.stream().filter(ResponseStreamEvent::isReasoningSummaryTextDelta).count())
        .isPositive();
    Response calling = accumulator.response();
    ResponseReasoningItem reasoning = calling.output().get(0).asReasoning();
    assertThat(reasoning.summary().get(0).text()).isEqualTo("I need the weather.");
    assertThat(reasoning.encryptedContent()).isPresent();
    ResponseFunctionToolCall call = calling.output().get(1).asFunctionCall();

    List<ResponseInputItem> input = new ArrayList<>();
    input.add(
        ResponseInputItem.ofEasyInputMessage(
            com.openai.models.responses.EasyInputMessage.builder()
                .role(com.openai.models.responses.EasyInputMessage.Role.USER)
                .content("Weather in Oslo?")
                .build()));
    input.add(ResponseInputItem.ofReasoning(reasoning));
    input.add(ResponseInputItem.ofFunctionCall(call));
    input.add(
        ResponseInputItem.ofFunctionCallOutput(
            ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId())
                .output("3C")
                .build()));
    Response answered =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model("gpt-4o")
                    .store(false)
                    .addTool(weatherTool())
                    .inputOfResponse(input)
                    .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).build())
                    .build());
    assertThat(answered.status()).contains(ResponseStatus.COMPLETED);
    // the simulator, like Claude, refuses a tool loop whose signed thinking is missing or altered
    JsonNode assistant = simulator.lastRequest().body().path("messages").get(1).path("content");
    assertThat(assistant.at("/0/reasoningContent/reasoningText/text").asText())
        .isEqualTo("I need the weather.");
    assertThat(
            simulator
                .lastRequest()
                .body()
                .at("/additionalModelRequestFields/thinking/type")
                .asText())
        .isEqualTo("enabled");
  }

  /** A type the SDK derives a strict JSON schema from, and parses the answer into. */
  public static class CityWeather {
    public String city;
    public long temperature;
    public boolean sunny;
  }

  @Test
  void structured_output_parses_into_a_java_class_natively_and_through_the_tool_fallback() {
    StructuredResponse<CityWeather> nativeAnswer =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model(SONNET45)
                    .input("Weather in Oslo?")
                    .text(CityWeather.class)
                    .build());
    CityWeather weather =
        nativeAnswer.output().get(0).message().orElseThrow().content().get(0).asOutputText();
    assertThat(weather.city).isEqualTo("sample");
    assertThat(weather.sunny).isTrue();
    assertThat(simulator.lastRequest().body().at("/outputConfig/textFormat/type").asText())
        .isEqualTo("json_schema");

    StructuredResponse<CityWeather> fallback =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model("gpt-4o")
                    .input("Weather in Oslo?")
                    .text(CityWeather.class)
                    .build());
    assertThat(
            fallback.output().get(0).message().orElseThrow().content().get(0).asOutputText().city)
        .isEqualTo("sample");
    JsonNode body = simulator.lastRequest().body();
    assertThat(body.at("/toolConfig/toolChoice/tool/name").asText())
        .isEqualTo(body.at("/toolConfig/tools/0/toolSpec/name").asText());
  }

  @Test
  void errors_surface_as_the_sdk_exception_of_the_right_status() {
    assertThatThrownBy(
            () -> client.responses().create(params("@sim error=ThrottlingException").build()))
        .isInstanceOf(RateLimitException.class);
    assertThatThrownBy(() -> client.responses().create(params("hi").background(true).build()))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.param()).contains("background"));
    assertThatThrownBy(
            () ->
                client.responses().create(params("hi").previousResponseId("resp_unknown").build()))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.param()).contains("previous_response_id"));
    assertThatThrownBy(() -> client.responses().retrieve("resp_unknown"))
        .isInstanceOf(NotFoundException.class);
    OpenAIClient wrongKey =
        OpenAIOkHttpClient.builder()
            .baseUrl(baseUrl.toString())
            .apiKey("wrong")
            .maxRetries(0)
            .build();
    try {
      assertThatThrownBy(() -> wrongKey.responses().create(params("hi").build()))
          .isInstanceOf(UnauthorizedException.class);
    } finally {
      wrongKey.close();
    }
  }

  /**
   * As from OpenAI, a failure after the first event reaches the SDK as an {@code error} event (then
   * {@code response.failed}), not as an exception, and the stream never says completed.
   */
  @Test
  void a_mid_stream_bedrock_exception_arrives_as_an_error_event_then_response_failed() {
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream =
        client
            .responses()
            .createStreaming(
                params(
                        "@sim tokens=20\n@sim stream-error=modelStreamErrorException\n@sim stream-error-after=3")
                    .build())) {
      stream.stream().forEach(events::add);
    }
    long deltas = events.stream().filter(ResponseStreamEvent::isOutputTextDelta).count();
    assertThat(deltas).isPositive().isLessThan(20);
    ResponseStreamEvent error = events.get(events.size() - 2);
    assertThat(error.isError()).isTrue();
    assertThat(error.asError().code()).contains("model_error");
    assertThat(error.asError().message()).contains("stream encountered an error");
    ResponseStreamEvent failed = events.get(events.size() - 1);
    assertThat(failed.isFailed()).isTrue();
    assertThat(failed.asFailed().response().status()).contains(ResponseStatus.FAILED);
    assertThat(events).noneMatch(ResponseStreamEvent::isCompleted);
  }
}
