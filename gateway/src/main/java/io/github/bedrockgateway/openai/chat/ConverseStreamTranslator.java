package io.github.bedrockgateway.openai.chat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.sse.SseRelay;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;

/**
 * Turns ConverseStream events into OpenAI {@code chat.completion.chunk} server-sent events.
 *
 * <p>One per request, not thread-safe: it holds the stream's state (role sent, which Bedrock
 * content block is which OpenAI tool call, the reasoning seen since the last tool call, the stop
 * reason and usage seen so far). Each method appends zero or more complete SSE events ({@code data:
 * ...\n\n}) to the given builder, so one upstream event becomes one write to the client.
 *
 * <p>It gives the same answer as {@link ConverseToOpenAi#completion}, piece by piece: the
 * structured-output tool's input streams as {@code content} deltas (text beside it is held back and
 * dropped, or sent at the end when the tool was not called), and a tool call that follows signed
 * reasoning gets the reasoning in its id ({@link SignedReasoning}), which Bedrock has completed
 * before the call starts.
 */
public final class ConverseStreamTranslator implements SseRelay.Translator<ConverseStreamOutput> {

  private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();
  private static final String CHOICE_END_OPEN = ",\"logprobs\":null,\"finish_reason\":null}]";

  private final String chunkPrefix;
  private final String usagePrefix;
  private final boolean includeUsage;
  private final String structuredTool;

  /**
   * Bedrock content-block index -> OpenAI tool-call index (dense, from 0, in order of appearance).
   */
  private final Map<Integer, Integer> toolCallIndex = new HashMap<>(4);

  /** Content blocks that are the structured-output tool call, streamed as content. */
  private final Set<Integer> structuredBlocks = new HashSet<>(2);

  /** Reasoning blocks being received, by content-block index. */
  private final Map<Integer, ReasoningParts> openReasoning = new TreeMap<>();

  /** Completed reasoning blocks not yet attached to a tool call. */
  private final List<ReasoningContentBlock> pendingReasoning = new ArrayList<>(2);

  private StringBuilder heldText;
  private long reasoningCharacters;
  private boolean roleSent;
  private boolean finished;
  private boolean usageSent;
  private StopReason stopReason;
  private TokenUsage usage;

  public ConverseStreamTranslator(String id, long created, String model, boolean includeUsage) {
    this(id, created, new ChatRequest(model, true, includeUsage, null));
  }

  public ConverseStreamTranslator(String id, long created, ChatRequest request) {
    this.includeUsage = request.includeUsage();
    this.structuredTool = request.structuredOutputTool();
    String head =
        "data: {\"id\":"
            + quote(id)
            + ",\"object\":\"chat.completion.chunk\",\"created\":"
            + created
            + ",\"model\":"
            + quote(request.clientModel())
            + ",";
    this.chunkPrefix = head + "\"choices\":[{\"index\":0,\"delta\":";
    this.usagePrefix = head + "\"choices\":[],\"usage\":";
  }

  /** Appends the chunks one Bedrock event turns into. */
  @Override
  public void onEvent(ConverseStreamOutput event, StringBuilder out) {
    switch (event.sdkEventType()) {
      case MESSAGE_START -> ensureRole(out);
      case CONTENT_BLOCK_START -> onBlockStart((ContentBlockStartEvent) event, out);
      case CONTENT_BLOCK_DELTA -> onBlockDelta((ContentBlockDeltaEvent) event, out);
      case CONTENT_BLOCK_STOP ->
          closeReasoning(((ContentBlockStopEvent) event).contentBlockIndex());
      case MESSAGE_STOP -> onMessageStop((MessageStopEvent) event, out);
      case METADATA -> onMetadata((ConverseStreamMetadataEvent) event, out);
      default -> {
        // unknown future events are skipped
      }
    }
  }

  /**
   * Appends what ends a stream that Bedrock completed: the usage chunk if it was asked for and has
   * not gone out yet, then {@code [DONE]}. Returns false, appending nothing, when Bedrock closed
   * the stream before its {@code messageStop}: the caller must then send an error event, never a
   * {@code [DONE]} that would make a truncated answer look complete.
   */
  @Override
  public boolean complete(StringBuilder out) {
    if (!finished) {
      return false;
    }
    if (includeUsage && !usageSent) {
      appendUsage(out);
    }
    out.append("data: [DONE]\n\n");
    return true;
  }

  /** Whether any chunk has been produced (after that, errors travel in the stream). */
  @Override
  public boolean started() {
    return roleSent;
  }

  public StopReason stopReason() {
    return stopReason;
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }

  private void ensureRole(StringBuilder out) {
    if (!roleSent) {
      roleSent = true;
      chunk(out, "{\"role\":\"assistant\",\"content\":\"\"}", null, null);
    }
  }

  private void onBlockStart(ContentBlockStartEvent e, StringBuilder out) {
    ToolUseBlockStart toolUse = e.start() == null ? null : e.start().toolUse();
    if (toolUse == null) {
      return;
    }
    ensureRole(out);
    closeAllReasoning();
    if (toolUse.name() != null && toolUse.name().equals(structuredTool)) {
      structuredBlocks.add(e.contentBlockIndex());
      return;
    }
    int index = toolCallIndex.size();
    toolCallIndex.put(e.contentBlockIndex(), index);
    String id = SignedReasoning.encode(toolUse.toolUseId(), pendingReasoning);
    pendingReasoning.clear();
    chunk(
        out,
        "{\"tool_calls\":[{\"index\":"
            + index
            + ",\"id\":"
            + quote(id)
            + ",\"type\":\"function\",\"function\":{\"name\":"
            + quote(toolUse.name())
            + ",\"arguments\":\"\"}}]}",
        null,
        null);
  }

