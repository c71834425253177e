package io.github.bedrockgateway.openai.responses;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.sse.SseRelay;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
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
 * Turns ConverseStream events into the Responses API's server-sent events ({@code event:
 * NAME\ndata: JSON\n\n}, each with its {@code sequence_number}).
 *
 * <p>One per request, not thread-safe: it holds the stream's state (the next sequence number, which
 * Bedrock content block is which output item, the text, arguments and reasoning of the open items,
 * the stop reason and usage seen so far). It gives the same response as {@link
 * ConverseToResponses}, piece by piece: {@code response.created} and {@code response.in_progress}
 * on Bedrock's first event; per item {@code response.output_item.added}, its content events and
 * {@code response.output_item.done}; then {@code response.completed} (or {@code
 * response.incomplete}) with the whole response. A message is closed when the next item starts or
 * the answer ends, so its status can say it was cut short.
 */
public final class ResponsesStreamTranslator implements SseRelay.Translator<ConverseStreamOutput> {

  private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

  // The frequent events' framing, built once: a delta costs appends only (docs/performance.md).
  private static final String TEXT_DELTA = prefix("response.output_text.delta");
  private static final String ARGUMENTS_DELTA = prefix("response.function_call_arguments.delta");
  private static final String SUMMARY_DELTA = prefix("response.reasoning_summary_text.delta");
  private static final String LOGPROBS_END = ",\"logprobs\":[]}\n\n";
  private static final String END = "}\n\n";

  private enum Kind {
    MESSAGE,
    STRUCTURED,
    FUNCTION,
    CUSTOM,
    REASONING,
    IGNORED
  }

  /** One output item being streamed. */
  private static final class Open {
    final Kind kind;
    final int outputIndex;
    final String itemId;

    /** {@code ,"item_id":"...","output_index":N}: every event of the item starts with it. */
    final String itemFields;

    /** What precedes the quoted fragment in this item's delta events. */
    final String deltaFields;

    /** Message text, call arguments, custom input JSON, or reasoning text. */
    final StringBuilder text = new StringBuilder();

    String callId;
    String name;
    String signature;
    SdkBytes redacted;
    boolean summaryStarted;

    Open(Kind kind, int outputIndex, String itemId) {
      this.kind = kind;
      this.outputIndex = outputIndex;
      this.itemId = itemId;
      this.itemFields = ",\"item_id\":\"" + itemId + "\",\"output_index\":" + outputIndex;
      this.deltaFields =
          itemFields
              + switch (kind) {
                case MESSAGE, STRUCTURED -> ",\"content_index\":0,\"delta\":";
                case REASONING -> ",\"summary_index\":0,\"delta\":";
                case FUNCTION, CUSTOM, IGNORED -> ",\"delta\":";
              };
    }
  }

  private final String id;
  private final long createdAt;
  private final ResponsesRequest request;

  /** Finished items by output index; null while an item is open. */
  private final List<OutputItem> output = new ArrayList<>();

  /** Open non-message items by Bedrock content-block index. */
  private final Map<Integer, Open> openBlocks = new HashMap<>(4);

  /** The message still open (closed when the next item starts or the answer ends). */
  private Open openMessage;

  private int openMessageBlock = -1;

  /** Text held back while the structured-output tool may still be called. */
  private final StringBuilder heldText;

  private boolean structuredCalled;
  private long sequence;
  private long reasoningCharacters;
  private boolean started;
  private boolean finished;
  private StopReason stopReason;
  private TokenUsage usage;
  private String serviceTier;
  private String finalResponse;

  /** The request settings every response object of the stream repeats, written once. */
  private String echo;

  /**
   * @param id the response id ({@code resp_...})
   * @param createdAt the gateway's clock, epoch seconds
   */
  public ResponsesStreamTranslator(String id, long createdAt, ResponsesRequest request) {
    this.id = id;
    this.createdAt = createdAt;
    this.request = request;
    this.heldText = request.structuredOutputTool() == null ? null : new StringBuilder();
  }

  @Override
  public void onEvent(ConverseStreamOutput event, StringBuilder out) {
    switch (event.sdkEventType()) {
      case MESSAGE_START -> ensureStarted(out);
      case CONTENT_BLOCK_START -> onBlockStart((ContentBlockStartEvent) event, out);
      case CONTENT_BLOCK_DELTA -> onBlockDelta((ContentBlockDeltaEvent) event, out);
      case CONTENT_BLOCK_STOP -> onBlockStop((ContentBlockStopEvent) event, out);
      case MESSAGE_STOP -> onMessageStop((MessageStopEvent) event, out);
      case METADATA -> onMetadata((ConverseStreamMetadataEvent) event);
      default -> {
        // unknown future events are skipped
      }
    }
  }

