package io.github.bedrockgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.AnyToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;
import software.amazon.awssdk.services.bedrockruntime.model.CacheTTL;
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
import software.amazon.awssdk.services.bedrockruntime.model.ServiceTier;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultStatus;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Table tests: an Anthropic Messages request in, the whole expected Converse request out (models
 * other than Claude).
 */
class AnthropicToConverseTest {

  private static final String NOVA = "us.amazon.nova-pro-v1:0";
  private static final String LLAMA = "meta.llama3-70b-instruct-v1:0";
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
  private static final byte[] PDF = {'%', 'P', 'D', 'F', '-', '1'};

  private static ConverseRequest.Builder base(String modelId, int maxTokens) {
    return ConverseRequest.builder()
        .modelId(modelId)
        .inferenceConfig(InferenceConfiguration.builder().maxTokens(maxTokens).build());
  }

  private static Message user(ContentBlock... blocks) {
    return Message.builder().role(ConversationRole.USER).content(List.of(blocks)).build();
  }

  private static Message assistant(ContentBlock... blocks) {
    return Message.builder().role(ConversationRole.ASSISTANT).content(List.of(blocks)).build();
  }

  private static ContentBlock text(String text) {
    return ContentBlock.fromText(text);
  }

  private static Tool weather() {
    return Tool.fromToolSpec(
        ToolSpecification.builder()
            .name("get_weather")
            .description("Weather")
            .inputSchema(
                ToolInputSchema.fromJson(Document.mapBuilder().putString("type", "object").build()))
            .build());
  }

  private static final String WEATHER_TOOL =
      "{\"name\": \"get_weather\", \"description\": \"Weather\", \"input_schema\": {\"type\": \"object\"}}";

