package io.github.bedrockgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.RecordedRequest;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway driven by the official Anthropic Java SDK, exactly as an application would, against
 * the in-repo Bedrock simulator: Claude through InvokeModel, another model through Converse.
 */
@QuarkusTest
class AnthropicSdkClientTest {

  static final String KEY = "test-key-1";

  /**
   * An alias of the test profile: anthropic.claude-3-5-haiku-20241022-v1:0, called with the
   * Anthropic body.
   */
  static final String CLAUDE = "claude-haiku";

  /** Not Claude: called through Converse. */
  static final String NOVA = "amazon.nova-pro-v1:0";

  @TestHTTPResource("/")
  URL baseUrl;

  @Inject EmbeddedSimulator embedded;

  BedrockSimulator simulator;
  AnthropicClient client;

  @BeforeEach
  void open() {
    client = client(KEY);
    simulator = embedded.simulator();
    simulator.clearRequests();
  }

  @AfterEach
  void close() {
    client.close();
  }

  private AnthropicClient client(String key) {
    return AnthropicOkHttpClient.builder()
        .baseUrl(baseUrl.toString())
        .apiKey(key)
        .maxRetries(0)
        .build();
  }

  private static MessageCreateParams.Builder params(String model, String userText) {
    return MessageCreateParams.builder()
        .model(model)
        .maxTokens(300)
        .system("You are terse.")
        .addUserMessage(userText);
  }

  private static Tool weatherTool() {
    return Tool.builder()
        .name("get_weather")
        .description("The weather of a city")
        .inputSchema(
            Tool.InputSchema.builder()
                .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .addRequired("city")
                .build())
        .build();
  }

