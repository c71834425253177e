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

import io.github.bedrockgateway.converse.Attachments;
import io.github.bedrockgateway.converse.Documents;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.converse.TranslationOptions;
import io.github.bedrockgateway.error.GatewayException;
import java.util.Base64;
import java.util.List;
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
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;
import software.amazon.awssdk.services.bedrockruntime.model.CacheTTL;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentFormat;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentSource;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailStreamProcessingMode;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.JsonSchemaDefinition;
import software.amazon.awssdk.services.bedrockruntime.model.OutputConfig;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormat;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatStructure;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatType;
import software.amazon.awssdk.services.bedrockruntime.model.PerformanceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceTier;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;

/**
 * Table tests of the "full Chat Completions surface" features: an OpenAI request in, the whole
 * expected Converse request out; then the refusals, each naming its param.
 */
class OpenAiToConverseFeaturesTest {

  private static final UnaryOperator<String> SAME = name -> name;

  /** Claude 3.5 Haiku: Anthropic, no extended thinking, no native structured output. */
  private static final String HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";

  /** Claude Sonnet 4: extended thinking, no native structured output. */
  private static final String SONNET4 = "us.anthropic.claude-sonnet-4-20250514-v1:0";

  /** Claude Sonnet 4.5: extended thinking and native structured output. */
  private static final String SONNET45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

  private static final String NOVA = "amazon.nova-pro-v1:0";
  private static final String WEATHER_TOOL =
      """
            {"type": "function", "function": {"name": "get_weather", "description": "Weather",
             "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}""";
  private static final String SCHEMA =
      "{\"type\": \"object\", \"properties\": {\"answer\": {\"type\": \"string\"}},"
          + " \"required\": [\"answer\"], \"additionalProperties\": false}";
  private static final byte[] PDF = "%PDF-1.4 tiny".getBytes();
  private static final String PDF_URL =
      "data:application/pdf;base64," + Base64.getEncoder().encodeToString(PDF);
  private static final String SIGNED_ID =
      SignedReasoning.encode(
          "tooluse_abc",
          List.of(
              ReasoningContentBlock.fromReasoningText(
                  ReasoningTextBlock.builder()
                      .text("Need the weather.")
                      .signature("sig-1")
                      .build())));

  // ---------------------------------------------------------------- tools

