package io.github.bedrockgateway.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the simulator will answer to one Converse request, decided up front from the request alone
 * (no clock, no counter), so the same request always gets the same answer; only the prompt-cache
 * figures depend on the requests before it.
 *
 * <p>Either {@link #error()} is set (answered before any byte) or the reply fields are. Pure: no
 * I/O, no Vert.x.
 *
 * @param error the error answered instead of a reply, or null
 * @param reasoning the reasoning block, or null
 * @param redacted the opaque data of a redacted reasoning block (after the reasoning block), or
 *     null
 * @param text the text block, or null for none
 * @param toolCalls toolUse blocks, after the text
 * @param stopReason Converse's {@code stopReason}
 * @param stopSequence the stop sequence that cut the reply, or null
 * @param usage the token figures
 * @param streamError for ConverseStream, the exception sent inside the stream, or null
 * @param latencyMs the wait before answering
 * @param chunkDelayMs the pause between stream events, or null for the simulator default
 * @param holdName for ConverseStream, the hold that pauses the stream after its first text delta
 * @param echoes what the answer repeats from the request: {@code serviceTier}, {@code
 *     performanceConfig} and the {@code additionalModelResponseFields} asked for
 */
record ReplyScript(
    BedrockError error,
    Reasoning reasoning,
    String redacted,
    String text,
    List<ToolCall> toolCalls,
    String stopReason,
    String stopSequence,
    Usage usage,
    StreamError streamError,
    long latencyMs,
    Long chunkDelayMs,
    String holdName,
    Echoes echoes) {

  /**
   * Fields of the answer that repeat the request: the service tier and latency setting used, and
   * the model response fields named by {@code additionalModelResponseFieldPaths}.
   */
  record Echoes(String serviceTier, String latency, ObjectNode responseFields) {
    static final Echoes NONE = new Echoes(null, null, null);
  }

  /**
   * What the simulated Claude thinks when thinking is on and no {@code @sim reasoning} says
   * otherwise.
   */
  static final String DEFAULT_REASONING = "Let me think about how to answer this request.";

  record Reasoning(String text, String signature) {}

  /** A toolUse block; {@code inputJson} is the compact JSON text of {@code input}. */
  record ToolCall(String toolUseId, String name, JsonNode input, String inputJson) {}

  record Usage(
      int inputTokens, int outputTokens, int cacheReadInputTokens, int cacheWriteInputTokens) {
    int totalTokens() {
      return inputTokens + outputTokens + cacheReadInputTokens + cacheWriteInputTokens;
    }
  }

  /**
   * What goes wrong in a stream after {@code afterDeltas} content deltas: an exception frame of
   * {@code type}, or, when {@code fault} is set, a transport fault: {@code cut} (the response ends
   * with no messageStop) or {@code corrupt} (a frame whose CRC does not match).
   */
  record StreamError(BedrockErrorType type, String message, int afterDeltas, String fault) {}

  private static final Pattern WORD = Pattern.compile("\\S+");
  private static final Pattern WORD_AND_SPACE = Pattern.compile("\\S+\\s*");
  private static final String EMPTY_ECHO = "OK";

  static ReplyScript error(BedrockError error) {
    return error(error, 0);
  }

  /** An error answered after {@code latencyMs}. */
  static ReplyScript error(BedrockError error, long latencyMs) {
    return new ReplyScript(
        error,
        null,
        null,
        null,
        List.of(),
        null,
        null,
        null,
        null,
        latencyMs,
        null,
        null,
        Echoes.NONE);
  }

  /**
   * No reply of its own (the answer is rendered elsewhere, e.g. embeddings), only a wait before it.
   */
  static ReplyScript pause(long latencyMs) {
    return new ReplyScript(
        null,
        null,
        null,
        null,
        List.of(),
        null,
        null,
        null,
        null,
        latencyMs,
        null,
        null,
        Echoes.NONE);
  }

  /** Plans the answer to a Converse body sent for {@code modelId}, without a prompt cache. */
  static ReplyScript plan(JsonNode body, String modelId) {
    return plan(body, modelId, null);
  }

  /**
   * Plans the answer to a Converse body sent for {@code modelId}. With a prompt cache the cache
   * figures depend on what came before (the one exception to "same request, same answer").
   */
  static ReplyScript plan(JsonNode body, String modelId, PromptCache cache) {
    BedrockError invalid = ConversationRules.check(body, modelId);
    if (invalid != null) {
      return error(invalid);
    }
    JsonNode lastUser = lastUserMessage(body.path("messages"));
    Directives directives;
    try {
      directives = Directives.parse(textOf(lastUser));
    } catch (Directives.InvalidDirectiveException e) {
      return error(BedrockError.validation(e.getMessage()));
    }
    BedrockError scripted;
    try {
      scripted = scriptedError(directives, modelId);
    } catch (Directives.InvalidDirectiveException e) {
      return error(BedrockError.validation(e.getMessage()));
    }
    if (scripted != null) {
      return error(scripted, directives.latencyMs);
    }

    String text = replyText(directives, lastUser);
    int turn = body.path("messages").size();
    List<ToolCall> toolCalls = toolCalls(directives, turn);
    boolean scriptedText = !directives.replies.isEmpty() || directives.tokens != null;
    JsonNode schema = outputSchema(body);
    if (schema != null && !scriptedText) {
      // Structured output: the model's text is JSON that matches the schema.
      text = SchemaSample.text(SchemaSample.of(schema));
    }
    JsonNode forced = forcedTool(body.path("toolConfig"));
    if (forced != null && toolCalls.isEmpty()) {
      // A forced tool choice: the model calls the tool, with input that matches its schema, and
      // (as Claude does when forced) writes no text unless the script asks for some. When one tool
      // is
      // forced (a gateway's structured-output fallback), a JSON object in @sim reply is that input.
      JsonNode scriptedInput =
          singleForcedTool(body.path("toolConfig")) ? jsonObject(directives.replies) : null;
      JsonNode input =
          scriptedInput != null
              ? scriptedInput
              : SchemaSample.of(forced.path("inputSchema").path("json"));
      toolCalls = List.of(toolCall(turn, 0, forced.path("name").asText(), input));
      text = scriptedText && scriptedInput == null ? text : null;
    }
    if (toolCalls.size() > 1
        && ClaudeRules.applies(modelId)
        && body.path("additionalModelRequestFields")
            .path("tool_choice")
            .path("disable_parallel_tool_use")
            .asBoolean(false)) {
      toolCalls = List.of(toolCalls.get(0));
    }
    String cutReason = null;
    String stopSequence = null;

    JsonNode inference = body.path("inferenceConfig");
    if (text != null) {
      String beforeStop = cutAtStopSequence(text, inference.path("stopSequences"));
      if (beforeStop != null) {
        stopSequence = earliestStopSequence(text, inference.path("stopSequences"));
        text = beforeStop;
        cutReason = "stop_sequence";
      }
      JsonNode maxTokens = inference.path("maxTokens");
      if (maxTokens.isNumber() && countWords(text) > maxTokens.asInt()) {
        text = firstWords(text, maxTokens.asInt());
        cutReason = "max_tokens";
      }
    }
    if (cutReason != null) {
      // The model stopped inside its text, so it never reached the tool calls planned after it.
      toolCalls = List.of();
    }
    Reasoning reasoning =
        !directives.reasoning.isEmpty()
            ? reasoning(String.join("\n", directives.reasoning))
            : ClaudeRules.thinkingEnabled(body, modelId) && directives.redacted == null
                ? reasoning(DEFAULT_REASONING)
                : null;

    String stopReason =
        directives.stop != null
            ? directives.stop
            : cutReason != null ? cutReason : toolCalls.isEmpty() ? "end_turn" : "tool_use";

    int outputTokens =
        (text == null ? 0 : countWords(text))
            + (reasoning == null ? 0 : countWords(reasoning.text()))
            + (directives.redacted == null ? 0 : countWords(directives.redacted));
    for (ToolCall call : toolCalls) {
      outputTokens += ceilQuarter(call.inputJson().length());
    }
    int inputTokens = inputTokens(body);
    Usage usage;
    if (directives.cacheRead > 0 || directives.cacheWrite > 0) {
      usage = new Usage(inputTokens, outputTokens, directives.cacheRead, directives.cacheWrite);
    } else {
      PromptCache.Usage cached = cache == null ? PromptCache.Usage.NONE : cache.use(modelId, body);
      // Bedrock's inputTokens leaves out what was read from or written to the cache.
      usage =
          new Usage(
              Math.max(0, inputTokens - cached.readTokens() - cached.writeTokens()),
              outputTokens,
              cached.readTokens(),
              cached.writeTokens());
    }

    StreamError streamError =
        directives.streamFault != null
            ? new StreamError(null, null, directives.streamErrorAfter, directives.streamFault)
            : directives.streamError == null
                ? null
                : new StreamError(
                    directives.streamError,
                    directives.streamErrorMessage != null
                        ? directives.streamErrorMessage
                        : directives.streamError.defaultMessage(),
                    directives.streamErrorAfter,
                    null);
    return new ReplyScript(
        null,
        reasoning,
        directives.redacted == null ? null : redactedData(directives.redacted),
        text,
        toolCalls,
        stopReason,
        "stop_sequence".equals(cutReason) ? stopSequence : null,
        usage,
        streamError,
        directives.latencyMs,
        directives.chunkDelayMs,
        directives.hold,
        echoes(body, cutReason, stopSequence));
  }

  /**
   * The input tokens of a Converse-shaped body as the simulator counts them (before the prompt
   * cache takes its share): what {@code CountTokens} answers and what a reply's usage adds up to.
   */
  static int inputTokens(JsonNode body) {
    return Math.max(1, ceilQuarter(inputCharacters(body)));
  }

  /**
   * Whether exactly one tool can satisfy the tool choice: {@code tool}, or {@code any} with a
   * single tool.
   */
  private static boolean singleForcedTool(JsonNode toolConfig) {
    if (toolConfig.path("toolChoice").has("tool")) {
      return true;
    }
    int specs = 0;
    for (JsonNode tool : toolConfig.path("tools")) {
      specs += tool.has("toolSpec") ? 1 : 0;
    }
    return specs == 1;
  }

  /**
   * The {@code @sim reply} lines as one JSON object, or null when they are absent or not an object.
   */
  private static JsonNode jsonObject(List<String> replies) {
    if (replies.isEmpty()) {
      return null;
    }
    try {
      JsonNode parsed = ConverseWire.JSON.readTree(String.join("\n", replies));
      return parsed != null && parsed.isObject() ? parsed : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The opaque payload of a redacted reasoning block: stands in for Anthropic's encrypted thinking.
   */
  static String redactedData(String hiddenText) {
    return Base64.getEncoder()
        .encodeToString(("simulated-redacted-thinking:" + hiddenText).getBytes(UTF_8));
  }

  /** The schema of {@code outputConfig}, or null when the request asks for no structured output. */
  private static JsonNode outputSchema(JsonNode body) {
    JsonNode schema =
        body.path("outputConfig")
            .path("textFormat")
            .path("structure")
            .path("jsonSchema")
            .path("schema");
    if (!schema.isTextual()) {
      return null;
    }
    try {
      return ConverseWire.JSON.readTree(schema.asText());
    } catch (IOException e) {
      return null; // ConversationRules refused it already
    }
  }

  /**
   * The toolSpec a {@code toolChoice} of {@code tool} or {@code any} forces (the first tool for
   * any).
   */
  private static JsonNode forcedTool(JsonNode toolConfig) {
    JsonNode choice = toolConfig.path("toolChoice");
    String name = choice.path("tool").path("name").asText(null);
    if (name == null && !choice.has("any")) {
      return null;
    }
    for (JsonNode tool : toolConfig.path("tools")) {
      JsonNode spec = tool.path("toolSpec");
      if (spec.isObject() && (name == null || name.equals(spec.path("name").asText()))) {
        return spec;
      }
    }
    return null;
  }

  /** The stop sequence that occurs first in the text. */
  private static String earliestStopSequence(String text, JsonNode stopSequences) {
    String earliest = null;
    int at = -1;
    for (JsonNode sequence : stopSequences) {
      String value = sequence.asText("");
      int found = value.isEmpty() ? -1 : text.indexOf(value);
      if (found >= 0 && (at < 0 || found < at)) {
        at = found;
        earliest = value;
      }
    }
    return earliest;
  }

  /**
   * What the answer repeats: {@code serviceTier.type} and {@code performanceConfig.latency} as
   * sent, and for each {@code additionalModelResponseFieldPaths} entry a value: {@code
   * /stop_sequence} gets the stop sequence that ended the reply (or null), any other path the
   * string {@code "simulated"}.
   */
  private static Echoes echoes(JsonNode body, String cutReason, String stopSequence) {
    String tier = body.path("serviceTier").path("type").asText(null);
    String latency = body.path("performanceConfig").path("latency").asText(null);
    ObjectNode fields = null;
    JsonNode paths = body.path("additionalModelResponseFieldPaths");
    if (paths.isArray() && !paths.isEmpty()) {
      fields = ConverseWire.JSON.createObjectNode();
      for (JsonNode path : paths) {
        String pointer = path.asText("");
        String name = pointer.startsWith("/") ? pointer.substring(1) : pointer;
        if (name.equals("stop_sequence")) {
          fields.put(name, "stop_sequence".equals(cutReason) ? stopSequence : null);
        } else if (!name.isEmpty()) {
          fields.put(name, "simulated");
        }
      }
    }
    return tier == null && latency == null && fields == null
        ? Echoes.NONE
        : new Echoes(tier, latency, fields);
  }

  static BedrockError scriptedError(Directives directives, String modelId)
      throws Directives.InvalidDirectiveException {
    if (directives.error == null) {
      return null;
    }
    BedrockError error =
        switch (directives.error.toLowerCase(Locale.ROOT)) {
          case "invalid-model" ->
              BedrockError.validation("The provided model identifier is invalid.");
          case "inference-profile-required" ->
              BedrockError.validation(
                  "Invocation of model ID "
                      + modelId
                      + " with on-demand throughput isn't supported. Retry your request with the ID or ARN of an"
                      + " inference profile that contains this model.");
          case "model-access-denied" -> BedrockError.of(BedrockErrorType.ACCESS_DENIED_EXCEPTION);
          case "too-many-tokens" ->
              new BedrockError(
                  BedrockErrorType.THROTTLING_EXCEPTION,
                  "Too many tokens, please wait before trying again.");
          default ->
              BedrockErrorType.fromName(directives.error)
                  .filter(BedrockErrorType::scriptable)
                  .map(BedrockError::of)
                  .orElseThrow(
                      () ->
                          new Directives.InvalidDirectiveException(
                              "Simulator directive '@sim error' needs"
                                  + " a Bedrock error type (e.g. ThrottlingException) or one of invalid-model,"
                                  + " inference-profile-required, model-access-denied, too-many-tokens; got '"
                                  + directives.error
                                  + "'."));
        };
    return directives.errorMessage == null
        ? error
        : new BedrockError(error.type(), directives.errorMessage);
  }

  private static String replyText(Directives directives, JsonNode lastUser) {
    if (!directives.replies.isEmpty()) {
      return String.join("\n", directives.replies);
    }
    if (directives.tokens != null) {
      StringBuilder tokens = new StringBuilder();
      for (int i = 1; i <= directives.tokens; i++) {
        tokens.append(i == 1 ? "" : " ").append("tok").append(i);
      }
      return tokens.toString();
    }
    if (!directives.echo && !directives.tools.isEmpty()) {
      return null;
    }
    if (!directives.remainingText.isEmpty()) {
      return directives.remainingText;
    }
    // A tool-loop turn carries only toolResult blocks: echoing their content closes the loop
    // visibly.
    String toolResults = toolResultText(lastUser).strip();
    return toolResults.isEmpty() ? EMPTY_ECHO : toolResults;
  }

  private static List<ToolCall> toolCalls(Directives directives, int turn) {
    List<ToolCall> calls = new ArrayList<>(directives.tools.size());
    for (int i = 0; i < directives.tools.size(); i++) {
      Directives.ToolDirective tool = directives.tools.get(i);
      calls.add(toolCall(turn, i, tool.name(), tool.input()));
    }
    return calls;
  }

  private static ToolCall toolCall(int turn, int position, String name, JsonNode input) {
    String inputJson = input.toString();
    String id =
        "tooluse_"
            + base64Url(sha256(turn + ":" + position + ":" + name + ":" + inputJson))
                .substring(0, 22);
    return new ToolCall(id, name, input, inputJson);
  }

  private static Reasoning reasoning(String text) {
    return new Reasoning(text, signatureOf(text));
  }

  /** The signature the simulator gives a reasoning text (and checks when the text comes back). */
  static String signatureOf(String reasoningText) {
    return Base64.getEncoder().encodeToString(sha256("reasoning:" + reasoningText));
  }

  private static JsonNode lastUserMessage(JsonNode messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).path("role").asText())) {
        return messages.get(i);
      }
    }
    return messages.get(0);
  }

  private static String textOf(JsonNode message) {
    StringBuilder text = new StringBuilder();
    for (JsonNode block : message.path("content")) {
      if (block.has("text")) {
        text.append(text.length() == 0 ? "" : "\n").append(block.get("text").asText());
      }
    }
    return text.toString();
  }

  private static String toolResultText(JsonNode message) {
    StringBuilder text = new StringBuilder();
    for (JsonNode block : message.path("content")) {
      for (JsonNode part : block.path("toolResult").path("content")) {
        String piece =
            part.has("text")
                ? part.get("text").asText()
                : part.has("json") ? part.get("json").toString() : "";
        if (!piece.isEmpty()) {
          text.append(text.length() == 0 ? "" : "\n").append(piece);
        }
      }
    }
    return text.toString();
  }

  /**
   * Characters of everything the model reads: tool definitions, system, message text, reasoning,
   * tool inputs and results.
   */
  private static long inputCharacters(JsonNode body) {
    long characters = 0;
    for (JsonNode tool : body.path("toolConfig").path("tools")) {
      characters += tool.has("toolSpec") ? tool.get("toolSpec").toString().length() : 0;
    }
    for (JsonNode block : body.path("system")) {
      characters += block.path("text").asText("").length();
    }
    for (JsonNode message : body.path("messages")) {
      for (JsonNode block : message.path("content")) {
        characters += blockCharacters(block);
      }
    }
    return characters;
  }

  /** Characters the model reads in one message content block. */
  static long blockCharacters(JsonNode block) {
    long characters = block.path("text").asText("").length();
    characters +=
        block.path("reasoningContent").path("reasoningText").path("text").asText("").length();
    if (block.has("toolUse")) {
      characters += block.path("toolUse").path("input").toString().length();
    }
    for (JsonNode part : block.path("toolResult").path("content")) {
      characters +=
          part.has("json")
              ? part.get("json").toString().length()
              : part.path("text").asText("").length();
    }
    return characters;
  }

  /** The text before the earliest stop sequence, or null when none occurs. */
  private static String cutAtStopSequence(String text, JsonNode stopSequences) {
    int earliest = -1;
    for (JsonNode sequence : stopSequences) {
      String value = sequence.asText("");
      int at = value.isEmpty() ? -1 : text.indexOf(value);
      if (at >= 0 && (earliest < 0 || at < earliest)) {
        earliest = at;
      }
    }
    return earliest < 0 ? null : text.substring(0, earliest);
  }

  static int countWords(String text) {
    Matcher matcher = WORD.matcher(text);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }

  /** The text up to the end of its {@code n}th word. */
  static String firstWords(String text, int n) {
    Matcher matcher = WORD.matcher(text);
    int end = 0;
    for (int i = 0; i < n && matcher.find(); i++) {
      end = matcher.end();
    }
    return text.substring(0, end);
  }

  /**
   * The text split into stream deltas, one word each with the whitespace after it ({@code "Hello
   * "}, {@code "world"}); leading whitespace stays on the first piece, so the pieces join back to
   * the text.
   */
  static List<String> wordPieces(String text) {
    List<String> pieces = new ArrayList<>();
    Matcher matcher = WORD_AND_SPACE.matcher(text);
    int start = 0;
    while (matcher.find()) {
      pieces.add(text.substring(start, matcher.end()));
      start = matcher.end();
    }
    if (start < text.length()) {
      pieces.add(text.substring(start));
    }
    return pieces;
  }

  private static int ceilQuarter(long characters) {
    return (int) ((characters + 3) / 4);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
