package io.github.bedrockgateway.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.converse.Documents;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.converse.TranslationOptions;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.AnyToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.AutoToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentFormat;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentSource;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.JsonSchemaDefinition;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.OutputConfig;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormat;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatStructure;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatType;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceTier;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Table tests: a Responses API request in, the whole expected Converse request out; then the
 * refusals.
 */
class ResponsesToConverseTest {

  private static final UnaryOperator<String> ALIASES =
      name -> name.equals("gpt-4o") ? "us.anthropic.claude-sonnet-4-20250514-v1:0" : name;

  /** Claude 3.5 Haiku: no extended thinking, no native structured output. */
  private static final String HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";

  /** Claude Sonnet 4.5: thinking and native structured output. */
  private static final String SONNET_45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

  private static final String NOVA = "amazon.nova-pro-v1:0";
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
  private static final byte[] PDF = "%PDF-1.4 tiny".getBytes();
  private static final String WEATHER =
      """
            {"type": "function", "name": "get_weather", "description": "Weather",
             "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}""";
  private static final String SIGNED =
      SignedReasoning.seal(
          List.of(
              ReasoningContentBlock.fromReasoningText(
                  ReasoningTextBlock.builder()
                      .text("Need the weather.")
                      .signature("c2lnbmF0dXJl")
                      .build())));