  private Message streamed(MessageCreateParams params) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    List<RawMessageStreamEvent> events = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
      stream.stream()
          .forEach(
              e -> {
                events.add(e);
                accumulator.accumulate(e);
              });
    }
    assertThat(events.size()).isGreaterThan(4);
    return accumulator.message();
  }

  @Test
  void creates_a_message_with_claude_through_invoke_model() throws Exception {
    Message message =
        client.messages().create(params(CLAUDE, "@sim reply=Paris is the capital.").build());
    assertThat(message.id()).startsWith("msg_bdrk_");
    assertThat(message.model().asString()).isEqualTo(CLAUDE);
    assertThat(message.content()).hasSize(1);
    assertThat(message.content().get(0).text().orElseThrow().text())
        .isEqualTo("Paris is the capital.");
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    assertThat(message.usage().outputTokens()).isEqualTo(4);
    assertThat(message.usage().inputTokens()).isPositive();

    RecordedRequest received = simulator.lastRequest();
    assertThat(received.operation()).isEqualTo(RecordedRequest.INVOKE);
    assertThat(received.modelId()).isEqualTo("anthropic.claude-3-5-haiku-20241022-v1:0");
    assertThat(received.body().has("model")).isFalse();
    assertThat(received.body().has("stream")).isFalse();
    assertThat(received.body().path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
    assertThat(Json.MAPPER.readTree(received.requestMetadata()).path("gateway-key").asText())
        .isEqualTo("key-1");
  }

  @Test
  void streams_claude_and_the_accumulated_message_equals_the_plain_one() {
    String script = "@sim reply=The quick brown fox jumps over the lazy dog.";
    Message plain = client.messages().create(params(CLAUDE, script).build());
    Message streamed = streamed(params(CLAUDE, script).build());
    assertThat(simulator.lastRequest().operation()).isEqualTo(RecordedRequest.INVOKE_STREAM);
    assertThat(streamed.model().asString()).isEqualTo(CLAUDE);
    assertThat(streamed.content().get(0).text().orElseThrow().text())
        .isEqualTo(plain.content().get(0).text().orElseThrow().text());
    assertThat(streamed.stopReason()).isEqualTo(plain.stopReason());
    assertThat(streamed.usage().outputTokens()).isEqualTo(plain.usage().outputTokens());
    assertThat(streamed.usage().inputTokens()).isEqualTo(plain.usage().inputTokens());
  }

  @Test
  void runs_a_tool_round_trip_with_claude() {
    MessageCreateParams.Builder first =
        params(
                CLAUDE,
                "Weather?\n@sim reply=Let me check.\n@sim tool=get_weather {\"city\":\"Paris\"}")
            .addTool(weatherTool());
    Message call = streamed(first.build());
    assertThat(call.stopReason()).contains(StopReason.TOOL_USE);
    ToolUseBlock toolUse =
        call.content().stream()
            .filter(ContentBlock::isToolUse)
            .findFirst()
            .orElseThrow()
            .toolUse()
            .orElseThrow();
    assertThat(toolUse.name()).isEqualTo("get_weather");
    assertThat(toolUse._input().toString()).contains("Paris");

    Message answer =
        client
            .messages()
            .create(
                first
                    .addMessage(call)
                    .addUserMessageOfContentBlockParams(
                        List.of(
                            ContentBlockParam.ofToolResult(
                                ToolResultBlockParam.builder()
                                    .toolUseId(toolUse.id())
                                    .content("18 degrees and sunny")
                                    .build())))
                    .build());
    assertThat(answer.stopReason()).contains(StopReason.END_TURN);
    assertThat(answer.content().get(0).text().orElseThrow().text())
        .contains("18 degrees and sunny");
  }

  @Test
  void carries_claudes_signed_thinking_through_a_tool_round_trip() {
    MessageCreateParams.Builder first =
        MessageCreateParams.builder()
            .model(CLAUDE)
            .maxTokens(4096)
            .enabledThinking(1024)
            .addTool(weatherTool())
            .addUserMessage(
                "Weather?\n@sim reasoning=The user wants the weather.\n@sim tool=get_weather {\"city\":\"Oslo\"}");
    Message call = streamed(first.build());
    var thinking = call.content().get(0).thinking().orElseThrow();
    assertThat(thinking.thinking()).isEqualTo("The user wants the weather.");
    assertThat(thinking.signature()).isNotBlank();
    ToolUseBlock toolUse =
        call.content().stream()
            .filter(ContentBlock::isToolUse)
            .findFirst()
            .orElseThrow()
            .toolUse()
            .orElseThrow();

    // The simulator, like Claude, refuses the next turn unless the thinking block comes back signed
    // as issued.
    Message answer =
        client
            .messages()
            .create(
                first
                    .addMessage(call)
                    .addUserMessageOfContentBlockParams(
                        List.of(
                            ContentBlockParam.ofToolResult(
                                ToolResultBlockParam.builder()
                                    .toolUseId(toolUse.id())
                                    .content("-3 degrees")
                                    .build())))
                    .build());
    assertThat(
            answer.content().stream()
                .filter(ContentBlock::isText)
                .findFirst()
                .orElseThrow()
                .text()
                .orElseThrow()
                .text())
        .contains("-3 degrees");
    assertThat(
            simulator
                .lastRequest()
                .body()
                .path("messages")
                .get(1)
                .path("content")
                .get(0)
                .path("signature")
                .asText())
        .isEqualTo(thinking.signature());
  }

  @Test
  void creates_and_streams_with_a_model_other_than_claude_through_converse() {
    Message plain = client.messages().create(params(NOVA, "@sim reply=Hello from Nova.").build());
    assertThat(simulator.lastRequest().operation()).isEqualTo(RecordedRequest.CONVERSE);
    assertThat(plain.id()).startsWith("msg_");
    assertThat(plain.model().asString()).isEqualTo(NOVA);
    assertThat(plain.content().get(0).text().orElseThrow().text()).isEqualTo("Hello from Nova.");
    Message streamed = streamed(params(NOVA, "@sim reply=Hello from Nova.").build());
    assertThat(simulator.lastRequest().operation()).isEqualTo(RecordedRequest.CONVERSE_STREAM);
    assertThat(streamed.content().get(0).text().orElseThrow().text()).isEqualTo("Hello from Nova.");
    assertThat(streamed.usage().outputTokens()).isEqualTo(plain.usage().outputTokens());
  }

  @Test
  void runs_a_tool_round_trip_through_converse() {
    MessageCreateParams.Builder first =
        params(NOVA, "@sim tool=get_weather {\"city\":\"Rome\"}").addTool(weatherTool());
    Message call = streamed(first.build());
    ToolUseBlock toolUse =
        call.content().stream()
            .filter(ContentBlock::isToolUse)
            .findFirst()
            .orElseThrow()
            .toolUse()
            .orElseThrow();
    Message answer =
        client
            .messages()
            .create(
                first
                    .addMessage(call)
                    .addUserMessageOfContentBlockParams(
                        List.of(
                            ContentBlockParam.ofToolResult(
                                ToolResultBlockParam.builder()
                                    .toolUseId(toolUse.id())
                                    .content("warm")
                                    .build())))
                    .build());
    assertThat(answer.content().get(0).text().orElseThrow().text()).contains("warm");
  }

  @Test
  void counts_tokens_with_bedrock_for_claude_and_estimates_for_other_models() {
    long counted =
        client
            .messages()
            .countTokens(
                MessageCountTokensParams.builder()
                    .model(CLAUDE)
                    .addUserMessage("How many tokens is this sentence?")
                    .build())
            .inputTokens();
    assertThat(simulator.lastRequest().operation()).isEqualTo(RecordedRequest.COUNT_TOKENS);
    assertThat(counted).isPositive();
    Message message =
        client
            .messages()
            .create(
                MessageCreateParams.builder()
                    .model(CLAUDE)
                    .maxTokens(10)
                    .addUserMessage("How many tokens is this sentence?")
                    .build());
    assertThat(counted).isEqualTo(message.usage().inputTokens());

    simulator.clearRequests();
    long estimated =
        client
            .messages()
            .countTokens(
                MessageCountTokensParams.builder().model(NOVA).addUserMessage("12345678").build())
            .inputTokens();
    assertThat(estimated).isEqualTo(2);
    assertThat(simulator.requests()).isEmpty();
  }

  @Test
  void errors_surface_as_the_sdk_exception_of_the_anthropic_status() {
    assertThatThrownBy(
            () ->
                client.messages().create(params(CLAUDE, "@sim error=ThrottlingException").build()))
        .isInstanceOfSatisfying(
            RateLimitException.class,
            e -> assertThat(e.headers().values("retry-after")).isNotEmpty());
    assertThatThrownBy(
            () ->
                client
                    .messages()
                    .create(params(CLAUDE, "@sim error=ServiceUnavailableException").build()))
        .isInstanceOfSatisfying(
            OverloadedException.class, e -> assertThat(e.statusCode()).isEqualTo(529));
    assertThatThrownBy(
            () -> client.messages().create(params(CLAUDE, "@sim error=invalid-model").build()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(
            () ->
                client
                    .messages()
                    .create(
                        params(
                                CLAUDE,
                                "@sim error=ValidationException\n"
                                    + "@sim error-message=messages.0.content: text blocks must be non-empty")
                            .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.getMessage()).contains("text blocks must be non-empty");
              assertThat(e.body().toString()).contains("invalid_request_error");
            });
    assertThatThrownBy(
            () -> client.messages().create(params(NOVA, "hi").enabledThinking(1024).build()))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.getMessage()).contains("thinking"));
    AnthropicClient wrongKey = client("wrong-key");
    try {
      assertThatThrownBy(() -> wrongKey.messages().create(params(CLAUDE, "hi").build()))
          .isInstanceOfSatisfying(
              UnauthorizedException.class,
              e -> assertThat(e.body().toString()).contains("authentication_error"));
    } finally {
      wrongKey.close();
    }
    assertThat(simulator.requests())
        .hasSize(4); // the refused thinking and the wrong key never reach Bedrock
  }

  @Test
  void a_stream_error_after_the_first_event_raises_in_the_sdk() {
    assertThatThrownBy(
            () ->
                streamed(
                    params(
                            CLAUDE,
                            "@sim tokens=20\n@sim stream-error=throttlingException\n@sim stream-error-after=5")
                        .build()))
        .isInstanceOf(AnthropicServiceException.class)
        .hasMessageContaining("rate_limit_error");
  }
}