  static Stream<Arguments> tools() {
    return Stream.of(
        Arguments.of(
            "parallel_tool_calls false on Claude: tool_choice.disable_parallel_tool_use, no type (Bedrock derives it)",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "tools": [%s],
                         "parallel_tool_calls": false}
                        """
                .formatted(HAIKU, WEATHER_TOOL),
            base(HAIKU)
                .messages(user(text("x")))
                .toolConfig(tools(auto(), weatherTool()))
                .additionalModelRequestFields(
                    doc("{\"tool_choice\": {\"disable_parallel_tool_use\": true}}"))
                .build()),
        Arguments.of(
            "parallel_tool_calls false on a model without the switch is ignored",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "tools": [%s],
                         "parallel_tool_calls": false}
                        """
                .formatted(NOVA, WEATHER_TOOL),
            base(NOVA).messages(user(text("x"))).toolConfig(tools(auto(), weatherTool())).build()),
        Arguments.of(
            "parallel_tool_calls false without tools sends nothing",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "parallel_tool_calls": false}
                        """
                .formatted(HAIKU),
            base(HAIKU).messages(user(text("x"))).build()),
        Arguments.of(
            "tool_choice none is not a tool name, even with a tool called none",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "tool_choice": "none",
                         "tools": [{"type": "function", "function": {"name": "none"}}]}
                        """
                .formatted(HAIKU),
            base(HAIKU).messages(user(text("x"))).build()),
        Arguments.of(
            "tool-call ids Bedrock would refuse are hashed the same on both sides of the loop",
            """
                        {"model": "%s", "tools": [%s], "messages": [
                          {"role": "user", "content": "x"},
                          {"role": "assistant", "tool_calls": [{"id": "call:1/a", "type": "function",
                            "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Oslo\\"}"}}]},
                          {"role": "tool", "tool_call_id": "call:1/a", "content": "5C"}]}
                        """
                .formatted(HAIKU, WEATHER_TOOL),
            base(HAIKU)
                .messages(
                    user(text("x")),
                    assistant(
                        toolUse(
                            SignedReasoning.bedrockSafe("call:1/a"),
                            "get_weather",
                            "city",
                            "Oslo")),
                    user(toolResult(SignedReasoning.bedrockSafe("call:1/a"), "5C")))
                .toolConfig(tools(auto(), weatherTool()))
                .build()),
        Arguments.of(
            "strict tools become Converse strict tool use on models that have it",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}],
                         "tools": [{"type": "function", "function": {"name": "f", "strict": true,
                                    "parameters": {"type": "object", "properties": {}}}}]}
                        """
                .formatted(SONNET45),
            base(SONNET45)
                .messages(user(text("x")))
                .toolConfig(
                    tools(
                        auto(),
                        Tool.fromToolSpec(
                            ToolSpecification.builder()
                                .name("f")
                                .strict(true)
                                .inputSchema(
                                    ToolInputSchema.fromJson(
                                        doc("{\"type\": \"object\", \"properties\": {}}")))
                                .build())))
                .build()),
        Arguments.of(
            "strict tools on other models are sent without strict",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}],
                         "tools": [{"type": "function", "function": {"name": "f", "strict": true,
                                    "parameters": {"type": "object", "properties": {}}}}]}
                        """
                .formatted(HAIKU),
            base(HAIKU)
                .messages(user(text("x")))
                .toolConfig(
                    tools(
                        auto(),
                        Tool.fromToolSpec(
                            ToolSpecification.builder()
                                .name("f")
                                .inputSchema(
                                    ToolInputSchema.fromJson(
                                        doc("{\"type\": \"object\", \"properties\": {}}")))
                                .build())))
                .build()));
  }

  // ---------------------------------------------------------------- documents

  static Stream<Arguments> documents() {
    String b64 = Base64.getEncoder().encodeToString(PDF);
    return Stream.of(
        Arguments.of(
            "a PDF file part becomes a document block with a sanitized name; the text stays",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": [
                          {"type": "text", "text": "Summarise"},
                          {"type": "file", "file": {"file_data": "%s", "filename": "Q3 report_final.v2.pdf"}}]}]}
                        """
                .formatted(HAIKU, PDF_URL),
            base(HAIKU)
                .messages(
                    user(text("Summarise"), document(DocumentFormat.PDF, "Q3 report-final-v2")))
                .build()),
        Arguments.of(
            "a file alone gets the minimal text block Converse requires",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": [
                          {"type": "file", "file": {"file_data": "%s", "filename": "a.pdf"}}]}]}
                        """
                .formatted(HAIKU, PDF_URL),
            base(HAIKU)
                .messages(
                    user(document(DocumentFormat.PDF, "a"), text(OpenAiToConverse.DOCUMENT_NOTE)))
                .build()),
        Arguments.of(
            "bare base64 takes its format from the file name; a repeated name is numbered; no name gives document-N",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": [
                          {"type": "file", "file": {"file_data": "%s", "filename": "notes.md"}},
                          {"type": "file", "file": {"file_data": "data:application/octet-stream;base64,%s", "filename": "notes.txt"}},
                          {"type": "file", "file": {"file_data": "data:text/csv;base64,%s"}}]}]}
                        """
                .formatted(HAIKU, b64, b64, b64),
            base(HAIKU)
                .messages(
                    user(
                        document(DocumentFormat.MD, "notes"),
                        document(DocumentFormat.TXT, "notes (2)"),
                        document(DocumentFormat.CSV, "document-3"),
                        text(OpenAiToConverse.DOCUMENTS_NOTE)))
                .build()),
        Arguments.of(
            "the text a document needs may come from the same merged user turn",
            """
                        {"model": "%s", "messages": [
                          {"role": "user", "content": [{"type": "file", "file": {"file_data": "%s", "filename": "a.pdf"}}]},
                          {"role": "user", "content": "What does it say?"}]}
                        """
                .formatted(HAIKU, PDF_URL),
            base(HAIKU)
                .messages(user(document(DocumentFormat.PDF, "a"), text("What does it say?")))
                .build()));
  }

  // ---------------------------------------------------------------- reasoning

  static Stream<Arguments> reasoning() {
    return Stream.of(
        Arguments.of(
            "reasoning_effort on Claude Sonnet 4: thinking budget added on top of max tokens, temperature and low top_p dropped",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "reasoning_effort": "low",
                         "max_completion_tokens": 500, "temperature": 0.2, "top_p": 0.5}
                        """
                .formatted(SONNET4),
            base(SONNET4)
                .messages(user(text("x")))
                .inferenceConfig(InferenceConfiguration.builder().maxTokens(2048 + 500).build())
                .additionalModelRequestFields(
                    doc("{\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 2048}}"))
                .build()),
        Arguments.of(
            "reasoning_effort without a token limit leaves the configured answer room; temperature 1 and top_p 0.97 are kept",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "reasoning_effort": "high",
                         "temperature": 1, "top_p": 0.97, "top_k": 40}
                        """
                .formatted(SONNET4),
            base(SONNET4)
                .messages(user(text("x")))
                .inferenceConfig(
                    InferenceConfiguration.builder()
                        .maxTokens(16384 + 4096)
                        .temperature(1f)
                        .topP(0.97f)
                        .build())
                .additionalModelRequestFields(
                    doc("{\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 16384}}"))
                .build()),
        Arguments.of(
            "reasoning_effort none, and reasoning_effort on a model without thinking, change nothing",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "reasoning_effort": "medium", "top_k": 5}
                        """
                .formatted(HAIKU),
            base(HAIKU)
                .messages(user(text("x")))
                .additionalModelRequestFields(doc("{\"top_k\": 5}"))
                .build()),
        Arguments.of(
            "the client's own thinking wins over reasoning_effort; its max tokens are only raised when the budget does not fit",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "reasoning_effort": "high",
                         "max_tokens": 1000, "additionalModelRequestFields": {"thinking": {"type": "enabled", "budget_tokens": 3000}}}
                        """
                .formatted(SONNET4),
            base(SONNET4)
                .messages(user(text("x")))
                .inferenceConfig(InferenceConfiguration.builder().maxTokens(4000).build())
                .additionalModelRequestFields(
                    doc("{\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 3000}}"))
                .build()),
        Arguments.of(
            "multi-turn tool use: the tool-call id gives back the toolUseId and the signed reasoning, first in the turn",
            """
                        {"model": "%s", "reasoning_effort": "minimal", "max_tokens": 100, "tools": [%s], "messages": [
                          {"role": "user", "content": "Weather?"},
                          {"role": "assistant", "content": "Checking.", "tool_calls": [{"id": "%s", "type": "function",
                            "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Oslo\\"}"}}]},
                          {"role": "tool", "tool_call_id": "%s", "content": "5C"}]}
                        """
                .formatted(SONNET4, WEATHER_TOOL, SIGNED_ID, SIGNED_ID),
            base(SONNET4)
                .messages(
                    user(text("Weather?")),
                    assistant(
                        reasoningBlock("Need the weather.", "sig-1"),
                        text("Checking."),
                        toolUse("tooluse_abc", "get_weather", "city", "Oslo")),
                    user(toolResult("tooluse_abc", "5C")))
                .toolConfig(tools(auto(), weatherTool()))
                .inferenceConfig(InferenceConfiguration.builder().maxTokens(1124).build())
                .additionalModelRequestFields(
                    doc("{\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 1024}}"))
                .build()),
        Arguments.of(
            "without thinking the signed reasoning is left out and only the plain id goes to Bedrock",
            """
                        {"model": "%s", "tools": [%s], "messages": [
                          {"role": "user", "content": "Weather?"},
                          {"role": "assistant", "tool_calls": [{"id": "%s", "type": "function",
                            "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Oslo\\"}"}}]},
                          {"role": "tool", "tool_call_id": "%s", "content": "5C"}]}
                        """
                .formatted(SONNET4, WEATHER_TOOL, SIGNED_ID, SIGNED_ID),
            base(SONNET4)
                .messages(
                    user(text("Weather?")),
                    assistant(toolUse("tooluse_abc", "get_weather", "city", "Oslo")),
                    user(toolResult("tooluse_abc", "5C")))
                .toolConfig(tools(auto(), weatherTool()))
                .build()),
        Arguments.of(
            "a tool loop whose signed reasoning was lost runs without thinking instead of failing",
            """
                        {"model": "%s", "reasoning_effort": "low", "tools": [%s], "messages": [
                          {"role": "user", "content": "Weather?"},
                          {"role": "assistant", "reasoning_content": "I need the weather.", "tool_calls": [{"id": "tooluse_abc",
                            "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Oslo\\"}"}}]},
                          {"role": "tool", "tool_call_id": "tooluse_abc", "content": "5C"}]}
                        """
                .formatted(SONNET4, WEATHER_TOOL),
            base(SONNET4)
                .messages(
                    user(text("Weather?")),
                    assistant(toolUse("tooluse_abc", "get_weather", "city", "Oslo")),
                    user(toolResult("tooluse_abc", "5C")))
                .toolConfig(tools(auto(), weatherTool()))
                .build()),
        Arguments.of(
            "LiteLLM's thinking_blocks carry the signature; reasoning_content alone is accepted and not sent",
            """
                        {"model": "%s", "reasoning_effort": "minimal", "max_tokens": 10, "tools": [%s], "messages": [
                          {"role": "user", "content": "Hi"},
                          {"role": "assistant", "content": "Hello", "reasoning_content": "Greet back."},
                          {"role": "user", "content": "Weather?"},
                          {"role": "assistant", "thinking_blocks": [{"type": "thinking", "thinking": "Tool time.", "signature": "sig-2"}],
                           "tool_calls": [{"id": "tooluse_x", "type": "function",
                             "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Rome\\"}"}}]},
                          {"role": "tool", "tool_call_id": "tooluse_x", "content": "20C"}]}
                        """
                .formatted(SONNET4, WEATHER_TOOL),
            base(SONNET4)
                .messages(
                    user(text("Hi")),
                    assistant(text("Hello")),
                    user(text("Weather?")),
                    assistant(
                        reasoningBlock("Tool time.", "sig-2"),
                        toolUse("tooluse_x", "get_weather", "city", "Rome")),
                    user(toolResult("tooluse_x", "20C")))
                .toolConfig(tools(auto(), weatherTool()))
                .inferenceConfig(InferenceConfiguration.builder().maxTokens(1034).build())
                .additionalModelRequestFields(
                    doc("{\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 1024}}"))
                .build()));
  }

  // ---------------------------------------------------------------- structured output

  static Stream<Arguments> structuredOutput() {
    Tool answerTool =
        Tool.fromToolSpec(
            ToolSpecification.builder()
                .name("answer_format")
                .description("The answer")
                .inputSchema(ToolInputSchema.fromJson(doc(SCHEMA)))
                .build());
    return Stream.of(
        Arguments.of(
            "json_schema on a model with structured output -> outputConfig",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}],
                         "response_format": {"type": "json_schema", "json_schema": {"name": "answer_format",
                           "description": "The answer", "strict": true, "schema": %s}}}
                        """
                .formatted(SONNET45, SCHEMA),
            base(SONNET45)
                .messages(user(text("x")))
                .outputConfig(
                    OutputConfig.builder()
                        .textFormat(
                            OutputFormat.builder()
                                .type(OutputFormatType.JSON_SCHEMA)
                                .structure(
                                    OutputFormatStructure.fromJsonSchema(
                                        JsonSchemaDefinition.builder()
                                            .name("answer_format")
                                            .description("The answer")
                                            .schema(json(SCHEMA).toString())
                                            .build()))
                                .build())
                        .build())
                .build()),
        Arguments.of(
            "json_schema on another model -> a synthetic tool the model is forced to call",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}],
                         "response_format": {"type": "json_schema", "json_schema": {"name": "answer_format",
                           "description": "The answer", "schema": %s}}}
                        """
                .formatted(HAIKU, SCHEMA),
            base(HAIKU)
                .messages(user(text("x")))
                .toolConfig(tools(forced("answer_format"), answerTool))
                .build()),
        Arguments.of(
            "json_object -> the json_object tool with a free object schema, forced",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "response_format": {"type": "json_object"}}
                        """
                .formatted(SONNET45),
            base(SONNET45)
                .messages(user(text("x")))
                .toolConfig(
                    tools(
                        forced("json_object"),
                        Tool.fromToolSpec(
                            ToolSpecification.builder()
                                .name("json_object")
                                .description(
                                    "Respond with your answer as a JSON object: call this tool with the object as its input.")
                                .inputSchema(
                                    ToolInputSchema.fromJson(doc("{\"type\": \"object\"}")))
                                .build())))
                .build()),
        Arguments.of(
            "with the client's tools callable: any tool must be called, the answer tool last, with an instruction",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "tools": [%s],
                         "response_format": {"type": "json_schema", "json_schema": {"name": "answer_format",
                           "description": "The answer", "schema": %s}}}
                        """
                .formatted(HAIKU, WEATHER_TOOL, SCHEMA),
            base(HAIKU)
                .messages(user(text("x")))
                .system(SystemContentBlock.fromText(instruction("answer_format")))
                .toolConfig(
                    tools(
                        ToolChoice.fromAny(AnyToolChoice.builder().build()),
                        weatherTool(),
                        answerTool))
                .build()),
        Arguments.of(
            "the client forcing its own tool wins over response_format",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "tools": [%s], "tool_choice": "required",
                         "response_format": {"type": "json_schema", "json_schema": {"name": "answer_format", "schema": %s}}}
                        """
                .formatted(HAIKU, WEATHER_TOOL, SCHEMA),
            base(HAIKU)
                .messages(user(text("x")))
                .toolConfig(
                    tools(ToolChoice.fromAny(AnyToolChoice.builder().build()), weatherTool()))
                .build()),
        Arguments.of(
            "with thinking the model cannot be forced: auto, and an instruction to call the answer tool",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "reasoning_effort": "minimal",
                         "max_tokens": 100,
                         "response_format": {"type": "json_schema", "json_schema": {"name": "answer_format",
                           "description": "The answer", "schema": %s}}}
                        """
                .formatted(SONNET4, SCHEMA),
            base(SONNET4)
                .messages(user(text("x")))
                .system(SystemContentBlock.fromText(instruction("answer_format")))
                .toolConfig(tools(auto(), answerTool))
                .inferenceConfig(InferenceConfiguration.builder().maxTokens(1124).build())
                .additionalModelRequestFields(
                    doc("{\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 1024}}"))
                .build()),
        Arguments.of(
            "tool_choice none keeps the client's tools out and forces the answer tool",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "tools": [%s], "tool_choice": "none",
                         "response_format": {"type": "json_schema", "json_schema": {"name": "answer_format",
                           "description": "The answer", "schema": %s}}}
                        """
                .formatted(HAIKU, WEATHER_TOOL, SCHEMA),
            base(HAIKU)
                .messages(user(text("x")))
                .toolConfig(tools(forced("answer_format"), answerTool))
                .build()),
        Arguments.of(
            "response_format text changes nothing",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "response_format": {"type": "text"}}
                        """
                .formatted(HAIKU),
            base(HAIKU).messages(user(text("x"))).build()));
  }

  // ---------------------------------------------------------------- prompt caching

  static Stream<Arguments> promptCaching() {
    return Stream.of(
        Arguments.of(
            "cache_control on a system part, a user part, a message and a tool -> cache points after each",
            """
                        {"model": "%s", "messages": [
                          {"role": "system", "content": [{"type": "text", "text": "Long rules", "cache_control": {"type": "ephemeral"}}]},
                          {"role": "user", "content": [{"type": "text", "text": "Doc", "cache_control": {"type": "ephemeral", "ttl": "1h"}},
                                                       {"type": "text", "text": "Q1"}]},
                          {"role": "assistant", "content": "A1", "cache_control": {"type": "ephemeral"}},
                          {"role": "user", "content": "Q2"}],
                         "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather",
                                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}},
                                    "cache_control": {"type": "ephemeral"}}]}
                        """
                .formatted(HAIKU),
            base(HAIKU)
                .system(
                    SystemContentBlock.fromText("Long rules"),
                    SystemContentBlock.fromCachePoint(cachePoint()))
                .messages(
                    user(
                        text("Doc"),
                        ContentBlock.fromCachePoint(cachePoint(CacheTTL.VALUE_1_H)),
                        text("Q1")),
                    assistant(text("A1"), ContentBlock.fromCachePoint(cachePoint())),
                    user(text("Q2")))
                .toolConfig(tools(auto(), weatherTool(), Tool.fromCachePoint(cachePoint())))
                .build()),
        Arguments.of(
            "OpenAI's prompt_cache_breakpoint is a cache point too, its TTL Bedrock's longest",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": [
                          {"type": "text", "text": "Doc", "prompt_cache_breakpoint": {"mode": "explicit", "ttl": "30m"}},
                          {"type": "text", "text": "Q"}]}]}
                        """
                .formatted(HAIKU),
            base(HAIKU)
                .messages(
                    user(
                        text("Doc"),
                        ContentBlock.fromCachePoint(cachePoint(CacheTTL.VALUE_1_H)),
                        text("Q")))
                .build()),
        Arguments.of(
            "a marked tool result caches the whole result",
            """
                        {"model": "%s", "tools": [%s], "messages": [
                          {"role": "user", "content": "x"},
                          {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function",
                            "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Oslo\\"}"}}]},
                          {"role": "tool", "tool_call_id": "c1", "content": [{"type": "text", "text": "5C", "cache_control": {"type": "ephemeral"}}]}]}
                        """
                .formatted(HAIKU, WEATHER_TOOL),
            base(HAIKU)
                .messages(
                    user(text("x")),
                    assistant(toolUse("c1", "get_weather", "city", "Oslo")),
                    user(toolResult("c1", "5C"), ContentBlock.fromCachePoint(cachePoint())))
                .toolConfig(tools(auto(), weatherTool()))
                .build()));
  }

  // ---------------------------------------------------------------- pass-through

  static Stream<Arguments> passThrough() {
    return Stream.of(
        Arguments.of(
            "additionalModelRequestFields merged over what the gateway sets, the client winning key by key",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "tools": [%s], "top_k": 5,
                         "parallel_tool_calls": false,
                         "additionalModelRequestFields": {"top_k": 7, "tool_choice": {"extra": 1}, "anthropic_beta": ["b1"]}}
                        """
                .formatted(HAIKU, WEATHER_TOOL),
            base(HAIKU)
                .messages(user(text("x")))
                .toolConfig(tools(auto(), weatherTool()))
                .additionalModelRequestFields(
                    doc(
                        "{\"top_k\": 7, \"tool_choice\": {\"disable_parallel_tool_use\": true,"
                            + " \"extra\": 1}, \"anthropic_beta\": [\"b1\"]}"))
                .build()),
        Arguments.of(
            "response field paths, performanceConfig and service_tier pass through; Nova's top_k goes in its inferenceConfig",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "top_k": 3,
                         "additionalModelResponseFieldPaths": ["/stop_sequence"], "performanceConfig": {"latency": "optimized"},
                         "service_tier": "priority"}
                        """
                .formatted(NOVA),
            base(NOVA)
                .messages(user(text("x")))
                .additionalModelRequestFields(doc("{\"inferenceConfig\": {\"topK\": 3}}"))
                .additionalModelResponseFieldPaths("/stop_sequence")
                .performanceConfig(PerformanceConfiguration.builder().latency("optimized").build())
                .serviceTier(ServiceTier.builder().type("priority").build())
                .build()),
        Arguments.of(
            "service_tier auto leaves the tier to Bedrock",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}], "service_tier": "auto"}
                        """
                .formatted(HAIKU),
            base(HAIKU).messages(user(text("x"))).build()),
        Arguments.of(
            "a request's guardrailConfig when the gateway configures none",
            """
                        {"model": "%s", "messages": [{"role": "user", "content": "x"}],
                         "guardrailConfig": {"guardrailIdentifier": "gr-1", "guardrailVersion": "2", "trace": "enabled"}}
                        """
                .formatted(HAIKU),
            base(HAIKU)
                .messages(user(text("x")))
                .guardrailConfig(
                    GuardrailConfiguration.builder()
                        .guardrailIdentifier("gr-1")
                        .guardrailVersion("2")
                        .trace("enabled")
                        .build())
                .build()));
  }

  static Stream<Arguments> translations() {
    return Stream.of(
            tools(), documents(), reasoning(), structuredOutput(), promptCaching(), passThrough())
        .flatMap(s -> s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("translations")
  void translates_openai_request_to_the_whole_expected_converse_request(
      String name, String openAi, ConverseRequest expected) {
    ChatRequest actual = OpenAiToConverse.translate(json(openAi), SAME);
    assertThat(actual.converse()).isEqualTo(expected);
  }

  // ---------------------------------------------------------------- with operator settings

  @Test
  void automatic_cache_points_go_after_the_clients_system_and_tools_before_what_the_gateway_adds() {
    TranslationOptions options =
        options(
            new TranslationOptions.PromptCaching(true, List.of("anthropic.claude")),
            TranslationOptions.Guardrail.NONE);
    ChatRequest r =
        OpenAiToConverse.translate(
            json(
                """
                {"model": "%s", "messages": [{"role": "system", "content": "Rules"}, {"role": "user", "content": "x"}],
                 "tools": [%s],
                 "response_format": {"type": "json_schema", "json_schema": {"name": "answer_format", "description": "The answer", "schema": %s}}}
                """
                    .formatted(HAIKU, WEATHER_TOOL, SCHEMA)),
            SAME,
            options);
    assertThat(r.converse().system())
        .containsExactly(
            SystemContentBlock.fromText("Rules"),
            SystemContentBlock.fromCachePoint(cachePoint()),
            SystemContentBlock.fromText(instruction("answer_format")));
    assertThat(r.converse().toolConfig().tools()).hasSize(3);
    assertThat(r.converse().toolConfig().tools().get(1))
        .isEqualTo(Tool.fromCachePoint(cachePoint()));
    assertThat(r.converse().toolConfig().tools().get(2).toolSpec().name())
        .isEqualTo("answer_format");
    assertThat(r.structuredOutputTool()).isEqualTo("answer_format");

    ChatRequest nova =
        OpenAiToConverse.translate(
            json(
                """
                {"model": "meta.llama3-70b-instruct-v1:0", "messages": [{"role": "system", "content": "Rules"}, {"role": "user", "content": "x"}]}
                """),
            SAME,
            options);
    assertThat(nova.converse().system()).containsExactly(SystemContentBlock.fromText("Rules"));

    ChatRequest marked =
        OpenAiToConverse.translate(
            json(
                """
                {"model": "%s", "messages": [{"role": "system", "content": "Rules", "cache_control": {"type": "ephemeral"}},
                 {"role": "user", "content": "x"}]}
                """
                    .formatted(HAIKU)),
            SAME,
            options);
    assertThat(marked.converse().system())
        .containsExactly(
            SystemContentBlock.fromText("Rules"), SystemContentBlock.fromCachePoint(cachePoint()));
  }

  @Test
  void the_configured_guardrail_applies_and_a_request_may_not_replace_it_unless_allowed() {
    TranslationOptions guarded =
        options(
            new TranslationOptions.PromptCaching(false, List.of()),
            new TranslationOptions.Guardrail("gr-default", "3", "enabled_full", "async", false));
    ChatRequest r =
        OpenAiToConverse.translate(
            json(
                """
                {"model": "%s", "stream": true, "messages": [{"role": "user", "content": "x"}]}
                """
                    .formatted(HAIKU)),
            SAME,
            guarded);
    assertThat(r.converse().guardrailConfig())
        .isEqualTo(
            GuardrailConfiguration.builder()
                .guardrailIdentifier("gr-default")
                .guardrailVersion("3")
                .trace("enabled_full")
                .build());
    assertThat(r.toStreamRequest().guardrailConfig().streamProcessingMode())
        .isEqualTo(GuardrailStreamProcessingMode.ASYNC);
    assertThat(r.toStreamRequest().guardrailConfig().guardrailIdentifier()).isEqualTo("gr-default");

    String override =
        """
                {"model": "%s", "messages": [{"role": "user", "content": "x"}],
                 "guardrailConfig": {"guardrailIdentifier": "gr-mine", "guardrailVersion": "1", "streamProcessingMode": "sync"}}
                """
            .formatted(HAIKU);
    assertThatThrownBy(() -> OpenAiToConverse.translate(json(override), SAME, guarded))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.param()).isEqualTo("guardrailConfig");
              assertThat(e.code()).isEqualTo("guardrail_override_not_allowed");
            });
    TranslationOptions open =
        options(
            new TranslationOptions.PromptCaching(false, List.of()),
            new TranslationOptions.Guardrail("gr-default", "3", "disabled", null, true));
    ChatRequest replaced = OpenAiToConverse.translate(json(override), SAME, open);
    assertThat(replaced.converse().guardrailConfig().guardrailIdentifier()).isEqualTo("gr-mine");
    assertThat(replaced.guardrailStreamProcessingMode()).isEqualTo("sync");
  }

  @Test
  void reasoning_budgets_come_from_the_options() {
    TranslationOptions options =
        new TranslationOptions(
            new TranslationOptions.Reasoning(List.of("my-claude"), 1500, 2500, 3500, 4500, 100),
            new TranslationOptions.StructuredOutput(List.of()),
            new TranslationOptions.PromptCaching(false, List.of()),
            TranslationOptions.Guardrail.NONE);
    ChatRequest r =
        OpenAiToConverse.translate(
            json(
                """
                {"model": "arn:aws:bedrock:us-east-1:1:application-inference-profile/my-claude", "reasoning_effort": "medium",
                 "messages": [{"role": "user", "content": "x"}]}
                """),
            SAME,
            options);
    assertThat(r.converse().inferenceConfig().maxTokens()).isEqualTo(3600);
    assertThat(r.converse().additionalModelRequestFields())
        .isEqualTo(doc("{\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 3500}}"));
  }

  // ---------------------------------------------------------------- refusals

  static Stream<Arguments> refusals() {
    String user = "{\"role\": \"user\", \"content\": \"x\"}";
    String b64 = Base64.getEncoder().encodeToString(PDF);
    String sixFiles =
        String.join(
            ",",
            java.util.Collections.nCopies(
                6, "{\"type\": \"file\", \"file\": {\"file_data\": \"" + PDF_URL + "\"}}"));
    return Stream.of(
        Arguments.of(
            req(
                HAIKU,
                "[{\"role\": \"user\", \"content\": [{\"type\": \"file\", \"file\": {\"file_id\": \"file-abc\"}}]}]",
                ""),
            "messages[0].content[0].file.file_id"),
        Arguments.of(
            req(
                HAIKU,
                "[{\"role\": \"user\", \"content\": [{\"type\": \"file\", \"file\": {\"filename\": \"a.pdf\"}}]}]",
                ""),
            "messages[0].content[0].file.file_data"),
        Arguments.of(
            req(
                HAIKU,
                "[{\"role\": \"user\", \"content\": [{\"type\": \"file\", \"file\": {\"file_data\": \"data:image/png;base64,"
                    + b64
                    + "\"}}]}]",
                ""),
            "messages[0].content[0].file.file_data"),
        Arguments.of(
            req(
                HAIKU,
                "[{\"role\": \"user\", \"content\": [{\"type\": \"file\", \"file\": {\"file_data\": \""
                    + b64
                    + "\", \"filename\": \"a.exe\"}}]}]",
                ""),
            "messages[0].content[0].file.file_data"),
        Arguments.of(
            req(
                HAIKU,
                "[{\"role\": \"user\", \"content\": [{\"type\": \"file\", \"file\": {\"file_data\": \"data:application/pdf;base64,@@@\"}}]}]",
                ""),
            "messages[0].content[0].file.file_data"),
        Arguments.of(
            req(HAIKU, "[{\"role\": \"user\", \"content\": [" + sixFiles + "]}]", ""),
            "messages[0].content[5].file.file_data"),
        Arguments.of(
            req(
                HAIKU,
                "[{\"role\": \"user\", \"content\": [{\"type\": \"input_audio\", \"input_audio\": {}}]}]",
                ""),
            "messages[0].content[0].type"),
        Arguments.of(
            req(SONNET4, "[" + user + "]", ", \"reasoning_effort\": \"extreme\""),
            "reasoning_effort"),
        Arguments.of(
            req(SONNET4, "[" + user + "]", ", \"reasoning_effort\": 3"), "reasoning_effort"),
        Arguments.of(
            req(
                SONNET4,
                "[" + user + "]",
                ", \"reasoning_effort\": \"low\", \"tool_choice\": \"required\", \"tools\": ["
                    + WEATHER_TOOL
                    + "]"),
            "tool_choice"),
        Arguments.of(
            req(
                HAIKU,
                "[{\"role\": \"assistant\", \"content\": \"a\", \"reasoning_content\": 5}, "
                    + user
                    + "]",
                ""),
            "messages[0].reasoning_content"),
        Arguments.of(
            req(
                HAIKU,
                "[" + user + "]",
                ", \"tool_choice\": {\"type\": \"allowed_tools\", \"allowed_tools\": {}}, \"tools\": ["
                    + WEATHER_TOOL
                    + "]"),
            "tool_choice.type"),
        Arguments.of(
            req(HAIKU, "[" + user + "]", ", \"response_format\": {\"type\": \"xml\"}"),
            "response_format.type"),
        Arguments.of(
            req(HAIKU, "[" + user + "]", ", \"response_format\": {\"type\": \"json_schema\"}"),
            "response_format.json_schema"),
        Arguments.of(
            req(
                HAIKU,
                "[" + user + "]",
                ", \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"schema\": {}}}"),
            "response_format.json_schema.name"),
        Arguments.of(
            req(
                HAIKU,
                "[" + user + "]",
                ", \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"a b\"}}"),
            "response_format.json_schema.name"),
        Arguments.of(
            req(
                HAIKU,
                "[" + user + "]",
                ", \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"n\", \"schema\": {\"type\": \"array\"}}}"),
            "response_format.json_schema.schema"),
        Arguments.of(
            req(
                HAIKU,
                "[" + user + "]",
                ", \"tools\": ["
                    + WEATHER_TOOL
                    + "], \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"get_weather\"}}"),
            "response_format"),
        Arguments.of(
            req(
                HAIKU,
                "[{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"a\", \"cache_control\": {\"type\": \"persistent\"}}]}]",
                ""),
            "messages[0].content[0].cache_control"),
        Arguments.of(
            req(
                HAIKU,
                "[{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"a\", \"cache_control\": {\"type\": \"ephemeral\", \"ttl\": \"2h\"}}]}]",
                ""),
            "messages[0].content[0].cache_control.ttl"),
        Arguments.of(
            req(
                HAIKU,
                "[{\"role\": \"user\", \"content\": ["
                    + String.join(
                        ",",
                        java.util.Collections.nCopies(
                            5,
                            "{\"type\": \"text\", \"text\": \"a\", \"cache_control\": {\"type\": \"ephemeral\"}}"))
                    + "]}]",
                ""),
            "messages[0].content[4].cache_control"),
        Arguments.of(req(HAIKU, "[" + user + "]", ", \"service_tier\": \"scale\""), "service_tier"),
        Arguments.of(req(HAIKU, "[" + user + "]", ", \"service_tier\": 1"), "service_tier"),
        Arguments.of(
            req(HAIKU, "[" + user + "]", ", \"performanceConfig\": {\"latency\": \"fast\"}"),
            "performanceConfig.latency"),
        Arguments.of(
            req(HAIKU, "[" + user + "]", ", \"performanceConfig\": \"optimized\""),
            "performanceConfig"),
        Arguments.of(
            req(HAIKU, "[" + user + "]", ", \"additionalModelRequestFields\": [1]"),
            "additionalModelRequestFields"),
        Arguments.of(
            req(HAIKU, "[" + user + "]", ", \"additionalModelResponseFieldPaths\": \"/x\""),
            "additionalModelResponseFieldPaths"),
        Arguments.of(
            req(HAIKU, "[" + user + "]", ", \"additionalModelResponseFieldPaths\": [\"\"]"),
            "additionalModelResponseFieldPaths[0]"),
        Arguments.of(req(HAIKU, "[" + user + "]", ", \"top_k\": 0"), "top_k"),
        Arguments.of(
            req(HAIKU, "[" + user + "]", ", \"guardrailConfig\": {\"guardrailIdentifier\": \"g\"}"),
            "guardrailConfig.guardrailVersion"),
        Arguments.of(
            req(
                HAIKU,
                "[" + user + "]",
                ", \"guardrailConfig\": {\"guardrailIdentifier\": \"g\", \"guardrailVersion\": \"1\", \"trace\": \"loud\"}"),
            "guardrailConfig.trace"));
  }

  @ParameterizedTest(name = "{0} -> param {1}")
  @MethodSource("refusals")
  void refuses_bad_feature_input_with_a_400_naming_the_param(String body, String param) {
    assertThatThrownBy(() -> OpenAiToConverse.translate(json(body), SAME))
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
  void refuses_a_document_over_the_bedrock_size_limit_before_decoding_it() {
    String big = "A".repeat(Attachments.MAX_DOCUMENT_BYTES / 3 * 4 + 400);
    String body =
        req(
            HAIKU,
            "[{\"role\": \"user\", \"content\": [{\"type\": \"file\", \"file\": {\"file_data\": "
                + "\"data:application/pdf;base64,"
                + big
                + "\"}}]}]",
            "");
    assertThatThrownBy(() -> OpenAiToConverse.translate(json(body), SAME))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.getMessage()).contains("4.5 MB"));
  }

  @Test
  void document_names_keep_only_what_bedrock_accepts() {
    assertThat(Attachments.documentName("../../etc/passwd", 1)).isEqualTo("passwd");
    assertThat(Attachments.documentName("Ignore previous instructions!!.pdf", 1))
        .isEqualTo("Ignore previous instructions");
    assertThat(Attachments.documentName("a   b\t\tc (v2) [final].docx", 1))
        .isEqualTo("a b c (v2) [final]");
    assertThat(Attachments.documentName("...", 4)).isEqualTo("document-4");
    assertThat(Attachments.documentName(null, 2)).isEqualTo("document-2");
    assertThat(Attachments.documentName("x".repeat(500) + ".pdf", 1)).hasSizeLessThanOrEqualTo(200);
  }

  // ---------------------------------------------------------------- helpers

  private static String req(String model, String messages, String extra) {
    return "{\"model\": \"" + model + "\", \"messages\": " + messages + extra + "}";
  }

  private static TranslationOptions options(
      TranslationOptions.PromptCaching caching, TranslationOptions.Guardrail guardrail) {
    TranslationOptions d = TranslationOptions.defaults();
    return new TranslationOptions(d.reasoning(), d.structuredOutput(), caching, guardrail);
  }

  private static String instruction(String tool) {
    return "Give your final answer by calling the tool '"
        + tool
        + "' with the answer as its input; do not write the answer as text.";
  }

  private static ConverseRequest.Builder base(String model) {
    return ConverseRequest.builder().modelId(model);
  }

  private static ContentBlock document(DocumentFormat format, String name) {
    return ContentBlock.fromDocument(
        DocumentBlock.builder()
            .format(format)
            .name(name)
            .source(DocumentSource.fromBytes(SdkBytes.fromByteArray(PDF)))
            .build());
  }

  private static ContentBlock reasoningBlock(String text, String signature) {
    return ContentBlock.fromReasoningContent(
        ReasoningContentBlock.fromReasoningText(
            ReasoningTextBlock.builder().text(text).signature(signature).build()));
  }

  private static CachePointBlock cachePoint() {
    return CachePointBlock.builder().type(CachePointType.DEFAULT).build();
  }

  private static CachePointBlock cachePoint(CacheTTL ttl) {
    return CachePointBlock.builder().type(CachePointType.DEFAULT).ttl(ttl).build();
  }

  private static ToolChoice auto() {
    return ToolChoice.fromAuto(AutoToolChoice.builder().build());
  }

  private static ToolChoice forced(String name) {
    return ToolChoice.fromTool(SpecificToolChoice.builder().name(name).build());
  }

  private static ToolConfiguration tools(ToolChoice choice, Tool... tools) {
    return ToolConfiguration.builder().tools(tools).toolChoice(choice).build();
  }

  private static Document doc(String json) {
    return Documents.fromJson(json(json));
  }
}