  static Stream<Arguments> translations() {
    return Stream.of(
        Arguments.of(
            "input as a string is one user message",
            """
                        {"model": "%s", "input": "Hello"}
                        """
                .formatted(HAIKU),
            base(HAIKU).messages(user(text("Hello"))).build()),
        Arguments.of(
            "alias resolves to the inference profile",
            """
                        {"model": "gpt-4o", "input": "Hi"}
                        """,
            base("us.anthropic.claude-sonnet-4-20250514-v1:0").messages(user(text("Hi"))).build()),
        Arguments.of(
            "instructions first, then system and developer items, in order; items without type are messages",
            """
                        {"model": "%s", "instructions": "Be brief.", "input": [
                          {"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "Answer in French."}]},
                          {"role": "system", "content": "No jokes."},
                          {"role": "user", "content": [{"type": "input_text", "text": "Hello"}, {"type": "input_text", "text": ""}]}]}
                        """
                .formatted(HAIKU),
            base(HAIKU)
                .system(
                    SystemContentBlock.fromText("Be brief."),
                    SystemContentBlock.fromText("Answer in French."),
                    SystemContentBlock.fromText("No jokes."))
                .messages(user(text("Hello")))
                .build()),
        Arguments.of(
            "assistant history in output_text parts; consecutive user items merged",
            """
                        {"model": "%s", "input": [
                          {"role": "user", "content": "a"},
                          {"role": "user", "content": "b"},
                          {"type": "message", "role": "assistant", "id": "msg_1", "status": "completed",
                           "content": [{"type": "output_text", "text": "c", "annotations": []}]},
                          {"role": "user", "content": "d"}]}
                        """
                .formatted(HAIKU),
            base(HAIKU)
                .messages(user(text("a"), text("b")), assistant(text("c")), user(text("d")))
                .build()),
        Arguments.of(
            "function tools; a function_call round trip; parallel calls share one turn and so do their outputs",
            """
                        {"model": "%s", "tools": [%s], "input": [
                          {"role": "user", "content": "Weather in Paris and Rome?"},
                          {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"},
                          {"type": "function_call", "id": "fc_2", "call_id": "call_2", "name": "get_weather", "arguments": "{\\"city\\":\\"Rome\\"}"},
                          {"type": "function_call_output", "call_id": "call_1", "output": "18C"},
                          {"type": "function_call_output", "call_id": "call_2", "output": ""}]}
                        """
                .formatted(HAIKU, WEATHER),
            base(HAIKU)
                .messages(
                    user(text("Weather in Paris and Rome?")),
                    assistant(
                        toolUse("call_1", "get_weather", Map.of("city", "Paris")),
                        toolUse("call_2", "get_weather", Map.of("city", "Rome"))),
                    user(toolResult("call_1", "18C"), toolResult("call_2", "(empty)")))
                .toolConfig(tools(auto(), weatherTool()))
                .build()),
        Arguments.of(
            "hosted and namespace tools are dropped, hosted-tool history items too (what Codex sends)",
            """
                        {"model": "%s", "tool_choice": "auto", "parallel_tool_calls": true,
                         "tools": [%s, {"type": "web_search", "external_web_access": false},
                                   {"type": "namespace", "name": "multi_agent_v1", "tools": [{"type": "function", "name": "spawn"}]},
                                   {"type": "file_search", "vector_store_ids": ["vs_1"]}],
                         "input": [{"role": "user", "content": "x"},
                                   {"type": "web_search_call", "id": "ws_1", "status": "completed"},
                                   {"role": "user", "content": "y"}]}
                        """
                .formatted(HAIKU, WEATHER),
            base(HAIKU)
                .messages(user(text("x"), text("y")))
                .toolConfig(tools(auto(), weatherTool()))
                .build()),
        Arguments.of(
            "a custom (free-form) tool is a function of one string; its calls and outputs round trip",
            """
                        {"model": "%s", "tools": [{"type": "custom", "name": "apply_patch", "description": "Apply a patch"}],
                         "input": [
                          {"role": "user", "content": "Fix it"},
                          {"type": "custom_tool_call", "call_id": "call_9", "name": "apply_patch", "input": "*** Begin Patch"},
                          {"type": "custom_tool_call_output", "call_id": "call_9", "output": "Done"}]}
                        """
                .formatted(HAIKU),
            base(HAIKU)
                .messages(
                    user(text("Fix it")),
                    assistant(toolUse("call_9", "apply_patch", Map.of("input", "*** Begin Patch"))),
                    user(toolResult("call_9", "Done")))
                .toolConfig(
                    tools(
                        auto(),
                        customTool(
                            "apply_patch",
                            "Apply a patch",
                            "The tool's input, as free-form text.")))
                .build()),
        Arguments.of(
            "a custom tool's grammar is described to the model",
            """
                        {"model": "%s", "input": "x", "tools": [{"type": "custom", "name": "calc",
                          "format": {"type": "grammar", "syntax": "lark", "definition": "start: NUMBER"}}]}
                        """
                .formatted(HAIKU),
            base(HAIKU)
                .messages(user(text("x")))
                .toolConfig(
                    tools(
                        auto(),
                        customTool(
                            "calc",
                            null,
                            "The tool's input, as text that must follow this lark grammar:\nstart: NUMBER")))
                .build()),
        Arguments.of(
            "tool_choice required -> any; a named function -> tool",
            """
                        {"model": "%s", "input": "x", "tools": [%s], "tool_choice": {"type": "function", "name": "get_weather"}}
                        """
                .formatted(HAIKU, WEATHER),
            base(HAIKU)
                .messages(user(text("x")))
                .toolConfig(
                    tools(
                        ToolChoice.fromTool(
                            SpecificToolChoice.builder().name("get_weather").build()),
                        weatherTool()))
                .build()),
        Arguments.of(
            "tool_choice required -> any",
            """
                        {"model": "%s", "input": "x", "tools": [%s], "tool_choice": "required"}
                        """
                .formatted(HAIKU, WEATHER),
            base(HAIKU)
                .messages(user(text("x")))
                .toolConfig(
                    tools(ToolChoice.fromAny(AnyToolChoice.builder().build()), weatherTool()))
                .build()),
        Arguments.of(
            "tool_choice none without tool history: the tools are not sent",
            """
                        {"model": "%s", "input": "x", "tools": [%s], "tool_choice": "none"}
                        """
                .formatted(HAIKU, WEATHER),
            base(HAIKU).messages(user(text("x"))).build()),
        Arguments.of(
            "parallel_tool_calls false on Claude -> disable_parallel_tool_use without a type",
            """
                        {"model": "%s", "input": "x", "tools": [%s], "parallel_tool_calls": false}
                        """
                .formatted(HAIKU, WEATHER),
            base(HAIKU)
                .messages(user(text("x")))
                .toolConfig(tools(auto(), weatherTool()))
                .additionalModelRequestFields(
                    Document.mapBuilder()
                        .putDocument(
                            "tool_choice",
                            Document.mapBuilder()
                                .putBoolean("disable_parallel_tool_use", true)
                                .build())
                        .build())
                .build()),
        Arguments.of(
            "sampling and the token limit",
            """
                        {"model": "%s", "input": "x", "max_output_tokens": 300, "temperature": 0.2, "top_p": 0.9}
                        """
                .formatted(HAIKU),
            base(HAIKU)
                .messages(user(text("x")))
                .inferenceConfig(
                    InferenceConfiguration.builder()
                        .maxTokens(300)
                        .temperature(0.2f)
                        .topP(0.9f)
                        .build())
                .build()),
        Arguments.of(
            "reasoning.effort turns on thinking; the budget comes on top of max_output_tokens; sampling dropped",
            """
                        {"model": "%s", "input": "x", "max_output_tokens": 1000, "temperature": 0.2,
                         "reasoning": {"effort": "low", "summary": "auto"}}
                        """
                .formatted(SONNET_45),
            base(SONNET_45)
                .messages(user(text("x")))
                .inferenceConfig(InferenceConfiguration.builder().maxTokens(2048 + 1000).build())
                .additionalModelRequestFields(thinking(2048))
                .build()),
        Arguments.of(
            "reasoning.effort on a model without thinking is ignored",
            """
                        {"model": "%s", "input": "x", "reasoning": {"effort": "high"}}
                        """
                .formatted(NOVA),
            base(NOVA).messages(user(text("x"))).build()),
        Arguments.of(
            "sealed reasoning comes back in front of the tool call it preceded",
            """
                        {"model": "%s", "reasoning": {"effort": "medium"}, "tools": [%s],
                         "include": ["reasoning.encrypted_content"], "input": [
                          {"role": "user", "content": "Weather?"},
                          {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "%s"},
                          {"type": "function_call", "call_id": "tooluse_1", "name": "get_weather", "arguments": "{\\"city\\":\\"Oslo\\"}"},
                          {"type": "function_call_output", "call_id": "tooluse_1", "output": "3C"}]}
                        """
                .formatted(SONNET_45, WEATHER, SIGNED),
            base(SONNET_45)
                .messages(
                    user(text("Weather?")),
                    assistant(
                        ContentBlock.fromReasoningContent(
                            ReasoningContentBlock.fromReasoningText(
                                ReasoningTextBlock.builder()
                                    .text("Need the weather.")
                                    .signature("c2lnbmF0dXJl")
                                    .build())),
                        toolUse("tooluse_1", "get_weather", Map.of("city", "Oslo"))),
                    user(toolResult("tooluse_1", "3C")))
                .toolConfig(tools(auto(), weatherTool()))
                .inferenceConfig(InferenceConfiguration.builder().maxTokens(8192 + 4096).build())
                .additionalModelRequestFields(thinking(8192))
                .build()),
        Arguments.of(
            "a tool loop whose reasoning was not kept runs without thinking instead of failing",
            """
                        {"model": "%s", "reasoning": {"effort": "medium"}, "tools": [%s], "input": [
                          {"role": "user", "content": "Weather?"},
                          {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "Need the weather."}]},
                          {"type": "function_call", "call_id": "tooluse_1", "name": "get_weather", "arguments": "{\\"city\\":\\"Oslo\\"}"},
                          {"type": "function_call_output", "call_id": "tooluse_1", "output": "3C"}]}
                        """
                .formatted(SONNET_45, WEATHER),
            base(SONNET_45)
                .messages(
                    user(text("Weather?")),
                    assistant(toolUse("tooluse_1", "get_weather", Map.of("city", "Oslo"))),
                    user(toolResult("tooluse_1", "3C")))
                .toolConfig(tools(auto(), weatherTool()))
                .build()),
        Arguments.of(
            "text.format json_schema on a model with structured output -> outputConfig",
            """
                        {"model": "%s", "input": "x", "text": {"format": {"type": "json_schema", "name": "answer",
                          "strict": true, "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}}}
                        """
                .formatted(SONNET_45),
            base(SONNET_45)
                .messages(user(text("x")))
                .outputConfig(
                    OutputConfig.builder()
                        .textFormat(
                            OutputFormat.builder()
                                .type(OutputFormatType.JSON_SCHEMA)
                                .structure(
                                    OutputFormatStructure.fromJsonSchema(
                                        JsonSchemaDefinition.builder()
                                            .name("answer")
                                            .schema(
                                                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}")
                                            .build()))
                                .build())
                        .build())
                .build()),
        Arguments.of(
            "text.format json_schema elsewhere -> a forced synthetic tool",
            """
                        {"model": "%s", "input": "x", "text": {"format": {"type": "json_schema", "name": "answer",
                          "schema": {"type": "object"}}, "verbosity": "low"}}
                        """
                .formatted(HAIKU),
            base(HAIKU)
                .messages(user(text("x")))
                .toolConfig(
                    tools(
                        ToolChoice.fromTool(SpecificToolChoice.builder().name("answer").build()),
                        Tool.fromToolSpec(
                            ToolSpecification.builder()
                                .name("answer")
                                .description(
                                    "Respond with your answer: call this tool with the answer as its input.")
                                .inputSchema(
                                    ToolInputSchema.fromJson(
                                        Document.mapBuilder().putString("type", "object").build()))
                                .build())))
                .build()),
        Arguments.of(
            "metadata, service_tier, and the bookkeeping fields Codex and the SDKs send",
            """
                        {"model": "%s", "input": "x", "metadata": {"team": "search"}, "service_tier": "priority",
                         "store": false, "include": ["reasoning.encrypted_content", "web_search_call.action.sources"],
                         "prompt_cache_key": "01a2", "client_metadata": {"thread_id": "t"}, "truncation": "auto",
                         "user": "u", "safety_identifier": "s", "stream": true, "stream_options": {"include_obfuscation": false},
                         "max_tool_calls": 5, "top_logprobs": 0, "background": false, "conversation": null,
                         "reasoning": {"summary": "auto"}, "some_future_field": 1}
                        """
                .formatted(HAIKU),
            base(HAIKU)
                .messages(user(text("x")))
                .requestMetadata(Map.of("team", "search"))
                .serviceTier(ServiceTier.builder().type("priority").build())
                .build()),
        Arguments.of(
            "input_image data URL, input_file document (with the note Converse wants)",
            """
                        {"model": "%s", "input": [{"role": "user", "content": [
                          {"type": "input_image", "image_url": "data:image/png;base64,%s", "detail": "auto"}]},
                          {"role": "user", "content": [{"type": "input_file", "filename": "report.pdf",
                           "file_data": "data:application/pdf;base64,%s"}]}]}
                        """
                .formatted(HAIKU, b64(PNG), b64(PDF)),
            base(HAIKU)
                .messages(
                    user(image(PNG), document("report", PDF), text("See the attached document.")))
                .build()),
        Arguments.of(
            "a tool output with text and image parts",
            """
                        {"model": "%s", "tools": [%s], "input": [
                          {"role": "user", "content": "Look"},
                          {"type": "function_call", "call_id": "c1", "name": "get_weather", "arguments": ""},
                          {"type": "function_call_output", "call_id": "c1", "output": [
                            {"type": "input_text", "text": "a chart"},
                            {"type": "input_image", "image_url": "data:image/png;base64,%s"}]}]}
                        """
                .formatted(HAIKU, WEATHER, b64(PNG)),
            base(HAIKU)
                .messages(
                    user(text("Look")),
                    assistant(toolUse("c1", "get_weather", Map.of())),
                    user(
                        ContentBlock.fromToolResult(
                            ToolResultBlock.builder()
                                .toolUseId("c1")
                                .content(
                                    ToolResultContentBlock.fromText("a chart"),
                                    ToolResultContentBlock.fromImage(image(PNG).image()))
                                .build())))
                .toolConfig(tools(auto(), weatherTool()))
                .build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("translations")
  void translates_the_request_to_the_whole_expected_converse_request(
      String name, String request, ConverseRequest expected) {
    ResponsesRequest actual = ResponsesToConverse.translate(json(request), ALIASES);
    assertThat(actual.converse()).isEqualTo(expected);
  }

  @Test
  void a_stored_conversation_comes_first_and_only_the_new_instructions_apply() {
    JsonNode history =
        json(
            """
                [{"type": "message", "role": "user", "content": "Hi"},
                 {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Hello!"}]}]
                """);
    ResponsesRequest r =
        ResponsesToConverse.translate(
            json(
                """
                {"model": "%s", "instructions": "Be terse.", "previous_response_id": "resp_1", "input": "And now?"}
                """
                    .formatted(HAIKU)),
            history,
            ALIASES,
            TranslationOptions.defaults());
    assertThat(r.converse())
        .isEqualTo(
            base(HAIKU)
                .system(SystemContentBlock.fromText("Be terse."))
                .messages(user(text("Hi")), assistant(text("Hello!")), user(text("And now?")))
                .build());
    assertThat(r.conversation())
        .isEqualTo(
            json(
                """
                [{"type": "message", "role": "user", "content": "Hi"},
                 {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Hello!"}]},
                 {"type": "message", "role": "user", "content": "And now?"}]
                """));
    assertThat(r.echo().previousResponseId()).isEqualTo("resp_1");
  }

  @Test
  void keeps_what_the_answer_needs_the_client_model_custom_tools_include_and_the_echo() {
    ResponsesRequest r =
        ResponsesToConverse.translate(
            json(
                """
                {"model": "gpt-4o", "stream": true, "store": false, "include": ["reasoning.encrypted_content"],
                 "reasoning": {"summary": "detailed"}, "input": "x", "tools": [{"type": "custom", "name": "patch"}],
                 "text": {"format": {"type": "json_object"}}}
                """),
            ALIASES);
    assertThat(r.clientModel()).isEqualTo("gpt-4o");
    assertThat(r.stream()).isTrue();
    assertThat(r.store()).isFalse();
    assertThat(r.includeEncryptedReasoning()).isTrue();
    assertThat(r.summaryRequested()).isTrue();
    assertThat(r.customTools()).containsExactly("patch");
    assertThat(r.structuredOutputTool()).isEqualTo("json_object");
    assertThat(r.echo().toolChoice().asText()).isEqualTo("auto");
    assertThat(r.echo().truncation()).isEqualTo("disabled");
    assertThat(r.toStreamRequest().messages()).isEqualTo(r.converse().messages());
  }

  static Stream<Arguments> refusals() {
    String in = "\"input\": \"x\"";
    String m = "\"model\": \"m\"";
    return Stream.of(
        Arguments.of("[1]", null),
        Arguments.of("{" + in + "}", "model"),
        Arguments.of("{\"model\": \" \", " + in + "}", "model"),
        Arguments.of("{" + m + "}", "input"),
        Arguments.of("{" + m + ", \"input\": 5}", "input"),
        Arguments.of("{" + m + ", \"input\": []}", "input"),
        Arguments.of(
            "{" + m + ", \"input\": [{\"role\": \"system\", \"content\": \"only system\"}]}",
            "input"),
        Arguments.of("{" + m + ", \"input\": [7]}", "input[0]"),
        Arguments.of("{" + m + ", \"input\": [{\"content\": \"x\"}]}", "input[0].type"),
        Arguments.of("{" + m + ", \"input\": [{\"type\": \"telepathy\"}]}", "input[0].type"),
        Arguments.of(
            "{" + m + ", \"input\": [{\"type\": \"message\", \"content\": \"x\"}]}",
            "input[0].role"),
        Arguments.of(
            "{" + m + ", \"input\": [{\"role\": \"tool\", \"content\": \"x\"}]}", "input[0].role"),
        Arguments.of("{" + m + ", \"input\": [{\"role\": \"user\"}]}", "input[0].content"),
        Arguments.of(
            "{"
                + m
                + ", \"input\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"x\"}]}]}",
            "input[0].content[0].type"),
        Arguments.of(
            "{"
                + m
                + ", \"input\": [{\"role\": \"user\", \"content\": [{\"type\": \"input_audio\"}]}]}",
            "input[0].content[0].type"),
        Arguments.of(
            "{"
                + m
                + ", \"input\": [{\"role\": \"system\", \"content\": [{\"type\": \"input_image\", \"image_url\": \"x\"}]}]}",
            "input[0].content[0].type"),
        Arguments.of(
            "{"
                + m
                + ", \"input\": [{\"role\": \"user\", \"content\": [{\"type\": \"input_image\", \"file_id\": \"file-1\"}]}]}",
            "input[0].content[0].file_id"),
        Arguments.of(
            "{"
                + m
                + ", \"input\": [{\"role\": \"user\", \"content\": [{\"type\": \"input_image\", \"image_url\": \"data:image/bmp;base64,AAAA\"}]}]}",
            "input[0].content[0].image_url"),
        Arguments.of(
            "{"
                + m
                + ", \"input\": [{\"role\": \"user\", \"content\": [{\"type\": \"input_file\", \"file_url\": \"https://x/a.pdf\"}]}]}",
            "input[0].content[0].file_url"),
        Arguments.of(
            "{"
                + m
                + ", \"input\": [{\"role\": \"user\", \"content\": [{\"type\": \"input_file\", \"file_data\": \"data:video/mp4;base64,AAAA\"}]}]}",
            "input[0].content[0].file_data"),
        Arguments.of(
            "{"
                + m
                + ", \"input\": [{\"type\": \"function_call\", \"call_id\": \"c\", \"name\": \"f\", \"arguments\": \"not json\"}]}",
            "input[0].arguments"),
        Arguments.of(
            "{"
                + m
                + ", \"input\": [{\"type\": \"function_call\", \"name\": \"f\", \"arguments\": \"{}\"}]}",
            "input[0].call_id"),
        Arguments.of(
            "{" + m + ", \"input\": [{\"type\": \"function_call_output\", \"call_id\": \"c\"}]}",
            "input[0].output"),
        Arguments.of(
            "{" + m + ", \"input\": [{\"type\": \"item_reference\", \"id\": \"msg_1\"}]}",
            "input[0]"),
        Arguments.of("{" + m + ", " + in + ", \"background\": true}", "background"),
        Arguments.of("{" + m + ", " + in + ", \"conversation\": \"conv_1\"}", "conversation"),
        Arguments.of("{" + m + ", " + in + ", \"prompt\": {\"id\": \"pmpt_1\"}}", "prompt"),
        Arguments.of(
            "{" + m + ", " + in + ", \"include\": [\"message.output_text.logprobs\"]}",
            "include[0]"),
        Arguments.of("{" + m + ", " + in + ", \"include\": \"all\"}", "include"),
        Arguments.of("{" + m + ", " + in + ", \"top_logprobs\": 3}", "top_logprobs"),
        Arguments.of("{" + m + ", " + in + ", \"truncation\": \"middle\"}", "truncation"),
        Arguments.of("{" + m + ", " + in + ", \"temperature\": 2.5}", "temperature"),
        Arguments.of("{" + m + ", " + in + ", \"top_p\": -1}", "top_p"),
        Arguments.of("{" + m + ", " + in + ", \"max_output_tokens\": 0}", "max_output_tokens"),
        Arguments.of("{" + m + ", " + in + ", \"service_tier\": \"scale\"}", "service_tier"),
        Arguments.of("{" + m + ", " + in + ", \"metadata\": {\"k\": 1}}", "metadata.k"),
        Arguments.of("{" + m + ", " + in + ", \"store\": \"yes\"}", "store"),
        Arguments.of(
            "{" + m + ", " + in + ", \"reasoning\": {\"effort\": \"extreme\"}}",
            "reasoning.effort"),
        Arguments.of(
            "{" + m + ", " + in + ", \"reasoning\": {\"summary\": \"verbose\"}}",
            "reasoning.summary"),
        Arguments.of("{" + m + ", " + in + ", \"tools\": {}}", "tools"),
        Arguments.of(
            "{"
                + m
                + ", "
                + in
                + ", \"tools\": [{\"type\": \"function\", \"name\": \"bad name!\"}]}",
            "tools[0].name"),
        Arguments.of(
            "{" + m + ", " + in + ", \"tools\": [" + WEATHER + ", " + WEATHER + "]}",
            "tools[1].name"),
        Arguments.of(
            "{"
                + m
                + ", "
                + in
                + ", \"tools\": [{\"type\": \"function\", \"name\": \"f\", \"parameters\": []}]}",
            "tools[0].parameters"),
        Arguments.of(
            "{"
                + m
                + ", "
                + in
                + ", \"tools\": [{\"type\": \"custom\", \"name\": \"c\", \"format\": {\"type\": \"regex\"}}]}",
            "tools[0].format.type"),
        Arguments.of(
            "{" + m + ", " + in + ", \"tools\": [" + WEATHER + "], \"tool_choice\": \"sometimes\"}",
            "tool_choice"),
        Arguments.of(
            "{"
                + m
                + ", "
                + in
                + ", \"tools\": ["
                + WEATHER
                + "], \"tool_choice\": {\"type\": \"function\", \"name\": \"other\"}}",
            "tool_choice"),
        Arguments.of(
            "{"
                + m
                + ", "
                + in
                + ", \"tools\": ["
                + WEATHER
                + "], \"tool_choice\": {\"type\": \"web_search_preview\"}}",
            "tool_choice.type"),
        Arguments.of(
            "{"
                + m
                + ", "
                + in
                + ", \"tools\": [{\"type\": \"web_search\"}], \"tool_choice\": \"required\"}",
            "tool_choice"),
        Arguments.of(
            "{\"model\": \""
                + SONNET_45
                + "\", "
                + in
                + ", \"reasoning\": {\"effort\": \"high\"}, \"tools\": ["
                + WEATHER
                + "], \"tool_choice\": \"required\"}",
            "tool_choice"),
        Arguments.of(
            "{" + m + ", " + in + ", \"text\": {\"format\": {\"type\": \"xml\"}}}",
            "text.format.type"),
        Arguments.of(
            "{"
                + m
                + ", "
                + in
                + ", \"text\": {\"format\": {\"type\": \"json_schema\", \"schema\": {}}}}",
            "text.format.name"),
        Arguments.of(
            "{"
                + m
                + ", "
                + in
                + ", \"text\": {\"format\": {\"type\": \"json_schema\", \"name\": \"n\"}}}",
            "text.format.schema"),
        Arguments.of(
            "{"
                + m
                + ", "
                + in
                + ", \"text\": {\"format\": {\"type\": \"json_schema\", \"name\": \"n\", \"schema\": {\"type\": \"array\"}}}}",
            "text.format.schema"),
        Arguments.of(
            "{"
                + m
                + ", "
                + in
                + ", \"tools\": ["
                + WEATHER
                + "], \"text\": {\"format\": {\"type\": \"json_schema\", \"name\": \"get_weather\", \"schema\": {}}}}",
            "text.format"),
        Arguments.of(
            "{" + m + ", " + in + ", \"guardrailConfig\": {\"guardrailIdentifier\": \"g\"}}",
            "guardrailConfig.guardrailVersion"));
  }

  @ParameterizedTest(name = "{0} -> param {1}")
  @MethodSource("refusals")
  void refuses_bad_requests_with_a_400_naming_the_param(String body, String param) {
    assertThatThrownBy(() -> ResponsesToConverse.translate(json(body), ALIASES))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.type()).isEqualTo(GatewayException.INVALID_REQUEST);
              assertThat(e.param()).isEqualTo(param);
              assertThat(e.getMessage()).isNotBlank();
            });
  }