  private void onBlockDelta(ContentBlockDeltaEvent e, StringBuilder out) {
    ContentBlockDelta delta = e.delta();
    if (delta == null) {
      return;
    }
    if (delta.text() != null) {
      ensureRole(out);
      if (structuredTool != null) {
        // The structured answer may still come as a tool call; text is held until we know.
        (heldText == null ? heldText = new StringBuilder() : heldText).append(delta.text());
      } else if (!delta.text().isEmpty()) {
        chunk(out, "{\"content\":" + quote(delta.text()) + "}", null, null);
      }
      return;
    }
    ToolUseBlockDelta toolUse = delta.toolUse();
    if (toolUse != null) {
      if (toolUse.input() == null || toolUse.input().isEmpty()) {
        return;
      }
      if (structuredBlocks.contains(e.contentBlockIndex())) {
        chunk(out, "{\"content\":" + quote(toolUse.input()) + "}", null, null);
        return;
      }
      Integer index = toolCallIndex.get(e.contentBlockIndex());
      if (index != null) {
        chunk(
            out,
            "{\"tool_calls\":[{\"index\":"
                + index
                + ",\"function\":{\"arguments\":"
                + quote(toolUse.input())
                + "}}]}",
            null,
            null);
      }
      return;
    }
    ReasoningContentBlockDelta reasoning = delta.reasoningContent();
    if (reasoning != null) {
      ReasoningParts parts =
          openReasoning.computeIfAbsent(e.contentBlockIndex(), i -> new ReasoningParts());
      if (reasoning.text() != null && !reasoning.text().isEmpty()) {
        ensureRole(out);
        parts.text.append(reasoning.text());
        reasoningCharacters += reasoning.text().length();
        chunk(out, "{\"reasoning_content\":" + quote(reasoning.text()) + "}", null, null);
      }
      if (reasoning.signature() != null) {
        parts.signature = reasoning.signature();
      }
      if (reasoning.redactedContent() != null) {
        parts.redacted = reasoning.redactedContent();
      }
    }
  }

  private void onMessageStop(MessageStopEvent e, StringBuilder out) {
    ensureRole(out);
    stopReason = e.stopReason();
    finished = true;
    if (heldText != null && heldText.length() > 0 && structuredBlocks.isEmpty()) {
      chunk(out, "{\"content\":" + quote(heldText.toString()) + "}", null, null);
    }
    String finishReason = ConverseToOpenAi.finishReason(stopReason);
    if (!structuredBlocks.isEmpty()
        && toolCallIndex.isEmpty()
        && stopReason == StopReason.TOOL_USE) {
      finishReason = "stop";
    }
    chunk(out, "{}", finishReason, responseFields(e.additionalModelResponseFields()));
  }

  private void onMetadata(ConverseStreamMetadataEvent e, StringBuilder out) {
    usage = e.usage();
    if (includeUsage && finished && !usageSent) {
      appendUsage(out);
    }
  }

  private void closeReasoning(Integer index) {
    ReasoningParts parts = index == null ? null : openReasoning.remove(index);
    if (parts != null) {
      pendingReasoning.add(parts.block());
    }
  }

  private void closeAllReasoning() {
    for (ReasoningParts parts : openReasoning.values()) {
      pendingReasoning.add(parts.block());
    }
    openReasoning.clear();
  }

  private void appendUsage(StringBuilder out) {
    usageSent = true;
    StringWriter w = new StringWriter(256);
    try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
      ConverseToOpenAi.writeUsage(g, usage, reasoningCharacters);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    out.append(usagePrefix).append(w).append("}\n\n");
  }

  /** {@code ,"additionalModelResponseFields":{...}} for the last chunk, or null. */
  private static String responseFields(Document fields) {
    if (fields == null || fields.isNull()) {
      return null;
    }
    StringWriter w = new StringWriter(128);
    try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
      g.writeStartObject();
      ConverseToOpenAi.writeResponseFields(g, fields);
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    String object = w.toString();
    return "," + object.substring(1, object.length() - 1);
  }

  private void chunk(StringBuilder out, String delta, String finishReason, String extra) {
    out.append(chunkPrefix).append(delta);
    if (finishReason == null) {
      out.append(CHOICE_END_OPEN);
    } else {
      out.append(",\"logprobs\":null,\"finish_reason\":\"").append(finishReason).append("\"}]");
    }
    if (includeUsage) {
      out.append(",\"usage\":null");
    }
    if (extra != null) {
      out.append(extra);
    }
    out.append("}\n\n");
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    ENCODER.quoteAsString(s, b);
    return b.append('"').toString();
  }

  /** The pieces of one streamed reasoning block. */
  private static final class ReasoningParts {
    final StringBuilder text = new StringBuilder();
    String signature;
    SdkBytes redacted;

    ReasoningContentBlock block() {
      if (redacted != null) {
        return ReasoningContentBlock.fromRedactedContent(redacted);
      }
      return ReasoningContentBlock.fromReasoningText(
          ReasoningTextBlock.builder().text(text.toString()).signature(signature).build());
    }
  }
}