  /**
   * Appends {@code response.completed} (or {@code response.incomplete}) with the whole response.
   * Returns false, appending nothing, when Bedrock closed the stream before its {@code
   * messageStop}.
   */
  @Override
  public boolean complete(StringBuilder out) {
    if (!finished) {
      return false;
    }
    ConverseToResponses.Ending ending = ConverseToResponses.ending(stopReason);
    ResponseJson.State state =
        new ResponseJson.State(
            ending.status, ending.incompleteReason, null, usage, reasoningCharacters, serviceTier);
    finalResponse = ResponseJson.responseString(id, createdAt, request, state, output, echo());
    String name =
        ending == ConverseToResponses.Ending.COMPLETED
            ? "response.completed"
            : "response.incomplete";
    event(out, name, ",\"response\":" + finalResponse);
    return true;
  }

  @Override
  public boolean started() {
    return started;
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }

  /**
   * An {@code error} event, then {@code response.failed} with what was produced so far: SDKs raise
   * the first, Codex reads the second; neither mistakes the stream for a complete answer.
   */
  public String errorEvent(GatewayException e) {
    StringBuilder out = new StringBuilder(512);
    fail(e, out);
    return out.toString();
  }

  /** Appends the events of {@link #errorEvent}. */
  public void fail(GatewayException e, StringBuilder out) {
    ensureStarted(out);
    event(
        out,
        "error",
        ",\"code\":"
            + quoteOrNull(e.code() != null ? e.code() : e.type())
            + ",\"message\":"
            + quote(e.getMessage())
            + ",\"param\":"
            + quoteOrNull(e.param()));
    List<OutputItem> done = new ArrayList<>(output.size());
    for (OutputItem item : output) {
      if (item != null) {
        done.add(item);
      }
    }
    ResponseJson.State state =
        new ResponseJson.State("failed", null, e, usage, reasoningCharacters, serviceTier);
    event(
        out,
        "response.failed",
        ",\"response\":"
            + ResponseJson.responseString(id, createdAt, request, state, done, echo()));
  }

