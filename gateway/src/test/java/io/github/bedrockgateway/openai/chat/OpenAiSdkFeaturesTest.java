package io.github.bedrockgateway.openai.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.PromptCacheBreakpointTtl;
import com.openai.models.ReasoningEffort;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.completions.CompletionUsage;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.simulator.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every feature of the full Chat Completions surface through the official OpenAI Java SDK,
 * streaming and not, against the gateway and its simulator: what the application gets, and what
 * reached Bedrock.
 */
@QuarkusTest
class OpenAiSdkFeaturesTest extends OpenAiClientTest {

  /** Claude Sonnet 4.5 passes through as a Bedrock id: the model with native structured output. */
  static final String SONNET45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

  static final String DEFAULT_REASONING = "Let me think about how to answer this request.";

  private static ChatCompletionCreateParams.Builder params(String model, String userText) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(userText);
  }

  private static ChatCompletionFunctionTool tool(String name) {
    return ChatCompletionFunctionTool.builder()
        .function(
            FunctionDefinition.builder()
                .name(name)
                .parameters(
                    FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty(
                            "properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build())
        .build();
  }

  private List<ChatCompletionChunk> stream(ChatCompletionCreateParams params) {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }
    return chunks;
  }

  private static ChatCompletion accumulate(List<ChatCompletionChunk> chunks) {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    chunks.forEach(accumulator::accumulate);
    return accumulator.chatCompletion();
  }

  private JsonNode lastBody() {
    return simulator.lastRequest().body();
  }

  private static String extra(Map<String, JsonValue> properties, String name) {
    JsonValue value = properties.get(name);
    return value == null ? null : value.convert(String.class);
  }

  // ---------------------------------------------------------------- tools

  @Test
  void parallel_tool_calls_false_reaches_claude_and_one_call_comes_back_streaming_or_not() {
    ChatCompletionCreateParams p =
        params(
                "gpt-4o",
                "Weather?\n@sim tool=get_weather {\"city\":\"Paris\"}\n"
                    + "@sim tool=get_weather {\"city\":\"Rome\"}")
            .addTool(tool("get_weather"))
            .parallelToolCalls(false)
            .build();
    ChatCompletion plain = client.chat().completions().create(p);
    assertThat(plain.choices().get(0).message().toolCalls().orElseThrow()).hasSize(1);
    assertThat(lastBody().at("/additionalModelRequestFields/tool_choice"))
        .isEqualTo(json("{\"disable_parallel_tool_use\": true}"));
    assertThat(lastBody().at("/toolConfig/toolChoice")).isEqualTo(json("{\"auto\": {}}"));

    ChatCompletion streamed = accumulate(stream(p));
    assertThat(streamed.choices().get(0).message().toolCalls().orElseThrow()).hasSize(1);
    assertThat(simulator.lastRequest().operation()).isEqualTo(RecordedRequest.CONVERSE_STREAM);
    assertThat(
            lastBody()
                .at("/additionalModelRequestFields/tool_choice/disable_parallel_tool_use")
                .asBoolean())
        .isTrue();
  }

  @Test
  void streamed_tool_call_indexes_count_calls_from_zero_whatever_bedrock_block_they_are() {
    List<ChatCompletionChunk> chunks =
        stream(
            params(
                    "gpt-4o",
                    "@sim reasoning=Two cities.\n@sim reply=Checking both.\n"
                        + "@sim tool=get_weather {\"city\":\"Paris\"}\n@sim tool=get_weather {\"city\":\"Rome\"}")
                .addTool(tool("get_weather"))
                .build());
    List<Long> indexes = new ArrayList<>();
    chunks.forEach(
        c ->
            c.choices()
                .forEach(
                    ch ->
                        ch.delta()
                            .toolCalls()
                            .ifPresent(calls -> calls.forEach(call -> indexes.add(call.index())))));
    // Bedrock blocks: 0 reasoning, 1 text, 2 and 3 the calls
    assertThat(indexes).isNotEmpty().allMatch(i -> i == 0 || i == 1);
    assertThat(indexes.get(0)).isZero();
    assertThat(indexes).contains(1L);
    ChatCompletion streamed = accumulate(chunks);
    assertThat(streamed.choices().get(0).message().toolCalls().orElseThrow()).hasSize(2);
    assertThat(streamed.choices().get(0).message().content()).contains("Checking both.");
  }

  @Test
  void text_is_kept_beside_tool_calls_and_tool_calls_are_kept_when_the_model_stops_for_length() {
    ChatCompletionCreateParams p =
        params(
                "gpt-4o",
                "@sim reply=Let me check.\n@sim tool=get_weather {\"city\":\"Oslo\"}\n"
                    + "@sim stop=max_tokens")
            .addTool(tool("get_weather"))
            .build();
    for (ChatCompletion c : List.of(client.chat().completions().create(p), accumulate(stream(p)))) {
      ChatCompletion.Choice choice = c.choices().get(0);
      assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
      assertThat(choice.message().content()).contains("Let me check.");
      assertThat(choice.message().toolCalls().orElseThrow()).hasSize(1);
      assertThat(choice.message().toolCalls().get().get(0).asFunction().function().arguments())
          .contains("Oslo");
    }
  }

  @Test
  void tool_choice_none_is_neither_auto_nor_a_tool_name() {
    ChatCompletion answer =
        client
            .chat()
            .completions()
            .create(
                params("gpt-4o", "@sim reply=No tool needed.")
                    .addTool(tool("none"))
                    .toolChoice(ChatCompletionToolChoiceOption.Auto.NONE)
                    .build());
    assertThat(answer.choices().get(0).message().content()).contains("No tool needed.");
    assertThat(answer.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(lastBody().has("toolConfig")).isFalse();

    // with tool calls in the history Converse needs the tools: no choice is sent, an instruction
    // forbids calling
    ChatCompletionMessageToolCall call =
        ChatCompletionMessageToolCall.ofFunction(
            com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall.builder()
                .id("call_1")
                .function(
                    com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall
                        .Function.builder()
                        .name("none")
                        .arguments("{}")
                        .build())
                .build());
    client
        .chat()
        .completions()
        .create(
            ChatCompletionCreateParams.builder()
                .model("gpt-4o")
                .addUserMessage("x")
                .addMessage(
                    ChatCompletionAssistantMessageParam.builder().toolCalls(List.of(call)).build())
                .addMessage(
                    ChatCompletionToolMessageParam.builder()
                        .toolCallId("call_1")
                        .content("done")
                        .build())
                .addTool(tool("none"))
                .toolChoice(ChatCompletionToolChoiceOption.Auto.NONE)
                .build());
    assertThat(lastBody().at("/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("none");
    assertThat(lastBody().at("/toolConfig").has("toolChoice")).isFalse();
    assertThat(lastBody().at("/system/0/text").asText()).contains("No tool may be called");
  }

  // ---------------------------------------------------------------- documents

  private static ChatCompletionContentPart file(String dataUrl, String filename) {
    return ChatCompletionContentPart.ofFile(
        ChatCompletionContentPart.File.builder()
            .file(
                ChatCompletionContentPart.File.FileObject.builder()
                    .fileData(dataUrl)
                    .filename(filename)
                    .build())
            .build());
  }

  private static ChatCompletionContentPart text(String text) {
    return ChatCompletionContentPart.ofText(
        ChatCompletionContentPartText.builder().text(text).build());
  }

  @Test
  void a_pdf_file_part_reaches_bedrock_as_a_document_block_streaming_or_not() {
    byte[] pdf = "%PDF-1.4 simulated".getBytes();
    ChatCompletionCreateParams p =
        ChatCompletionCreateParams.builder()
            .model("claude-haiku")
            .addUserMessageOfArrayOfContentParts(
                List.of(
                    text("@sim reply=I read it."),
                    file(
                        "data:application/pdf;base64," + Base64.getEncoder().encodeToString(pdf),
                        "Q3 report.final.pdf")))
            .build();
    assertThat(client.chat().completions().create(p).choices().get(0).message().content())
        .contains("I read it.");
    JsonNode document = lastBody().at("/messages/0/content/1/document");
    assertThat(document.path("format").asText()).isEqualTo("pdf");
    assertThat(document.path("name").asText()).isEqualTo("Q3 report-final");
    assertThat(Base64.getDecoder().decode(document.at("/source/bytes").asText())).isEqualTo(pdf);

    assertThat(accumulate(stream(p)).choices().get(0).message().content()).contains("I read it.");
    assertThat(lastBody().at("/messages/0/content/1/document/format").asText()).isEqualTo("pdf");
  }

  @Test
  void a_file_sent_alone_gets_the_text_block_bedrock_needs_and_a_bad_file_is_a_400_naming_it() {
    String csv =
        "data:text/csv;base64," + Base64.getEncoder().encodeToString("a,b\n1,2".getBytes());
    ChatCompletion answer =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("claude-haiku")
                    .addUserMessageOfArrayOfContentParts(List.of(file(csv, "data.csv")))
                    .build());
    // the simulator echoes the user's text, which is the gateway's note
    assertThat(answer.choices().get(0).message().content()).contains("See the attached document.");
    assertThat(lastBody().at("/messages/0/content/1/text").asText())
        .isEqualTo("See the attached document.");

    String png =
        "data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("claude-haiku")
                            .addUserMessageOfArrayOfContentParts(
                                List.of(text("x"), file(png, "a.png")))
                            .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> assertThat(e.param()).contains("messages[0].content[1].file.file_data"));
  }

  // ---------------------------------------------------------------- reasoning

  @Test
  void reasoning_effort_turns_thinking_on_and_reasoning_comes_back_apart_from_the_content() {
    ChatCompletionCreateParams p =
        params("gpt-4o", "@sim reply=Forty-two.")
            .reasoningEffort(ReasoningEffort.LOW)
            .temperature(0.3)
            .maxCompletionTokens(200)
            .build();
    ChatCompletion plain = client.chat().completions().create(p);
    ChatCompletionMessage message = plain.choices().get(0).message();
    assertThat(message.content()).contains("Forty-two.");
    assertThat(message.content().get()).doesNotContain("think");
    assertThat(extra(message._additionalProperties(), "reasoning_content"))
        .isEqualTo(DEFAULT_REASONING);
    // estimated as a quarter of the reasoning characters, never more than the completion tokens
    CompletionUsage plainUsage = plain.usage().orElseThrow();
    long reasoningTokens =
        Math.min((DEFAULT_REASONING.length() + 3) / 4, plainUsage.completionTokens());
    assertThat(reasoningTokens).isPositive();
    assertThat(plainUsage.completionTokensDetails().orElseThrow().reasoningTokens())
        .contains(reasoningTokens);
    JsonNode body = lastBody();
    assertThat(body.at("/additionalModelRequestFields/thinking"))
        .isEqualTo(json("{\"type\": \"enabled\", \"budget_tokens\": 2048}"));
    assertThat(body.at("/inferenceConfig")).isEqualTo(json("{\"maxTokens\": 2248}"));

    List<ChatCompletionChunk> chunks =
        stream(
            p.toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build());
    StringBuilder reasoning = new StringBuilder();
    StringBuilder content = new StringBuilder();
    CompletionUsage usage = null;
    for (ChatCompletionChunk chunk : chunks) {
      for (ChatCompletionChunk.Choice choice : chunk.choices()) {
        String piece = extra(choice.delta()._additionalProperties(), "reasoning_content");
        if (piece != null) {
          reasoning.append(piece);
          assertThat(choice.delta().content()).isEmpty();
        }
        choice.delta().content().ifPresent(content::append);
      }
      usage = chunk.usage().orElse(usage);
    }
    assertThat(reasoning).hasToString(DEFAULT_REASONING);
    assertThat(content).hasToString("Forty-two.");
    assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens())
        .contains(reasoningTokens);
  }

  @Test
  void a_thinking_tool_loop_works_for_a_client_that_echoes_only_content_and_tool_calls() {
    ChatCompletionCreateParams.Builder first =
        params(
                "gpt-4o",
                "Weather in Oslo?\n@sim reasoning=I need the weather.\n"
                    + "@sim reply=Checking.\n@sim tool=get_weather {\"city\":\"Oslo\"}")
            .addTool(tool("get_weather"))
            .reasoningEffort(ReasoningEffort.LOW);
    for (boolean streaming : new boolean[] {false, true}) {
      ChatCompletionMessage turn =
          streaming
              ? accumulate(stream(first.build())).choices().get(0).message()
              : client.chat().completions().create(first.build()).choices().get(0).message();
      List<ChatCompletionMessageToolCall> calls = turn.toolCalls().orElseThrow();
      String id = calls.get(0).asFunction().id();
      assertThat(SignedReasoning.decode(id).reasoning()).hasSize(1);
      // exactly what a plain client sends back: content, tool_calls, then the tool's answer
      ChatCompletionCreateParams second =
          first.build().toBuilder()
              .addMessage(
                  ChatCompletionAssistantMessageParam.builder()
                      .content(turn.content().orElse(""))
                      .toolCalls(calls)
                      .build())
              .addMessage(
                  ChatCompletionToolMessageParam.builder()
                      .toolCallId(id)
                      .content("18C and sunny")
                      .build())
              .build();
      String answer =
          streaming
              ? accumulate(stream(second)).choices().get(0).message().content().orElseThrow()
              : client
                  .chat()
                  .completions()
                  .create(second)
                  .choices()
                  .get(0)
                  .message()
                  .content()
                  .orElseThrow();
      assertThat(answer).isEqualTo("18C and sunny");
      JsonNode body = lastBody();
      assertThat(simulator.lastRequest().errorType()).isNull();
      assertThat(body.at("/additionalModelRequestFields/thinking/type").asText())
          .isEqualTo("enabled");
      JsonNode assistant = body.at("/messages/1/content");
      assertThat(assistant.at("/0/reasoningContent/reasoningText/text").asText())
          .isEqualTo("I need the weather.");
      assertThat(assistant.at("/1/text").asText()).isEqualTo("Checking.");
      assertThat(assistant.at("/2/toolUse/toolUseId").asText())
          .isEqualTo(SignedReasoning.decode(id).toolUseId())
          .startsWith("tooluse_")
          .doesNotContain(".");
      assertThat(body.at("/messages/2/content/0/toolResult/toolUseId").asText())
          .isEqualTo(assistant.at("/2/toolUse/toolUseId").asText());
    }
  }

  @Test
  void
      a_client_that_loses_the_signed_reasoning_gets_the_turn_without_thinking_instead_of_an_error() {
    ChatCompletionCreateParams.Builder first =
        params("gpt-4o", "Weather?\n@sim tool=get_weather {\"city\":\"Oslo\"}")
            .addTool(tool("get_weather"))
            .reasoningEffort(ReasoningEffort.LOW);
    ChatCompletionMessage turn =
        client.chat().completions().create(first.build()).choices().get(0).message();
    String plainId =
        SignedReasoning.decode(turn.toolCalls().orElseThrow().get(0).asFunction().id()).toolUseId();
    ChatCompletionMessageToolCall rewritten =
        ChatCompletionMessageToolCall.ofFunction(
            turn.toolCalls().get().get(0).asFunction().toBuilder().id(plainId).build());
    ChatCompletion answer =
        client
            .chat()
            .completions()
            .create(
                first
                    .addMessage(
                        ChatCompletionAssistantMessageParam.builder()
                            .toolCalls(List.of(rewritten))
                            .build())
                    .addMessage(
                        ChatCompletionToolMessageParam.builder()
                            .toolCallId(plainId)
                            .content("5C")
                            .build())
                    .build());
    assertThat(answer.choices().get(0).message().content()).contains("5C");
    assertThat(lastBody().has("additionalModelRequestFields")).isFalse();
  }

  @Test
  void reasoning_effort_on_a_model_without_thinking_is_ignored() {
    ChatCompletion answer =
        client
            .chat()
            .completions()
            .create(
                params("claude-haiku", "@sim reply=Fine.")
                    .reasoningEffort(ReasoningEffort.HIGH)
                    .temperature(0.5)
                    .build());
    assertThat(answer.choices().get(0).message()._additionalProperties())
        .doesNotContainKey("reasoning_content");
    assertThat(lastBody().has("additionalModelRequestFields")).isFalse();
    assertThat(lastBody().at("/inferenceConfig/temperature").asDouble()).isEqualTo(0.5);
  }

  // ---------------------------------------------------------------- structured output

  /** A type the SDK derives a strict JSON schema from, and parses the answer into. */
  public static class CityWeather {
    public String city;
    public long temperature;
    public boolean sunny;
  }

  private static ResponseFormatJsonSchema cityWeatherFormat() {
    return ResponseFormatJsonSchema.builder()
        .jsonSchema(
            ResponseFormatJsonSchema.JsonSchema.builder()
                .name("city_weather")
                .strict(true)
                .schema(
                    ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty(
                            "properties",
                            JsonValue.from(
                                Map.of(
                                    "city",
                                    Map.of("type", "string"),
                                    "temperature",
                                    Map.of("type", "integer"))))
                        .putAdditionalProperty(
                            "required", JsonValue.from(List.of("city", "temperature")))
                        .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                        .build())
                .build())
        .build();
  }

  @Test
  void json_schema_on_a_model_with_structured_output_goes_to_output_config() throws Exception {
    StructuredChatCompletion<CityWeather> typed =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model(SONNET45)
                    .addUserMessage("Weather in Oslo?")
                    .responseFormat(CityWeather.class)
                    .build());
    CityWeather weather = typed.choices().get(0).message().content().orElseThrow();
    assertThat(weather.city).isEqualTo("sample");
    assertThat(weather.sunny).isTrue();
    JsonNode body = lastBody();
    assertThat(body.at("/outputConfig/textFormat/type").asText()).isEqualTo("json_schema");
    assertThat(body.at("/outputConfig/textFormat/structure/jsonSchema/name").asText()).isNotEmpty();
    assertThat(body.has("toolConfig")).isFalse();

    ChatCompletion streamed =
        accumulate(
            stream(params(SONNET45, "Weather?").responseFormat(cityWeatherFormat()).build()));
    assertThat(Json.MAPPER.readTree(streamed.choices().get(0).message().content().orElseThrow()))
        .isEqualTo(json("{\"city\": \"sample\", \"temperature\": 1}"));
  }

  @Test
  void json_schema_elsewhere_is_answered_through_a_forced_tool_and_returned_as_content()
      throws Exception {
    StructuredChatCompletion<CityWeather> typed =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("gpt-4o")
                    .addUserMessage("Weather in Oslo?")
                    .responseFormat(CityWeather.class)
                    .build());
    assertThat(typed.choices().get(0).message().content().orElseThrow().city).isEqualTo("sample");
    assertThat(typed.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(typed.choices().get(0).message().toolCalls()).isEmpty();
    JsonNode body = lastBody();
    String toolName = body.at("/toolConfig/toolChoice/tool/name").asText();
    assertThat(toolName)
        .isNotEmpty()
        .isEqualTo(body.at("/toolConfig/tools/0/toolSpec/name").asText());

    ChatCompletionCreateParams p =
        params("gpt-4o", "Weather?").responseFormat(cityWeatherFormat()).build();
    ChatCompletion plain = client.chat().completions().create(p);
    List<ChatCompletionChunk> chunks = stream(p);
    ChatCompletion streamed = accumulate(chunks);
    assertThat(
            chunks.stream()
                .filter(
                    c ->
                        !c.choices().isEmpty()
                            && c.choices().get(0).delta().content().isPresent()
                            && !c.choices().get(0).delta().content().get().isEmpty())
                .count())
        .isGreaterThan(1);
    assertThat(streamed.choices().get(0).message().toolCalls().orElse(List.of())).isEmpty();
    assertThat(streamed.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(Json.MAPPER.readTree(streamed.choices().get(0).message().content().orElseThrow()))
        .isEqualTo(Json.MAPPER.readTree(plain.choices().get(0).message().content().orElseThrow()))
        .isEqualTo(json("{\"city\": \"sample\", \"temperature\": 1}"));
  }

  @Test
  void json_object_returns_the_object_as_content() throws Exception {
    ChatCompletionCreateParams p =
        params(
                "claude-haiku",
                "List two colours as JSON.\n@sim tool=json_object {\"colours\": [\"red\", \"blue\"]}")
            .responseFormat(ResponseFormatJsonObject.builder().build())
            .build();
    for (ChatCompletion c : List.of(client.chat().completions().create(p), accumulate(stream(p)))) {
      assertThat(Json.MAPPER.readTree(c.choices().get(0).message().content().orElseThrow()))
          .isEqualTo(json("{\"colours\": [\"red\", \"blue\"]}"));
      assertThat(c.choices().get(0).finishReason())
          .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    }
    assertThat(lastBody().at("/toolConfig/toolChoice/tool/name").asText()).isEqualTo("json_object");
  }

  // ---------------------------------------------------------------- prompt caching

  @Test
  void cache_markers_become_cache_points_and_usage_reports_the_write_then_the_read_in_a_stream() {
    String rules = "Rules of the house, unique to this test. ".repeat(40);
    ChatCompletionCreateParams p =
        ChatCompletionCreateParams.builder()
            .model("claude-haiku")
            .addSystemMessageOfArrayOfContentParts(
                List.of(
                    ChatCompletionContentPartText.builder()
                        .text(rules)
                        .putAdditionalProperty(
                            "cache_control", JsonValue.from(Map.of("type", "ephemeral")))
                        .build()))
            .addUserMessageOfArrayOfContentParts(
                List.of(
                    ChatCompletionContentPart.ofText(
                        ChatCompletionContentPartText.builder()
                            .text("@sim reply=Noted.")
                            .promptCacheBreakpoint(
                                ChatCompletionContentPartText.PromptCacheBreakpoint.builder()
                                    .ttl(PromptCacheBreakpointTtl._30M)
                                    .build())
                            .build())))
            .build();
    CompletionUsage written = client.chat().completions().create(p).usage().orElseThrow();
    JsonNode body = lastBody();
    assertThat(body.at("/system/1/cachePoint/type").asText()).isEqualTo("default");
    assertThat(body.at("/messages/0/content/1/cachePoint"))
        .isEqualTo(json("{\"type\": \"default\", \"ttl\": \"1h\"}"));
    long systemTokens = (rules.length() + 3) / 4;
    assertThat(written.promptTokensDetails().orElseThrow().cacheWriteTokens().orElseThrow())
        .isGreaterThanOrEqualTo(systemTokens);
    assertThat(written.promptTokensDetails().get().cachedTokens()).contains(0L);

    CompletionUsage read = null;
    for (ChatCompletionChunk chunk :
        stream(
            p.toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build())) {
      read = chunk.usage().orElse(read);
    }
    assertThat(read.promptTokensDetails().orElseThrow().cachedTokens().orElseThrow())
        .isEqualTo(written.promptTokensDetails().get().cacheWriteTokens().orElseThrow());
    assertThat(read.promptTokensDetails().get().cacheWriteTokens()).contains(0L);
    assertThat(read.promptTokens()).isEqualTo(written.promptTokens());
    assertThat(read.totalTokens()).isEqualTo(read.promptTokens() + read.completionTokens());
  }

  // ---------------------------------------------------------------- guardrails

  @Test
  void a_request_guardrail_reaches_bedrock_and_an_intervention_finishes_with_content_filter() {
    ChatCompletionCreateParams p =
        params(
                "gpt-4o",
                "@sim reply=Sorry, I cannot help with that.\n@sim stop=guardrail_intervened")
            .putAdditionalBodyProperty(
                "guardrailConfig",
                JsonValue.from(
                    Map.of(
                        "guardrailIdentifier",
                        "gr-test",
                        "guardrailVersion",
                        "1",
                        "trace",
                        "enabled",
                        "streamProcessingMode",
                        "async")))
            .build();
    ChatCompletion plain = client.chat().completions().create(p);
    assertThat(plain.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
    assertThat(lastBody().get("guardrailConfig"))
        .isEqualTo(
            json(
                "{\"guardrailIdentifier\": \"gr-test\", \"guardrailVersion\": \"1\", \"trace\": \"enabled\"}"));
    ChatCompletion streamed = accumulate(stream(p));
    assertThat(streamed.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
    assertThat(streamed.choices().get(0).message().content())
        .contains("Sorry, I cannot help with that.");
    assertThat(lastBody().at("/guardrailConfig/streamProcessingMode").asText()).isEqualTo("async");
  }

  // ---------------------------------------------------------------- pass-through

  @Test
  void extra_body_fields_reach_bedrock_and_what_bedrock_reports_comes_back() {
    ChatCompletionCreateParams p =
        params("gpt-4o", "@sim reply=one two END three")
            .stop("END")
            .serviceTier(ChatCompletionCreateParams.ServiceTier.PRIORITY)
            .putAdditionalBodyProperty("top_k", JsonValue.from(20))
            .putAdditionalBodyProperty(
                "additionalModelRequestFields",
                JsonValue.from(
                    Map.of("top_k", 7, "anthropic_beta", List.of("context-1m-2025-08-07"))))
            .putAdditionalBodyProperty(
                "additionalModelResponseFieldPaths", JsonValue.from(List.of("/stop_sequence")))
            .putAdditionalBodyProperty(
                "performanceConfig", JsonValue.from(Map.of("latency", "optimized")))
            .build();
    ChatCompletion plain = client.chat().completions().create(p);
    JsonNode body = lastBody();
    assertThat(body.get("additionalModelRequestFields"))
        .isEqualTo(json("{\"top_k\": 7, \"anthropic_beta\": [\"context-1m-2025-08-07\"]}"));
    assertThat(body.get("additionalModelResponseFieldPaths"))
        .isEqualTo(json("[\"/stop_sequence\"]"));
    assertThat(body.get("performanceConfig")).isEqualTo(json("{\"latency\": \"optimized\"}"));
    assertThat(body.get("serviceTier")).isEqualTo(json("{\"type\": \"priority\"}"));
    assertThat(plain.serviceTier()).contains(ChatCompletion.ServiceTier.PRIORITY);
    assertThat(
            plain._additionalProperties().get("additionalModelResponseFields").convert(Map.class))
        .isEqualTo(Map.of("stop_sequence", "END"));

    List<ChatCompletionChunk> chunks = stream(p);
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last._additionalProperties().get("additionalModelResponseFields").convert(Map.class))
        .isEqualTo(Map.of("stop_sequence", "END"));
    assertThat(lastBody().get("serviceTier")).isEqualTo(json("{\"type\": \"priority\"}"));
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
