package io.github.bedrockgateway.openai.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway driven by the official OpenAI Java SDK, exactly as an application would. */
@QuarkusTest
class OpenAiSdkClientTest extends OpenAiClientTest {

  private static ChatCompletionCreateParams.Builder params(String userText) {
    return ChatCompletionCreateParams.builder()
        .model("gpt-4o")
        .addSystemMessage("You are terse.")
        .addUserMessage(userText)
        .maxCompletionTokens(200);
  }

  @Test
  void completes_a_chat_through_the_official_sdk() {
    ChatCompletion completion =
        client.chat().completions().create(params("@sim reply=Paris is the capital.").build());
    assertThat(completion.id()).startsWith("chatcmpl-");
    assertThat(completion.model()).isEqualTo("gpt-4o");
    assertThat(completion.choices()).hasSize(1);
    assertThat(completion.choices().get(0).message().content()).contains("Paris is the capital.");
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage()).isPresent();
    assertThat(completion.usage().get().completionTokens()).isEqualTo(4);
  }

  @Test
  void streamed_and_accumulated_reply_equals_the_non_streaming_reply_usage_included() {
    String script = "@sim reply=The quick brown fox jumps over the lazy dog.";
    ChatCompletion plain = client.chat().completions().create(params(script).build());

    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(
                params(script)
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build())) {
      stream.stream()
          .forEach(
              chunk -> {
                chunks.add(chunk);
                accumulator.accumulate(chunk);
              });
    }
    ChatCompletion streamed = accumulator.chatCompletion();
    assertThat(chunks.size()).isGreaterThan(5); // word by word, not one burst
    assertThat(streamed.choices().get(0).message().content())
        .isEqualTo(plain.choices().get(0).message().content());
    // the SDK's accumulator reports "no tool calls" as an empty list, the plain answer by omission
    assertThat(streamed.choices().get(0).message().toolCalls().orElse(List.of()))
        .isEqualTo(plain.choices().get(0).message().toolCalls().orElse(List.of()));
    assertThat(streamed.choices().get(0).finishReason())
        .isEqualTo(plain.choices().get(0).finishReason());
    assertThat(streamed.usage()).isPresent();
    assertThat(streamed.usage().get().promptTokens()).isEqualTo(plain.usage().get().promptTokens());
    assertThat(streamed.usage().get().completionTokens())
        .isEqualTo(plain.usage().get().completionTokens());
    assertThat(streamed.usage().get().totalTokens()).isEqualTo(plain.usage().get().totalTokens());
    assertThat(streamed.model()).isEqualTo("gpt-4o");
  }

  @Test
  void streamed_tool_calls_accumulate_to_the_non_streaming_tool_calls() {
    String script =
        "Weather?\n@sim reply=Let me check.\n@sim tool=get_weather {\"city\":\"Paris\",\"unit\":\"celsius\"}\n"
            + "@sim tool=get_time {\"zone\":\"CET\"}";
    ChatCompletionCreateParams.Builder p =
        params(script)
            .addTool(
                com.openai.models.chat.completions.ChatCompletionFunctionTool.builder()
                    .function(
                        com.openai.models.FunctionDefinition.builder().name("get_weather").build())
                    .build())
            .addTool(
                com.openai.models.chat.completions.ChatCompletionFunctionTool.builder()
                    .function(
                        com.openai.models.FunctionDefinition.builder().name("get_time").build())
                    .build());
    ChatCompletion plain = client.chat().completions().create(p.build());
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(p.build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    ChatCompletion streamed = accumulator.chatCompletion();
    var plainCalls = plain.choices().get(0).message().toolCalls().orElseThrow();
    var streamedCalls = streamed.choices().get(0).message().toolCalls().orElseThrow();
    assertThat(plainCalls).hasSize(2);
    assertThat(streamedCalls).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(streamedCalls.get(i).asFunction().id())
          .isEqualTo(plainCalls.get(i).asFunction().id());
      assertThat(streamedCalls.get(i).asFunction().function().name())
          .isEqualTo(plainCalls.get(i).asFunction().function().name());
      assertThat(streamedCalls.get(i).asFunction().function().arguments())
          .isEqualTo(plainCalls.get(i).asFunction().function().arguments());
    }
    assertThat(plainCalls.get(0).asFunction().function().arguments()).contains("Paris");
    assertThat(streamed.choices().get(0).message().content())
        .isEqualTo(plain.choices().get(0).message().content());
    assertThat(plain.choices().get(0).message().content()).contains("Let me check.");
    assertThat(streamed.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
  }

  @Test
  void errors_surface_as_the_sdk_exception_of_the_right_status() {
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(params("@sim error=ThrottlingException").build()))
        .isInstanceOf(RateLimitException.class);
    assertThatThrownBy(
            () -> client.chat().completions().create(params("@sim error=invalid-model").build()))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.code()).contains("model_not_found"));
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(params("@sim error=AccessDeniedException").build()))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> client.chat().completions().create(params("hi").n(2).build()))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.param()).contains("n"));
    OpenAIClient wrongKey =
        OpenAIOkHttpClient.builder()
            .baseUrl(baseUrl.toString())
            .apiKey("wrong")
            .maxRetries(0)
            .build();
    try {
      assertThatThrownBy(() -> wrongKey.chat().completions().create(params("hi").build()))
          .isInstanceOf(UnauthorizedException.class);
    } finally {
      wrongKey.close();
    }
  }

  @Test
  void a_throttled_stream_start_is_a_429_before_any_byte() {
    assertThatThrownBy(
            () -> {
              try (StreamResponse<ChatCompletionChunk> stream =
                  client
                      .chat()
                      .completions()
                      .createStreaming(params("@sim error=ThrottlingException").build())) {
                stream.stream().forEach(c -> {});
              }
            })
        .isInstanceOf(RateLimitException.class);
  }

  @Test
  void a_mid_stream_bedrock_exception_raises_in_the_sdk() {
    List<String> received = new ArrayList<>();
    assertThatThrownBy(
            () -> {
              try (StreamResponse<ChatCompletionChunk> stream =
                  client
                      .chat()
                      .completions()
                      .createStreaming(
                          params(
                                  "@sim tokens=20\n@sim stream-error=modelStreamErrorException\n@sim stream-error-after=3")
                              .build())) {
                stream.stream()
                    .forEach(
                        c ->
                            c.choices()
                                .forEach(ch -> ch.delta().content().ifPresent(received::add)));
              }
            })
        .isInstanceOf(OpenAIException.class);
    assertThat(received).isNotEmpty().hasSizeLessThan(20);
  }
}