  /**
   * The whole response of a completed stream (what {@code response.completed} carried), else null.
   */
  public byte[] finalResponse() {
    return finalResponse == null
        ? null
        : finalResponse.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The output items of a completed stream. */
  public List<OutputItem> output() {
    return output;
  }

  // ---------------------------------------------------------------- Bedrock events

  private void ensureStarted(StringBuilder out) {
    if (!started) {
      started = true;
      String inProgress =
          ResponseJson.responseString(
              id, createdAt, request, ResponseJson.State.IN_PROGRESS, List.of(), echo());
      event(out, "response.created", ",\"response\":" + inProgress);
      event(out, "response.in_progress", ",\"response\":" + inProgress);
    }
  }

  private void onBlockStart(ContentBlockStartEvent e, StringBuilder out) {
    ToolUseBlockStart toolUse = e.start() == null ? null : e.start().toolUse();
    if (toolUse == null) {
      return;
    }
    ensureStarted(out);
    closeMessage(out, false);
    int block = e.contentBlockIndex();
    String name = toolUse.name();
    if (name != null && name.equals(request.structuredOutputTool())) {
      if (structuredCalled) {
        openBlocks.put(block, new Open(Kind.IGNORED, -1, ""));
        return;
      }
      structuredCalled = true;
      openMessage = openItem(Kind.STRUCTURED, "msg", out, null, null);
      openMessageBlock = block;
      return;
    }
    Kind kind = request.customTools().contains(name) ? Kind.CUSTOM : Kind.FUNCTION;
    openBlocks.put(
        block, openItem(kind, kind == Kind.CUSTOM ? "ctc" : "fc", out, toolUse.toolUseId(), name));
  }

  private void onBlockDelta(ContentBlockDeltaEvent e, StringBuilder out) {
    ContentBlockDelta delta = e.delta();
    if (delta == null) {
      return;
    }
    int block = e.contentBlockIndex();
    if (delta.text() != null) {
      onText(block, delta.text(), out);
      return;
    }
    ToolUseBlockDelta toolUse = delta.toolUse();
    if (toolUse != null) {
      String fragment = toolUse.input();
      if (fragment == null || fragment.isEmpty()) {
        return;
      }
      if (openMessage != null && openMessage.kind == Kind.STRUCTURED && openMessageBlock == block) {
        openMessage.text.append(fragment);
        delta(out, TEXT_DELTA, openMessage, fragment, LOGPROBS_END);
        return;
      }
      Open open = openBlocks.get(block);
      if (open == null) {
        return;
      }
      if (open.kind == Kind.FUNCTION) {
        open.text.append(fragment);
        delta(out, ARGUMENTS_DELTA, open, fragment, END);
      } else if (open.kind == Kind.CUSTOM) {
        // the JSON {"input": "..."} is only decoded whole, at the end of the call
        open.text.append(fragment);
      }
      return;
    }
    ReasoningContentBlockDelta reasoning = delta.reasoningContent();
    if (reasoning != null) {
      ensureStarted(out);
      Open open = openBlocks.get(block);
      if (open == null) {
        closeMessage(out, false);
        open = openItem(Kind.REASONING, "rs", out, null, null);
        openBlocks.put(block, open);
      }
      String text = reasoning.text();
      if (text != null && !text.isEmpty()) {
        open.text.append(text);
        reasoningCharacters += text.length();
        if (request.summaryRequested()) {
          if (!open.summaryStarted) {
            open.summaryStarted = true;
            event(
                out,
                "response.reasoning_summary_part.added",
                open.itemFields
                    + ",\"summary_index\":0,\"part\":{\"type\":\"summary_text\",\"text\":\"\"}");
          }
          delta(out, SUMMARY_DELTA, open, text, END);
        }
      }
      if (reasoning.signature() != null) {
        open.signature = reasoning.signature();
      }
      if (reasoning.redactedContent() != null) {
        open.redacted = reasoning.redactedContent();
      }
    }
  }

  private void onText(int block, String text, StringBuilder out) {
    ensureStarted(out);
    if (text.isEmpty()) {
      return;
    }
    if (heldText != null) {
      // The structured answer may still come as a tool call; text is held until we know.
      heldText.append(text);
      return;
    }
    if (openMessage == null || openMessageBlock != block) {
      closeMessage(out, false);
      openMessage = openItem(Kind.MESSAGE, "msg", out, null, null);
      openMessageBlock = block;
    }
    openMessage.text.append(text);
    delta(out, TEXT_DELTA, openMessage, text, LOGPROBS_END);
  }

  private void onBlockStop(ContentBlockStopEvent e, StringBuilder out) {
    Integer block = e.contentBlockIndex();
    Open open = block == null ? null : openBlocks.remove(block);
    if (open != null) {
      closeItem(open, out);
    }
  }

  private void onMessageStop(MessageStopEvent e, StringBuilder out) {
    ensureStarted(out);
    List<Open> remaining = new ArrayList<>(openBlocks.values());
    remaining.sort(Comparator.comparingInt(o -> o.outputIndex));
    openBlocks.clear();
    for (Open open : remaining) {
      closeItem(open, out);
    }
    stopReason = e.stopReason();
    finished = true;
    if (heldText != null && !structuredCalled && heldText.length() > 0) {
      closeMessage(out, false);
      openMessage = openItem(Kind.MESSAGE, "msg", out, null, null);
      openMessage.text.append(heldText);
      delta(out, TEXT_DELTA, openMessage, heldText.toString(), LOGPROBS_END);
    }
    // the message still open is the last item: it says whether the answer was cut short
    closeMessage(
        out, ConverseToResponses.ending(stopReason) != ConverseToResponses.Ending.COMPLETED);
  }

  private void onMetadata(ConverseStreamMetadataEvent e) {
    usage = e.usage();
    if (e.serviceTier() != null && e.serviceTier().typeAsString() != null) {
      serviceTier = e.serviceTier().typeAsString();
    }
  }

  private String echo() {
    if (echo == null) {
      echo = ResponseJson.echoFields(request);
    }
    return echo;
  }

  // ---------------------------------------------------------------- items

  private Open openItem(Kind kind, String prefix, StringBuilder out, String callId, String name) {
    int index = output.size();
    output.add(null);
    Open open = new Open(kind, index, ConverseToResponses.itemId(id, prefix, index));
    open.callId = callId;
    open.name = name;
    OutputItem started =
        switch (kind) {
          case FUNCTION -> new OutputItem.FunctionCall(open.itemId, callId, name, "");
          case CUSTOM -> new OutputItem.CustomToolCall(open.itemId, callId, name, "");
          case REASONING -> new OutputItem.Reasoning(open.itemId, null, null);
          case MESSAGE, STRUCTURED, IGNORED -> new OutputItem.Message(open.itemId, "", false);
        };
    event(
        out,
        "response.output_item.added",
        ",\"output_index\":"
            + index
            + ",\"item\":"
            + ResponseJson.string(g -> ResponseJson.writeItemStarted(g, started)));
    if (kind == Kind.MESSAGE || kind == Kind.STRUCTURED) {
      event(
          out,
          "response.content_part.added",
          open.itemFields
              + ",\"content_index\":0,\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"\"}");
    }
    return open;
  }

  private void closeMessage(StringBuilder out, boolean incomplete) {
    Open m = openMessage;
    if (m == null) {
      return;
    }
    openMessage = null;
    openMessageBlock = -1;
    String text = m.text.toString();
    // The three events repeat the whole text: it is escaped once (ResponseJson.writeItem's shape).
    String quoted = quote(text);
    String part =
        "{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":" + quoted + "}";
    event(
        out,
        "response.output_text.done",
        m.itemFields + ",\"content_index\":0,\"text\":" + quoted + ",\"logprobs\":[]");
    event(
        out, "response.content_part.done", m.itemFields + ",\"content_index\":0,\"part\":" + part);
    output.set(m.outputIndex, new OutputItem.Message(m.itemId, text, incomplete));
    event(
        out,
        "response.output_item.done",
        ",\"output_index\":"
            + m.outputIndex
            + ",\"item\":{\"id\":\""
            + m.itemId
            + "\",\"type\":\"message\",\"status\":\""
            + (incomplete ? "incomplete" : "completed")
            + "\",\"role\":\"assistant\",\"content\":["
            + part
            + "]}");
  }

