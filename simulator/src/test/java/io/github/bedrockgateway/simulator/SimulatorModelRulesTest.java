package io.github.bedrockgateway.simulator;

import static io.github.bedrockgateway.simulator.SimulatorClients.DEV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentFormat;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentSource;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * The model-level behaviour the gateway's features rely on: Claude's thinking rules and the signed
 * reasoning check, forced tool calls and structured output, the parallel-tool switch, documents,
 * tool-use ids, cache points, and the fields the answer repeats. A table of bodies without a
 * server, then the multi-turn thinking loop through the real SDK.
 */
class SimulatorModelRulesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLAUDE = "us.anthropic.claude-sonnet-4-20250514-v1:0";
  private static final String THINKING =
      "\"additionalModelRequestFields\": {\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 1024}}";
  private static final String USER = "{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}";
  private static final String TOOLS =
      "\"toolConfig\": {\"tools\": [{\"toolSpec\": {\"name\": \"w\", \"inputSchema\": {\"json\":"
          + " {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}, \"days\": {\"type\": \"integer\"}}}}}}]";

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

  private static String toolLoop(String assistantFirstBlock) {
    return "\"messages\": ["
        + USER
        + ", {\"role\": \"assistant\", \"content\": ["
        + assistantFirstBlock
        + "{\"toolUse\": {\"toolUseId\": \"tooluse_1\", \"name\": \"w\", \"input\": {}}}]},"
        + " {\"role\": \"user\", \"content\": [{\"toolResult\": {\"toolUseId\": \"tooluse_1\", \"content\": [{\"text\": \"5C\"}]}}]}]";
  }

  private static String reasoning(String text, String signature) {
    return "{\"reasoningContent\": {\"reasoningText\": {\"text\": \""
        + text
        + "\", \"signature\": \""
        + signature
        + "\"}}}, ";
  }

  static Stream<Arguments> refusals() {
    String valid = ReplyScript.signatureOf("I need the weather.");
    return Stream.of(
        Arguments.of(
            "budget under Claude's floor",
            "{\"messages\": ["
                + USER
                + "],"
                + " \"additionalModelRequestFields\": {\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 500}}}",
            "budget_tokens: Input should be greater than or equal to 1024"),
        Arguments.of(
            "maxTokens not above the budget",
            "{\"messages\": ["
                + USER
                + "], "
                + THINKING
                + ", \"inferenceConfig\": {\"maxTokens\": 1024}}",
            "`max_tokens` must be greater than `thinking.budget_tokens`"),
        Arguments.of(
            "temperature with thinking",
            "{\"messages\": ["
                + USER
                + "], "
                + THINKING
                + ", \"inferenceConfig\": {\"maxTokens\": 2000, \"temperature\": 0.5}}",
            "`temperature` may only be set to 1"),
        Arguments.of(
            "top_p below 0.95 with thinking",
            "{\"messages\": ["
                + USER
                + "], "
                + THINKING
                + ", \"inferenceConfig\": {\"topP\": 0.5}}",
            "`top_p` must be greater than or equal to 0.95"),
        Arguments.of(
            "top_k with thinking",
            "{\"messages\": ["
                + USER
                + "], \"additionalModelRequestFields\":"
                + " {\"top_k\": 5, \"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 1024}}}",
            "`top_k` must be unset"),
        Arguments.of(
            "forced tool use with thinking",
            "{\"messages\": ["
                + USER
                + "], "
                + THINKING
                + ", "
                + TOOLS
                + ", \"toolChoice\": {\"any\": {}}}}",
            "Thinking may not be enabled when tool_choice forces tool use"),
        Arguments.of(
            "a tool loop without the signed reasoning in front",
            "{" + toolLoop("") + ", " + THINKING + ", " + TOOLS + "}}",
            "Expected `thinking` or `redacted_thinking`, but found `tool_use`"),
        Arguments.of(
            "a reasoning text that is not the one signed",
            "{"
                + toolLoop(reasoning("I need the weather!", valid))
                + ", "
                + THINKING
                + ", "
                + TOOLS
                + "}}",
            "Invalid `signature` in `thinking` block"),
        Arguments.of(
            "tool_choice type both ways",
            "{\"messages\": ["
                + USER
                + "], "
                + TOOLS
                + ", \"toolChoice\": {\"auto\": {}}},"
                + " \"additionalModelRequestFields\": {\"tool_choice\": {\"type\": \"auto\"}}}",
            "The additional field tool_choice/type conflicts with the existing field toolConfig.toolChoice.auto"),
        Arguments.of(
            "tool_choice without a type and no toolChoice",
            "{\"messages\": ["
                + USER
                + "], "
                + TOOLS
                + "},"
                + " \"additionalModelRequestFields\": {\"tool_choice\": {\"disable_parallel_tool_use\": true}}}",
            "tool_choice.type: Field required"),
        Arguments.of(
            "a tool-use id Bedrock's pattern refuses",
            "{\"messages\": ["
                + USER
                + ", {\"role\": \"assistant\", \"content\":"
                + " [{\"toolUse\": {\"toolUseId\": \"tooluse_1.rs1.abc\", \"name\": \"w\", \"input\": {}}}]}, "
                + USER
                + "]}",
            "toolUse.toolUseId' failed to satisfy constraint"),
        Arguments.of(
            "a document without a text block",
            "{\"messages\": [{\"role\": \"user\", \"content\": [{\"document\":"
                + " {\"format\": \"pdf\", \"name\": \"a\", \"source\": {\"bytes\": \"AAAA\"}}}]}]}",
            "must also contain a text block"),
        Arguments.of(
            "a document name with a dot",
            "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"x\"}, {\"document\":"
                + " {\"format\": \"pdf\", \"name\": \"a.pdf\", \"source\": {\"bytes\": \"AAAA\"}}}]}]}",
            "The document file name can only contain"),
        Arguments.of(
            "five cache points",
            "{\"system\": [{\"text\": \"s\"}, {\"cachePoint\": {\"type\": \"default\"}}],"
                + " \"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"a\"}, {\"cachePoint\": {\"type\": \"default\"}},"
                + " {\"text\": \"b\"}, {\"cachePoint\": {\"type\": \"default\"}}, {\"text\": \"c\"}, {\"cachePoint\": {\"type\": \"default\"}},"
                + " {\"text\": \"d\"}, {\"cachePoint\": {\"type\": \"default\"}}]}]}",
            "A maximum of 4 blocks with cache_control may be provided. Found 5."),
        Arguments.of(
            "a schema that is not JSON",
            "{\"messages\": ["
                + USER
                + "], \"outputConfig\": {\"textFormat\": {\"type\":"
                + " \"json_schema\", \"structure\": {\"jsonSchema\": {\"name\": \"n\", \"schema\": \"{not json\"}}}}}",
            "is not a valid JSON object"),
        Arguments.of(
            "a guardrail without a version",
            "{\"messages\": [" + USER + "], \"guardrailConfig\": {\"guardrailIdentifier\": \"g\"}}",
            "guardrailConfig.guardrailVersion"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refuses_what_bedrock_refuses_with_its_message(String name, String body, String message)
      throws Exception {
    BedrockError error = ReplyScript.plan(JSON.readTree(body), CLAUDE).error();
    assertThat(error).isNotNull();
    assertThat(error.type()).isEqualTo(BedrockErrorType.VALIDATION_EXCEPTION);
    assertThat(error.message()).contains(message);
  }

  @Test
  void claude_with_thinking_reasons_first_and_accepts_its_own_signed_reasoning_back()
      throws Exception {
    ReplyScript first =
        ReplyScript.plan(JSON.readTree("{\"messages\": [" + USER + "], " + THINKING + "}"), CLAUDE);
    assertThat(first.error()).isNull();
    assertThat(first.reasoning().text()).isEqualTo(ReplyScript.DEFAULT_REASONING);
    assertThat(first.reasoning().signature())
        .isEqualTo(ReplyScript.signatureOf(ReplyScript.DEFAULT_REASONING));
    String signed =
        reasoning("I need the weather.", ReplyScript.signatureOf("I need the weather."));
    ReplyScript loop =
        ReplyScript.plan(
            JSON.readTree("{" + toolLoop(signed) + ", " + THINKING + ", " + TOOLS + "}}"), CLAUDE);
    assertThat(loop.error()).isNull();
    assertThat(loop.text()).isEqualTo("5C");
    // a model that is not Claude knows nothing of these rules
    assertThat(
            ReplyScript.plan(
                    JSON.readTree("{" + toolLoop("") + ", " + THINKING + "}"),
                    "amazon.nova-pro-v1:0")
                .error())
        .isNull();
  }

  @Test
  void a_forced_tool_is_called_with_input_matching_its_schema_and_no_text() throws Exception {
    ReplyScript script =
        ReplyScript.plan(
            JSON.readTree(
                "{\"messages\": ["
                    + USER
                    + "], "
                    + TOOLS
                    + ", \"toolChoice\": {\"tool\": {\"name\": \"w\"}}}}"),
            CLAUDE);
    assertThat(script.text()).isNull();
    assertThat(script.toolCalls()).hasSize(1);
    assertThat(script.toolCalls().get(0).name()).isEqualTo("w");
    assertThat(script.toolCalls().get(0).input())
        .isEqualTo(JSON.readTree("{\"city\": \"sample\", \"days\": 1}"));
    assertThat(script.stopReason()).isEqualTo("tool_use");
  }

  @Test
  void structured_output_replies_with_json_matching_the_schema_word_by_word() throws Exception {
    String schema =
        "{\\\"type\\\": \\\"object\\\", \\\"properties\\\": {\\\"name\\\": {\\\"type\\\": \\\"string\\\"},"
            + " \\\"tags\\\": {\\\"type\\\": \\\"array\\\", \\\"items\\\": {\\\"enum\\\": [\\\"a\\\", \\\"b\\\"]}},"
            + " \\\"score\\\": {\\\"type\\\": [\\\"number\\\", \\\"null\\\"]}, \\\"ok\\\": {\\\"type\\\": \\\"boolean\\\"}}}";
    ReplyScript script =
        ReplyScript.plan(
            JSON.readTree(
                "{\"messages\": ["
                    + USER
                    + "], \"outputConfig\": {\"textFormat\":"
                    + " {\"type\": \"json_schema\", \"structure\": {\"jsonSchema\": {\"name\": \"n\", \"schema\": \""
                    + schema
                    + "\"}}}}}"),
            CLAUDE);
    assertThat(script.text())
        .isEqualTo("{\"name\": \"sample\", \"tags\": [\"a\"], \"score\": 1.5, \"ok\": true}");
    assertThat(ReplyScript.wordPieces(script.text()).size()).isGreaterThan(3);
  }

  @Test
  void disabling_parallel_tool_use_leaves_one_call() throws Exception {
    String body =
        "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"@sim tool=w {}\\n@sim tool=w {\\\"city\\\": \\\"Rome\\\"}\"}]}], "
            + TOOLS
            + ", \"toolChoice\": {\"auto\": {}}}";
    assertThat(ReplyScript.plan(JSON.readTree(body + "}"), CLAUDE).toolCalls()).hasSize(2);
    assertThat(
            ReplyScript.plan(
                    JSON.readTree(
                        body
                            + ", \"additionalModelRequestFields\": {\"tool_choice\":"
                            + " {\"disable_parallel_tool_use\": true}}}"),
                    CLAUDE)
                .toolCalls())
        .hasSize(1);
  }

  @Test
  void repeats_the_service_tier_the_latency_setting_and_the_response_fields_asked_for()
      throws Exception {
    ReplyScript script =
        ReplyScript.plan(
            JSON.readTree(
                "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"one two END three\"}]}],"
                    + " \"inferenceConfig\": {\"stopSequences\": [\"END\"]}, \"serviceTier\": {\"type\": \"flex\"},"
                    + " \"performanceConfig\": {\"latency\": \"optimized\"},"
                    + " \"additionalModelResponseFieldPaths\": [\"/stop_sequence\", \"/other\"]}"),
            CLAUDE);
    assertThat(script.echoes().serviceTier()).isEqualTo("flex");
    assertThat(script.echoes().latency()).isEqualTo("optimized");
    assertThat(script.echoes().responseFields())
        .isEqualTo(JSON.readTree("{\"stop_sequence\": \"END\", \"other\": \"simulated\"}"));
  }

  @Test
  void the_prompt_cache_writes_a_prefix_once_and_reads_it_after() throws Exception {
    PromptCache cache = new PromptCache(Clock.systemUTC());
    JsonNode body =
        JSON.readTree(
            "{\"system\": [{\"text\": \""
                + "r".repeat(400)
                + "\"}, {\"cachePoint\": {\"type\": \"default\"}}],"
                + " \"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \""
                + "q".repeat(40)
                + "\"}]}]}");
    ReplyScript first = ReplyScript.plan(body, CLAUDE, cache);
    assertThat(first.usage()).isEqualTo(new ReplyScript.Usage(10, 1, 0, 100));
    ReplyScript second = ReplyScript.plan(body, CLAUDE, cache);
    assertThat(second.usage()).isEqualTo(new ReplyScript.Usage(10, 1, 100, 0));
    // another model has a cache of its own
    assertThat(
            ReplyScript.plan(body, "anthropic.claude-3-5-haiku-20241022-v1:0", cache)
                .usage()
                .cacheWriteInputTokens())
        .isEqualTo(100);
  }

  @Test
  void a_thinking_tool_loop_through_the_sdk_needs_the_reasoning_exactly_as_the_model_signed_it() {
    Document thinking =
        Document.mapBuilder()
            .putDocument(
                "thinking",
                Document.mapBuilder()
                    .putString("type", "enabled")
                    .putNumber("budget_tokens", 1024)
                    .build())
            .build();
    ConverseRequest.Builder base =
        ConverseRequest.builder()
            .modelId(CLAUDE)
            .additionalModelRequestFields(thinking)
            .inferenceConfig(i -> i.maxTokens(2000))
            .toolConfig(
                t ->
                    t.tools(
                        software.amazon.awssdk.services.bedrockruntime.model.Tool.fromToolSpec(
                            s ->
                                s.name("w")
                                    .inputSchema(
                                        in ->
                                            in.json(
                                                Document.mapBuilder()
                                                    .putString("type", "object")
                                                    .build())))));
    Message question =
        SimulatorClients.user("Weather?\n@sim reasoning=I need the weather.\n@sim tool=w {}");
    ConverseResponse first = client.converse(base.messages(question).build());
    List<ContentBlock> turn = first.output().message().content();
    ReasoningContentBlock reasoning = turn.get(0).reasoningContent();
    ToolUseBlock call = turn.get(1).toolUse();
    Message result =
        Message.builder()
            .role(ConversationRole.USER)
            .content(
                ContentBlock.fromToolResult(
                    ToolResultBlock.builder()
                        .toolUseId(call.toolUseId())
                        .content(ToolResultContentBlock.fromText("5C"))
                        .build()))
            .build();

    ConverseResponse second =
        client.converse(base.messages(question, first.output().message(), result).build());
    assertThat(second.output().message().content().get(1).text()).isEqualTo("5C");

    Message withoutReasoning =
        Message.builder()
            .role(ConversationRole.ASSISTANT)
            .content(ContentBlock.fromToolUse(call))
            .build();
    ValidationException refused =
        catchThrowableOfType(
            ValidationException.class,
            () -> client.converse(base.messages(question, withoutReasoning, result).build()));
    assertThat(refused.awsErrorDetails().errorMessage())
        .contains("must start with a thinking block");
    assertThat(reasoning.reasoningText().signature()).isNotBlank();
  }

  @Test
  void documents_through_the_sdk_are_accepted_with_a_text_block() {
    ContentBlock pdf =
        ContentBlock.fromDocument(
            DocumentBlock.builder()
                .format(DocumentFormat.PDF)
                .name("report (v2)")
                .source(DocumentSource.fromBytes(SdkBytes.fromUtf8String("%PDF")))
                .build());
    ConverseResponse answer =
        client.converse(
            ConverseRequest.builder()
                .modelId(CLAUDE)
                .messages(
                    Message.builder()
                        .role(ConversationRole.USER)
                        .content(pdf, ContentBlock.fromText("@sim reply=Read it."))
                        .build())
                .build());
    assertThat(answer.output().message().content().get(0).text()).isEqualTo("Read it.");
  }

  /**
   * A gateway's structured-output fallback forces one tool whose input is the answer: a JSON object
   * in {@code @sim reply} must become that input (the schema sample is only the unscripted
   * default).
   */
  @Test
  void a_json_object_in_reply_is_the_input_of_the_single_forced_tool() {
    ConverseRequest.Builder base =
        ConverseRequest.builder()
            .modelId(CLAUDE)
            .toolConfig(
                t ->
                    t.tools(
                            Tool.fromToolSpec(
                                ToolSpecification.builder()
                                    .name("answer")
                                    .inputSchema(
                                        ToolInputSchema.fromJson(
                                            Document.mapBuilder()
                                                .putString("type", "object")
                                                .build()))
                                    .build()))
                        .toolChoice(
                            ToolChoice.fromTool(
                                SpecificToolChoice.builder().name("answer").build())));

    ConverseResponse scripted =
        client.converse(
            base.messages(
                    SimulatorClients.user(
                        "Plan a trip.\n@sim reply={\"city\": \"Paris\", \"days\": 3}"))
                .build());
    assertThat(scripted.output().message().content()).hasSize(1);
    ToolUseBlock call = scripted.output().message().content().get(0).toolUse();
    assertThat(call.name()).isEqualTo("answer");
    assertThat(call.input().asMap())
        .containsEntry("city", Document.fromString("Paris"))
        .containsEntry("days", Document.fromNumber(3));
    assertThat(scripted.stopReasonAsString()).isEqualTo("tool_use");

    ConverseResponse unscripted =
        client.converse(base.messages(SimulatorClients.user("Plan a trip.")).build());
    assertThat(unscripted.output().message().content()).hasSize(1);
    assertThat(unscripted.output().message().content().get(0).toolUse().input().asMap()).isEmpty();

    ConverseResponse prose =
        client.converse(base.messages(SimulatorClients.user("@sim reply=Not JSON.")).build());
    assertThat(prose.output().message().content())
        .extracting(ContentBlock::text)
        .containsExactly("Not JSON.", null);
  }
}