  @Test
  void the_operators_guardrail_applies_and_a_request_cannot_replace_it() {
    TranslationOptions d = TranslationOptions.defaults();
    TranslationOptions guarded =
        new TranslationOptions(
            d.reasoning(),
            d.structuredOutput(),
            d.promptCaching(),
            new TranslationOptions.Guardrail("gr-1", "3", "disabled", "async", false));
    ResponsesRequest r =
        ResponsesToConverse.translate(
            json("{\"model\": \"m\", \"input\": \"x\"}"), null, ALIASES, guarded);
    assertThat(r.converse().guardrailConfig().guardrailIdentifier()).isEqualTo("gr-1");
    assertThat(r.toStreamRequest().guardrailConfig().streamProcessingModeAsString())
        .isEqualTo("async");
    assertThatThrownBy(
            () ->
                ResponsesToConverse.translate(
                    json(
                        """
                {"model": "m", "input": "x", "guardrailConfig": {"guardrailIdentifier": "mine", "guardrailVersion": "1"}}
                """),
                    null,
                    ALIASES,
                    guarded))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(403));
  }

  // ---------------------------------------------------------------- fixtures

  private static ConverseRequest.Builder base(String modelId) {
    return ConverseRequest.builder().modelId(modelId);
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static ContentBlock text(String text) {
    return ContentBlock.fromText(text);
  }

  private static ContentBlock image(byte[] png) {
    return ContentBlock.fromImage(
        ImageBlock.builder()
            .format(ImageFormat.PNG)
            .source(s -> s.bytes(SdkBytes.fromByteArray(png)))
            .build());
  }

  private static ContentBlock document(String name, byte[] pdf) {
    return ContentBlock.fromDocument(
        DocumentBlock.builder()
            .format(DocumentFormat.PDF)
            .name(name)
            .source(DocumentSource.fromBytes(SdkBytes.fromByteArray(pdf)))
            .build());
  }

  private static Message user(ContentBlock... blocks) {
    return Message.builder().role(ConversationRole.USER).content(List.of(blocks)).build();
  }

  private static Message assistant(ContentBlock... blocks) {
    return Message.builder().role(ConversationRole.ASSISTANT).content(List.of(blocks)).build();
  }

  private static ContentBlock toolUse(String id, String name, Map<String, String> input) {
    Document.MapBuilder args = Document.mapBuilder();
    input.forEach(args::putString);
    return ContentBlock.fromToolUse(
        ToolUseBlock.builder().toolUseId(id).name(name).input(args.build()).build());
  }

  private static ContentBlock toolResult(String id, String text) {
    return ContentBlock.fromToolResult(
        ToolResultBlock.builder()
            .toolUseId(id)
            .content(ToolResultContentBlock.fromText(text))
            .build());
  }

  private static ToolChoice auto() {
    return ToolChoice.fromAuto(AutoToolChoice.builder().build());
  }

  private static ToolConfiguration tools(ToolChoice choice, Tool... tools) {
    return ToolConfiguration.builder().tools(tools).toolChoice(choice).build();
  }

  private static Tool weatherTool() {
    Document schema =
        Document.mapBuilder()
            .putString("type", "object")
            .putDocument(
                "properties",
                Document.mapBuilder()
                    .putDocument("city", Document.mapBuilder().putString("type", "string").build())
                    .build())
            .build();
    return Tool.fromToolSpec(
        ToolSpecification.builder()
            .name("get_weather")
            .description("Weather")
            .inputSchema(ToolInputSchema.fromJson(schema))
            .build());
  }

  private static Tool customTool(String name, String description, String inputDescription) {
    Document schema =
        Document.mapBuilder()
            .putString("type", "object")
            .putDocument(
                "properties",
                Document.mapBuilder()
                    .putDocument(
                        "input",
                        Document.mapBuilder()
                            .putString("type", "string")
                            .putString("description", inputDescription)
                            .build())
                    .build())
            .putList("required", List.of(Document.fromString("input")))
            .build();
    ToolSpecification.Builder spec =
        ToolSpecification.builder().name(name).inputSchema(ToolInputSchema.fromJson(schema));
    if (description != null) {
      spec.description(description);
    }
    return Tool.fromToolSpec(spec.build());
  }

  private static Document thinking(int budget) {
    return Documents.fromJson(
        json("{\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": " + budget + "}}"));
  }
}