  static Stream<Arguments> translations() {
    return Stream.of(
        Arguments.of(
            "string content, max_tokens as maxTokens",
            NOVA,
            """
            {"model": "nova", "max_tokens": 100, "messages": [{"role": "user", "content": "Hello"}]}
            """,
            base(NOVA, 100).messages(user(text("Hello"))).build()),
        Arguments.of(
            "sampling settings, stop sequences (empty dropped), top_k inside Nova's inferenceConfig",
            NOVA,
            """
            {"model": "nova", "max_tokens": 10, "temperature": 0.2, "top_p": 0.9, "top_k": 40,
             "stop_sequences": ["END", ""], "metadata": {"user_id": "u-1"}, "stream": true,
             "messages": [{"role": "user", "content": "x"}]}
            """,
            ConverseRequest.builder()
                .modelId(NOVA)
                .inferenceConfig(
                    InferenceConfiguration.builder()
                        .maxTokens(10)
                        .temperature(0.2f)
                        .topP(0.9f)
                        .stopSequences("END")
                        .build())
                .additionalModelRequestFields(
                    Document.mapBuilder()
                        .putDocument(
                            "inferenceConfig", Document.mapBuilder().putNumber("topK", 40L).build())
                        .build())
                .messages(user(text("x")))
                .build()),
        Arguments.of(
            "top_k at the top level for other providers",
            LLAMA,
            """
            {"model": "llama", "max_tokens": 10, "top_k": 40, "messages": [{"role": "user", "content": "x"}]}
            """,
            base(LLAMA, 10)
                .additionalModelRequestFields(Document.mapBuilder().putNumber("top_k", 40L).build())
                .messages(user(text("x")))
                .build()),
        Arguments.of(
            "system string and blocks with cache_control; a system turn joins the system prompt",
            NOVA,
            """
            {"model": "nova", "max_tokens": 10,
             "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
             "messages": [{"role": "user", "content": "a"}, {"role": "system", "content": "Use French."},
                          {"role": "user", "content": "b"}]}
            """,
            base(NOVA, 10)
                .system(
                    SystemContentBlock.fromText("Be brief."),
                    SystemContentBlock.fromCachePoint(
                        CachePointBlock.builder()
                            .type(CachePointType.DEFAULT)
                            .ttl(CacheTTL.VALUE_1_H)
                            .build()),
                    SystemContentBlock.fromText("Use French."))
                .messages(user(text("a"), text("b")))
                .build()),
        Arguments.of(
            "image and pdf document blocks; consecutive roles merged; empty text dropped",
            NOVA,
            """
            {"model": "nova", "max_tokens": 10, "messages": [
              {"role": "user", "content": [{"type": "text", "text": ""},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "%s"}}]},
              {"role": "user", "content": [{"type": "document", "title": "Q3 report.pdf",
                "source": {"type": "base64", "media_type": "application/pdf", "data": "%s"}}]}]}
            """
                .formatted(
                    Base64.getEncoder().encodeToString(PNG),
                    Base64.getEncoder().encodeToString(PDF)),
            base(NOVA, 10)
                .messages(
                    user(
                        ContentBlock.fromImage(
                            ImageBlock.builder()
                                .format(ImageFormat.PNG)
                                .source(s -> s.bytes(SdkBytes.fromByteArray(PNG)))
                                .build()),
                        ContentBlock.fromDocument(
                            DocumentBlock.builder()
                                .format(DocumentFormat.PDF)
                                .name("Q3 report")
                                .source(DocumentSource.fromBytes(SdkBytes.fromByteArray(PDF)))
                                .build()),
                        text(AnthropicToConverse.DOCUMENT_NOTE)))
                .build()),
        Arguments.of(
            "a text document becomes a txt document",
            NOVA,
            """
            {"model": "nova", "max_tokens": 10, "messages": [{"role": "user", "content": [
              {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "notes"}},
              {"type": "text", "text": "Summarise."}]}]}
            """,
            base(NOVA, 10)
                .messages(
                    user(
                        ContentBlock.fromDocument(
                            DocumentBlock.builder()
                                .format(DocumentFormat.TXT)
                                .name("document-1")
                                .source(DocumentSource.fromBytes(SdkBytes.fromUtf8String("notes")))
                                .build()),
                        text("Summarise.")))
                .build()),
        Arguments.of(
            "tool round trip: tool_use and tool_result (error, blocks), thinking dropped, tools and choice",
            NOVA,
            """
            {"model": "nova", "max_tokens": 10, "tools": [%s], "tool_choice": {"type": "any"},
             "messages": [
              {"role": "user", "content": "Weather in Paris?"},
              {"role": "assistant", "content": [
                {"type": "thinking", "thinking": "Let me check.", "signature": "sig"},
                {"type": "text", "text": "Checking."},
                {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}}]},
              {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_01", "is_error": true,
                 "content": [{"type": "text", "text": "timeout"}]},
                {"type": "text", "text": "Try again."}]}]}
            """
                .formatted(WEATHER_TOOL),
            base(NOVA, 10)
                .toolConfig(
                    ToolConfiguration.builder()
                        .tools(weather())
                        .toolChoice(ToolChoice.fromAny(AnyToolChoice.builder().build()))
                        .build())
                .messages(
                    user(text("Weather in Paris?")),
                    assistant(
                        text("Checking."),
                        ContentBlock.fromToolUse(
                            ToolUseBlock.builder()
                                .toolUseId("toolu_01")
                                .name("get_weather")
                                .input(Document.mapBuilder().putString("city", "Paris").build())
                                .build())),
                    user(
                        ContentBlock.fromToolResult(
                            ToolResultBlock.builder()
                                .toolUseId("toolu_01")
                                .status(ToolResultStatus.ERROR)
                                .content(ToolResultContentBlock.fromText("timeout"))
                                .build()),
                        text("Try again.")))
                .build()),
        Arguments.of(
            "a string tool result, an empty one, a forced tool, a cached tool, defer_loading ignored",
            NOVA,
            """
            {"model": "nova", "max_tokens": 10,
             "tools": [{"name": "get_weather", "description": "Weather", "input_schema": {"type": "object"},
                        "defer_loading": true, "cache_control": {"type": "ephemeral"}}],
             "tool_choice": {"type": "tool", "name": "get_weather"},
             "messages": [
              {"role": "user", "content": "go"},
              {"role": "assistant", "content": [{"type": "tool_use", "id": "a", "name": "get_weather", "input": {}},
                                                {"type": "tool_use", "id": "b", "name": "get_weather"}]},
              {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "a", "content": "sunny"},
                                           {"type": "tool_result", "tool_use_id": "b"}]}]}
            """,
            base(NOVA, 10)
                .toolConfig(
                    ToolConfiguration.builder()
                        .tools(
                            weather(),
                            Tool.fromCachePoint(
                                CachePointBlock.builder().type(CachePointType.DEFAULT).build()))
                        .toolChoice(
                            ToolChoice.fromTool(
                                SpecificToolChoice.builder().name("get_weather").build()))
                        .build())
                .messages(
                    user(text("go")),
                    assistant(
                        ContentBlock.fromToolUse(
                            ToolUseBlock.builder()
                                .toolUseId("a")
                                .name("get_weather")
                                .input(Document.mapBuilder().build())
                                .build()),
                        ContentBlock.fromToolUse(
                            ToolUseBlock.builder()
                                .toolUseId("b")
                                .name("get_weather")
                                .input(Document.mapBuilder().build())
                                .build())),
                    user(
                        ContentBlock.fromToolResult(
                            ToolResultBlock.builder()
                                .toolUseId("a")
                                .content(ToolResultContentBlock.fromText("sunny"))
                                .build()),
                        ContentBlock.fromToolResult(
                            ToolResultBlock.builder()
                                .toolUseId("b")
                                .content(ToolResultContentBlock.fromText("(empty)"))
                                .build())))
                .build()),
        Arguments.of(
            "tool_choice none without tool history: tools not sent",
            NOVA,
            """
            {"model": "nova", "max_tokens": 10, "tools": [%s], "tool_choice": {"type": "none"},
             "messages": [{"role": "user", "content": "hi"}]}
            """
                .formatted(WEATHER_TOOL),
            base(NOVA, 10).messages(user(text("hi"))).build()),
        Arguments.of(
            "tool_choice none with tool history: tools kept, a note forbids calling them",
            NOVA,
            """
            {"model": "nova", "max_tokens": 10, "tools": [%s], "tool_choice": {"type": "none"},
             "messages": [{"role": "user", "content": "hi"},
               {"role": "assistant", "content": [{"type": "tool_use", "id": "a", "name": "get_weather", "input": {}}]},
               {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "a", "content": "sunny"}]}]}
            """
                .formatted(WEATHER_TOOL),
            base(NOVA, 10)
                .toolConfig(ToolConfiguration.builder().tools(weather()).build())
                .system(SystemContentBlock.fromText(AnthropicToConverse.NO_TOOLS_NOTE))
                .messages(
                    user(text("hi")),
                    assistant(
                        ContentBlock.fromToolUse(
                            ToolUseBlock.builder()
                                .toolUseId("a")
                                .name("get_weather")
                                .input(Document.mapBuilder().build())
                                .build())),
                    user(
                        ContentBlock.fromToolResult(
                            ToolResultBlock.builder()
                                .toolUseId("a")
                                .content(ToolResultContentBlock.fromText("sunny"))
                                .build())))
                .build()),
        Arguments.of(
            "structured output, standard_only service tier, disabled thinking accepted",
            NOVA,
            """
            {"model": "nova", "max_tokens": 10, "thinking": {"type": "disabled"}, "service_tier": "standard_only",
             "output_config": {"format": {"type": "json_schema", "schema": {"type": "object"}}},
             "messages": [{"role": "user", "content": "hi"}]}
            """,
            base(NOVA, 10)
                .messages(user(text("hi")))
                .serviceTier(ServiceTier.builder().type("default").build())
                .outputConfig(
                    OutputConfig.builder()
                        .textFormat(
                            OutputFormat.builder()
                                .type(OutputFormatType.JSON_SCHEMA)
                                .structure(
                                    OutputFormatStructure.fromJsonSchema(
                                        JsonSchemaDefinition.builder()
                                            .schema("{\"type\":\"object\"}")
                                            .build()))
                                .build())
                        .build())
                .build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("translations")
  void translates_to_the_whole_expected_converse_request(
      String name, String modelId, String body, ConverseRequest expected) throws Exception {
    ConverseRequest actual =
        AnthropicToConverse.translate(
            MessagesRequest.parse(Json.MAPPER.readTree(body), false), modelId);
    assertThat(actual).isEqualTo(expected);
  }

  static Stream<Arguments> refusals() {
    String m = "{\"model\": \"nova\", \"max_tokens\": 10, ";
    String hi = "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]";
    return Stream.of(
        Arguments.of(
            m + "\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 2000}, " + hi + "}",
            "thinking"),
        Arguments.of(m + "\"thinking\": {\"type\": \"adaptive\"}, " + hi + "}", "thinking"),
        Arguments.of(
            m + "\"context_management\": {\"edits\": []}, " + hi + "}", "context_management"),
        Arguments.of(
            m + "\"output_config\": {\"effort\": \"low\"}, " + hi + "}", "output_config.effort"),
        Arguments.of(m + "\"container\": \"c1\", " + hi + "}", "container"),
        Arguments.of(m + "\"some_new_field\": 1, " + hi + "}", "some_new_field"),
        Arguments.of(m + "\"temperature\": 1.5, " + hi + "}", "temperature"),
        Arguments.of(m + "\"top_k\": -1, " + hi + "}", "top_k"),
        Arguments.of(m + "\"stop_sequences\": \"END\", " + hi + "}", "stop_sequences"),
        Arguments.of(
            m
                + "\"tools\": [{\"type\": \"web_search_20250305\", \"name\": \"web_search\"}], "
                + hi
                + "}",
            "tools.0.type"),
        Arguments.of(
            m + "\"tools\": [{\"name\": \"bad name\", \"input_schema\": {}}], " + hi + "}",
            "tools.0.name"),
        Arguments.of(m + "\"tools\": [{\"name\": \"t\"}], " + hi + "}", "tools.0.input_schema"),
        Arguments.of(
            m
                + "\"tools\": ["
                + WEATHER_TOOL
                + "], \"tool_choice\": {\"type\": \"tool\", \"name\": \"x\"}, "
                + hi
                + "}",
            "tool_choice.name"),
        Arguments.of(m + "\"tool_choice\": {\"type\": \"maybe\"}, " + hi + "}", "tool_choice.type"),
        Arguments.of(
            m + "\"messages\": [{\"role\": \"tool\", \"content\": \"x\"}]}", "messages.0.role"),
        Arguments.of(
            m
                + "\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image\", "
                + "\"source\": {\"type\": \"url\", \"url\": \"https://x/y.png\"}}]}]}",
            "messages.0.content.0.source.type"),
        Arguments.of(
            m
                + "\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image\", "
                + "\"source\": {\"type\": \"base64\", \"media_type\": \"image/bmp\", \"data\": \"AA==\"}}]}]}",
            "messages.0.content.0.source.media_type"),
        Arguments.of(
            m
                + "\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image\", "
                + "\"source\": {\"type\": \"base64\", \"media_type\": \"image/png\", \"data\": \"***\"}}]}]}",
            "messages.0.content.0.source.data"),
        Arguments.of(
            m
                + "\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"search_result\"}]}]}",
            "messages.0.content.0.type"),
        Arguments.of(
            m
                + "\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"tool_use\", \"id\": \"a\", "
                + "\"name\": \"t\", \"input\": {}}]}]}",
            "messages.0.content.0.type"),
        Arguments.of(
            m
                + "\"messages\": [{\"role\": \"assistant\", \"content\": [{\"type\": \"tool_use\", "
                + "\"name\": \"t\"}]}]}",
            "messages.0.content.0.id"),
        Arguments.of(
            m + "\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\"}]}]}",
            "messages.0.content.0.text"),
        Arguments.of(
            m
                + "\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"a\", "
                + "\"cache_control\": {\"type\": \"ephemeral\", \"ttl\": \"2h\"}}]}]}",
            "messages.0.content.0.cache_control.ttl"),
        Arguments.of(m + "\"messages\": [{\"role\": \"user\", \"content\": \"\"}]}", "messages"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("refusals")
  void refuses_what_converse_cannot_do_with_a_400_naming_the_field(String body, String param) {
    assertThatThrownBy(
            () ->
                AnthropicToConverse.translate(
                    MessagesRequest.parse(Json.MAPPER.readTree(body), false), NOVA))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.param()).isEqualTo(param);
              assertThat(AnthropicErrors.message(e)).contains(param);
            });
  }

  @org.junit.jupiter.api.Test
  void refuses_a_fifth_cache_marker() throws Exception {
    StringBuilder blocks = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      blocks
          .append(i == 0 ? "" : ",")
          .append("{\"type\": \"text\", \"text\": \"t")
          .append(i)
          .append("\", \"cache_control\": {\"type\": \"ephemeral\"}}");
    }
    String body =
        "{\"model\": \"nova\", \"max_tokens\": 10, \"messages\": [{\"role\": \"user\", \"content\": ["
            + blocks
            + "]}]}";
    assertThatThrownBy(
            () ->
                AnthropicToConverse.translate(
                    MessagesRequest.parse(Json.MAPPER.readTree(body), false), NOVA))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> assertThat(e.param()).isEqualTo("messages.0.content.4.cache_control"));
  }
}