  private void closeItem(Open open, StringBuilder out) {
    switch (open.kind) {
      case FUNCTION -> {
        String arguments = open.text.length() == 0 ? "{}" : open.text.toString();
        event(
            out,
            "response.function_call_arguments.done",
            open.itemFields
                + ",\"name\":"
                + quote(open.name)
                + ",\"arguments\":"
                + quote(arguments));
        itemDone(
            new OutputItem.FunctionCall(open.itemId, open.callId, open.name, arguments),
            open.outputIndex,
            out);
      }
      case CUSTOM -> {
        String input = ConverseToResponses.customInput(open.text.toString());
        if (!input.isEmpty()) {
          event(
              out,
              "response.custom_tool_call_input.delta",
              open.itemFields + ",\"delta\":" + quote(input));
        }
        event(
            out,
            "response.custom_tool_call_input.done",
            open.itemFields + ",\"input\":" + quote(input));
        itemDone(
            new OutputItem.CustomToolCall(open.itemId, open.callId, open.name, input),
            open.outputIndex,
            out);
      }
      case REASONING -> {
        String text = open.text.toString();
        if (open.summaryStarted) {
          event(
              out,
              "response.reasoning_summary_text.done",
              open.itemFields + ",\"summary_index\":0,\"text\":" + quote(text));
          event(
              out,
              "response.reasoning_summary_part.done",
              open.itemFields
                  + ",\"summary_index\":0,\"part\":{\"type\":\"summary_text\",\"text\":"
                  + quote(text)
                  + "}");
        }
        ReasoningContentBlock block =
            open.redacted != null
                ? ReasoningContentBlock.fromRedactedContent(open.redacted)
                : ReasoningContentBlock.fromReasoningText(
                    ReasoningTextBlock.builder().text(text).signature(open.signature).build());
        itemDone(
            new OutputItem.Reasoning(
                open.itemId,
                request.summaryRequested() ? text : null,
                SignedReasoning.seal(List.of(block))),
            open.outputIndex,
            out);
      }
      case MESSAGE, STRUCTURED, IGNORED -> {
        // messages close lazily (closeMessage); a second structured-output call is dropped
      }
    }
  }

  private void itemDone(OutputItem item, int outputIndex, StringBuilder out) {
    output.set(outputIndex, item);
    event(
        out,
        "response.output_item.done",
        ",\"output_index\":"
            + outputIndex
            + ",\"item\":"
            + ResponseJson.string(
                g -> ResponseJson.writeItem(g, item, request.includeEncryptedReasoning())));
  }

  // ---------------------------------------------------------------- SSE framing

  /**
   * {@code event: NAME\ndata: {"type":NAME,"sequence_number":N<fields>}\n\n}; {@code fields} starts
   * with a comma.
   */
  private void event(StringBuilder out, String name, String fields) {
    out.append("event: ")
        .append(name)
        .append("\ndata: {\"type\":\"")
        .append(name)
        .append("\",\"sequence_number\":")
        .append(sequence++)
        .append(fields)
        .append(END);
  }

  /**
   * A delta event, appended piece by piece: no intermediate string (it is the stream's hot path).
   */
  private void delta(StringBuilder out, String prefix, Open item, String fragment, String tail) {
    out.append(prefix).append(sequence++).append(item.deltaFields).append('"');
    ENCODER.quoteAsString(fragment, out);
    out.append('"').append(tail);
  }

  private static String prefix(String name) {
    return "event: " + name + "\ndata: {\"type\":\"" + name + "\",\"sequence_number\":";
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    ENCODER.quoteAsString(s, b);
    return b.append('"').toString();
  }

  private static String quoteOrNull(String s) {
    return s == null ? "null" : quote(s);
  }
}
