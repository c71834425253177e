package io.github.bedrockgateway.openai.chat;

import static io.github.bedrockgateway.openai.chat.ConverseFixtures.assistant;
import static io.github.bedrockgateway.openai.chat.ConverseFixtures.json;
import static io.github.bedrockgateway.openai.chat.ConverseFixtures.text;
import static io.github.bedrockgateway.openai.chat.ConverseFixtures.toolResult;
import static io.github.bedrockgateway.openai.chat.ConverseFixtures.toolUse;
import static io.github.bedrockgateway.openai.chat.ConverseFixtures.user;
import static io.github.bedrockgateway.openai.chat.ConverseFixtures.weatherTool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bedrockgateway.error.GatewayException;
import java.util.Base64;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.AnyToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.AutoToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;

/** Table tests: an OpenAI request in, the whole expected Converse request out. */
class OpenAiToConverseTest {

  private static final UnaryOperator<String> ALIASES =
      name -> name.equals("gpt-4o") ? "us.anthropic.claude-sonnet-4-20250514-v1:0" : name;
  private static final String MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

  static Stream<Arguments> translations() {
    return Stream.of(
        Arguments.of(
            "plain user string",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "Hello"}]}
                        """
                .formatted(MODEL),
            base().messages(user(text("Hello"))).build()),
        Arguments.of(
            "alias resolves to the inference profile",
            """
                        {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}]}
                        """,
            ConverseRequest.builder()
                .modelId("us.anthropic.claude-sonnet-4-20250514-v1:0")
                .messages(user(text("Hi")))
                .build()),
        Arguments.of(
            "system and developer become system blocks, in order",
            """
                        {"model": "%s", "messages": [
                          {"role": "system", "content": "Be brief."},
                          {"role": "developer", "content": [{"type": "text", "text": "Answer in French."}]},
                          {"role": "user", "content": "Hello"}]}
                        """
                .formatted(MODEL),
            base()
                .system(
                    SystemContentBlock.fromText("Be brief."),
                    SystemContentBlock.fromText("Answer in French."))
                .messages(user(text("Hello")))
                .build()),
        Arguments.of(
            "text parts; consecutive user turns merged; empty text dropped",
            """
                        {"model": "%s", "messages": [
                          {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": ""}]},
                          {"role": "user", "content": "b"},
                          {"role": "assistant", "content": ""},
                          {"role": "assistant", "content": "c"},
                          {"role": "user", "content": "d"}]}
                        """
                .formatted(MODEL),
            base()
                .messages(user(text("a"), text("b")), assistant(text("c")), user(text("d")))
                .build()),
        Arguments.of(
            "an assistant turn with nothing in it disappears and its neighbours merge",
            """
                        {"model": "%s", "messages": [
                          {"role": "user", "content": "a"},
                          {"role": "assistant", "content": null},
                          {"role": "user", "content": "b"}]}
                        """
                .formatted(MODEL),
            base().messages(user(text("a"), text("b"))).build()),
        Arguments.of(
            "inference settings; max_completion_tokens preferred over max_tokens; stop as string",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}],
                         "max_tokens": 10, "max_completion_tokens": 20, "temperature": 0.5, "top_p": 0.9, "stop": "END"}
                        """
                .formatted(MODEL),
            base()
                .messages(user(text("x")))
                .inferenceConfig(
                    InferenceConfiguration.builder()
                        .maxTokens(20)
                        .temperature(0.5f)
                        .topP(0.9f)
                        .stopSequences("END")
                        .build())
                .build()),
        Arguments.of(
            "max_tokens alone; stop list with empty entries dropped",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}],
                         "max_tokens": 7, "stop": ["a", "", "b"]}
                        """
                .formatted(MODEL),
            base()
                .messages(user(text("x")))
                .inferenceConfig(
                    InferenceConfiguration.builder().maxTokens(7).stopSequences("a", "b").build())
                .build()),
        Arguments.of(
            "neutral values of unsupported parameters are accepted and unknown fields ignored",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "n": 1, "logprobs": false,
                         "presence_penalty": 0, "frequency_penalty": 0, "logit_bias": {}, "seed": 42, "user": "u1",
                         "store": false, "service_tier": "auto", "parallel_tool_calls": true,
                         "response_format": {"type": "text"}, "some_future_field": {"x": 1}}
                        """
                .formatted(MODEL),
            base().messages(user(text("x"))).build()),
        Arguments.of(
            "metadata becomes requestMetadata",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "metadata": {"team": "search"}}
                        """
                .formatted(MODEL),
            base().messages(user(text("x"))).requestMetadata(Map.of("team", "search")).build()),
        Arguments.of(
            "data URL image",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": [
                          {"type": "text", "text": "What is it?"},
                          {"type": "image_url", "image_url": {"url": "data:image/png;base64,%s", "detail": "high"}}]}]}
                        """
                .formatted(MODEL, Base64.getEncoder().encodeToString(PNG)),
            base()
                .messages(
                    user(
                        text("What is it?"),
                        ContentBlock.fromImage(
                            ImageBlock.builder()
                                .format(ImageFormat.PNG)
                                .source(s -> s.bytes(SdkBytes.fromByteArray(PNG)))
                                .build())))
                .build()),
        Arguments.of(
            "tools, tool calls in history, tool results merged into one user turn",
            """
                        {"model": "%s",
                         "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather",
                                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
                         "tool_choice": "required",
                         "messages": [
                          {"role": "user", "content": "Weather in Paris and Rome?"},
                          {"role": "assistant", "content": null, "tool_calls": [
                            {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
                            {"id": "call_2", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Rome\\"}"}}]},
                          {"role": "tool", "tool_call_id": "call_1", "content": "18C"},
                          {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "21C"}]}]}
                        """
                .formatted(MODEL),
            base()
                .messages(
                    user(text("Weather in Paris and Rome?")),
                    assistant(
                        toolUse("call_1", "get_weather", "city", "Paris"),
                        toolUse("call_2", "get_weather", "city", "Rome")),
                    user(toolResult("call_1", "18C"), toolResult("call_2", "21C")))
                .toolConfig(
                    ToolConfiguration.builder()
                        .tools(weatherTool())
                        .toolChoice(ToolChoice.fromAny(AnyToolChoice.builder().build()))
                        .build())
                .build()),
        Arguments.of(
            "named tool_choice -> tool; default choice -> auto",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}],
                         "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather",
                                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
                         "tool_choice": {"type": "function", "function": {"name": "get_weather"}}}
                        """
                .formatted(MODEL),
            base()
                .messages(user(text("x")))
                .toolConfig(
                    ToolConfiguration.builder()
                        .tools(weatherTool())
                        .toolChoice(
                            ToolChoice.fromTool(
                                SpecificToolChoice.builder().name("get_weather").build()))
                        .build())
                .build()),
        Arguments.of(
            "tool_choice none without tool history: tools not sent",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "tool_choice": "none",
                         "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather",
                                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]}
                        """
                .formatted(MODEL),
            base().messages(user(text("x"))).build()),
        Arguments.of(
            "tool_choice none with tool history: tools kept (Converse needs them), calling forbidden",
            """
                        {"model": "%s", "tool_choice": "none",
                         "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather",
                                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
                         "messages": [
                          {"role": "user", "content": "Weather?"},
                          {"role": "assistant", "tool_calls": [
                            {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
                          {"role": "tool", "tool_call_id": "call_1", "content": "18C"}]}
                        """
                .formatted(MODEL),
            base()
                .system(
                    SystemContentBlock.fromText(
                        "No tool may be called in this turn: answer the user directly without calling any tool."))
                .messages(
                    user(text("Weather?")),
                    assistant(toolUse("call_1", "get_weather", "city", "Paris")),
                    user(toolResult("call_1", "18C")))
                .toolConfig(ToolConfiguration.builder().tools(weatherTool()).build())
                .build()),
        Arguments.of(
            "assistant text and tool calls kept together",
            """
                        {"model": "%s", "messages": [
                          {"role": "user", "content": "x"},
                          {"role": "assistant", "content": "Let me check.", "tool_calls": [
                            {"id": "c", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Oslo\\"}"}}]},
                          {"role": "tool", "tool_call_id": "c", "content": ""}],
                         "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather",
                                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]}
                        """
                .formatted(MODEL),
            base()
                .messages(
                    user(text("x")),
                    assistant(text("Let me check."), toolUse("c", "get_weather", "city", "Oslo")),
                    user(toolResult("c", "(empty)")))
                .toolConfig(
                    ToolConfiguration.builder()
                        .tools(weatherTool())
                        .toolChoice(ToolChoice.fromAuto(AutoToolChoice.builder().build()))
                        .build())
                .build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("translations")
  void translates_openai_request_to_the_whole_expected_converse_request(
      String name, String openAi, ConverseRequest expected) {
    ChatRequest actual = OpenAiToConverse.translate(json(openAi), ALIASES);
    assertThat(actual.converse()).isEqualTo(expected);
  }

  @Test
  void keeps_the_client_model_name_and_stream_options() {
    ChatRequest r =
        OpenAiToConverse.translate(
            json(
                """
                {"model": "gpt-4o", "stream": true, "stream_options": {"include_usage": true},
                 "messages": [{"role": "user", "content": "x"}]}
                """),
            ALIASES);
    assertThat(r.clientModel()).isEqualTo("gpt-4o");
    assertThat(r.stream()).isTrue();
    assertThat(r.includeUsage()).isTrue();
    assertThat(r.toStreamRequest().modelId())
        .isEqualTo("us.anthropic.claude-sonnet-4-20250514-v1:0");
    assertThat(r.toStreamRequest().messages()).isEqualTo(r.converse().messages());
  }

  static Stream<Arguments> refusals() {
    String msgs = "\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]";
    return Stream.of(
        Arguments.of("[1, 2]", null),
        Arguments.of("{" + msgs + "}", "model"),
        Arguments.of("{\"model\": 5, " + msgs + "}", "model"),
        Arguments.of("{\"model\": \" \", " + msgs + "}", "model"),
        Arguments.of("{\"model\": \"m\"}", "messages"),
        Arguments.of("{\"model\": \"m\", \"messages\": \"hi\"}", "messages"),
        Arguments.of("{\"model\": \"m\", \"messages\": []}", "messages"),
        Arguments.of(
            "{\"model\": \"m\", \"messages\": [{\"role\": \"system\", \"content\": \"only system\"}]}",
            "messages"),
        Arguments.of(
            "{\"model\": \"m\", \"messages\": [{\"content\": \"x\"}]}", "messages[0].role"),
        Arguments.of(
            "{\"model\": \"m\", \"messages\": [{\"role\": \"wizard\", \"content\": \"x\"}]}",
            "messages[0].role"),
        Arguments.of(
            "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": 3}]}",
            "messages[0].content"),
        Arguments.of(
            "{\"model\": \"m\", \"messages\": [{\"role\": \"user\"}]}", "messages[0].content"),
        Arguments.of(
            "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"video\"}]}]}",
            "messages[0].content[0].type"),
        Arguments.of(
            "{\"model\": \"m\", \"messages\": [{\"role\": \"tool\", \"content\": \"x\"}]}",
            "messages[0].tool_call_id"),
        Arguments.of(
            "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"data:image/bmp;base64,AAAA\"}}]}]}",
            "messages[0].content[0].image_url.url"),
        Arguments.of(
            "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"data:image/png;base64,@@@\"}}]}]}",
            "messages[0].content[0].image_url.url"),
        Arguments.of("{\"model\": \"m\", " + msgs + ", \"n\": 2}", "n"),
        Arguments.of("{\"model\": \"m\", " + msgs + ", \"logprobs\": true}", "logprobs"),
        Arguments.of("{\"model\": \"m\", " + msgs + ", \"top_logprobs\": 3}", "top_logprobs"),
        Arguments.of(
            "{\"model\": \"m\", " + msgs + ", \"presence_penalty\": 0.5}", "presence_penalty"),
        Arguments.of(
            "{\"model\": \"m\", " + msgs + ", \"frequency_penalty\": 1}", "frequency_penalty"),
        Arguments.of(
            "{\"model\": \"m\", " + msgs + ", \"logit_bias\": {\"50256\": -100}}", "logit_bias"),
        Arguments.of("{\"model\": \"m\", " + msgs + ", \"temperature\": \"hot\"}", "temperature"),
        Arguments.of("{\"model\": \"m\", " + msgs + ", \"temperature\": 2.5}", "temperature"),
        Arguments.of("{\"model\": \"m\", " + msgs + ", \"top_p\": 1.5}", "top_p"),
        Arguments.of("{\"model\": \"m\", " + msgs + ", \"max_tokens\": 0}", "max_tokens"),
        Arguments.of(
            "{\"model\": \"m\", " + msgs + ", \"max_completion_tokens\": 1.5}",
            "max_completion_tokens"),
        Arguments.of(
            "{\"model\": \"m\", " + msgs + ", \"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}",
            "stop"),
        Arguments.of("{\"model\": \"m\", " + msgs + ", \"stop\": 5}", "stop"),
        Arguments.of("{\"model\": \"m\", " + msgs + ", \"stream\": \"yes\"}", "stream"),
        Arguments.of(
            "{\"model\": \"m\", " + msgs + ", \"stream_options\": {\"include_usage\": true}}",
            "stream_options"),
        Arguments.of("{\"model\": \"m\", " + msgs + ", \"tool_choice\": \"auto\"}", "tool_choice"),
        Arguments.of(
            "{\"model\": \"m\", "
                + msgs
                + ", \"tool_choice\": \"sometimes\", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]}",
            "tool_choice"),
        Arguments.of(
            "{\"model\": \"m\", "
                + msgs
                + ", \"tool_choice\": {\"type\": \"function\", \"function\": {\"name\": \"g\"}}, \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]}",
            "tool_choice"),
        Arguments.of(
            "{\"model\": \"m\", "
                + msgs
                + ", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"bad name!\"}}]}",
            "tools[0].function.name"),
        Arguments.of(
            "{\"model\": \"m\", " + msgs + ", \"tools\": [{\"type\": \"code_interpreter\"}]}",
            "tools[0].type"),
        Arguments.of(
            "{\"model\": \"m\", \"messages\": [{\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"c\", \"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"not json\"}}]}]}",
            "messages[0].tool_calls[0].function.arguments"),
        Arguments.of(
            "{\"model\": \"m\", " + msgs + ", \"functions\": [{\"name\": \"f\"}]}", "functions"),
        Arguments.of("{\"model\": \"m\", " + msgs + ", \"metadata\": {\"k\": 1}}", "metadata.k"));
  }

  @ParameterizedTest(name = "{0} -> param {1}")
  @MethodSource("refusals")
  void refuses_bad_requests_with_a_400_naming_the_param(String body, String param) {
    assertThatThrownBy(() -> OpenAiToConverse.translate(json(body), ALIASES))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.type()).isEqualTo("invalid_request_error");
              assertThat(e.param()).isEqualTo(param);
              assertThat(e.getMessage()).isNotBlank();
            });
  }

  @Test
  void refuses_an_image_over_the_bedrock_size_limit_before_decoding_it() {
    String big = "A".repeat(OpenAiToConverse.MAX_IMAGE_BYTES / 3 * 4 + 400);
    String body =
        "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", "
            + "\"image_url\": {\"url\": \"data:image/png;base64,"
            + big
            + "\"}}]}]}";
    assertThatThrownBy(() -> OpenAiToConverse.translate(json(body), ALIASES))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.getMessage()).contains("3.75 MB"));
  }

  // ---------------------------------------------------------------- helpers

  private static ConverseRequest.Builder base() {
    return ConverseRequest.builder().modelId(MODEL);
  }
}
