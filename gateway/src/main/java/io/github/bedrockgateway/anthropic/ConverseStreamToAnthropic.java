package io.github.bedrockgateway.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.sse.SseRelay;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;

/**
 * ConverseStream events -> Anthropic server-sent events: {@code message_start}, per block {@code
 * content_block_start} / deltas ({@code text_delta}, {@code input_json_delta}, {@code
 * thinking_delta}, {@code signature_delta}) / {@code content_block_stop}, then {@code
 * message_delta} (stop reason and usage, which Converse sends last) and {@code message_stop}.
 *
 * <p>One per request, not thread-safe: it holds the Anthropic index of the open block and which
 * Converse block it is, the stop reason and the usage. Converse starts text and reasoning blocks
 * without a {@code contentBlockStart}, so a block is opened by its first delta, and closed when
 * Converse closes it or another one begins (Anthropic's blocks never interleave).
 */
final class ConverseStreamToAnthropic implements SseRelay.Translator<ConverseStreamOutput> {

  private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

  private final String messageId;
  private final String clientModel;
  private final List<String> stopSequences;
  private boolean started;

  /** Converse index of the open block, or -1. */
  private int openConverseIndex = -1;

  /** Anthropic index of the open block (blocks are numbered densely from 0). */
  private int openIndex = -1;

  private int nextIndex;
  private boolean stopSeen;
  private boolean ended;
  private StopReason stopReason;
  private TokenUsage usage;

  ConverseStreamToAnthropic(String messageId, String clientModel, List<String> stopSequences) {
    this.messageId = messageId;
    this.clientModel = clientModel;
    this.stopSequences = stopSequences;
  }

  @Override
  public void onEvent(ConverseStreamOutput event, StringBuilder out) {
    switch (event.sdkEventType()) {
      case MESSAGE_START -> start(out);
      case CONTENT_BLOCK_START -> onBlockStart((ContentBlockStartEvent) event, out);
      case CONTENT_BLOCK_DELTA -> onBlockDelta((ContentBlockDeltaEvent) event, out);
      case CONTENT_BLOCK_STOP -> {
        Integer index = ((ContentBlockStopEvent) event).contentBlockIndex();
        if (index != null && index == openConverseIndex) {
          closeBlock(out);
        }
      }
      case MESSAGE_STOP -> {
        start(out);
        closeBlock(out);
        stopReason = ((MessageStopEvent) event).stopReason();
        stopSeen = true;
      }
      case METADATA -> {
        usage = ((ConverseStreamMetadataEvent) event).usage();
        if (stopSeen) {
          end(out);
        }
      }
      default -> {
        // events newer than this translator are skipped
      }
    }
  }

  @Override
  public boolean complete(StringBuilder out) {
    if (!stopSeen) {
      return false;
    }
    end(out);
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

  private void start(StringBuilder out) {
    if (started) {
      return;
    }
    started = true;
    event(
        out,
        "message_start",
        "{\"type\":\"message_start\",\"message\":{\"id\":"
            + quote(messageId)
            + ",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
            + quote(clientModel)
            + ",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,"
            + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":0}}}");
  }

  private void onBlockStart(ContentBlockStartEvent e, StringBuilder out) {
    ToolUseBlockStart toolUse = e.start() == null ? null : e.start().toolUse();
    if (toolUse == null) {
      return; // text and reasoning blocks open with their first delta
    }
    openBlock(
        e.contentBlockIndex(),
        "{\"type\":\"tool_use\",\"id\":"
            + quote(toolUse.toolUseId())
            + ",\"name\":"
            + quote(toolUse.name())
            + ",\"input\":{}}",
        out);
  }

  private void onBlockDelta(ContentBlockDeltaEvent e, StringBuilder out) {
    ContentBlockDelta delta = e.delta();
    if (delta == null) {
      return;
    }
    int index = e.contentBlockIndex() == null ? 0 : e.contentBlockIndex();
    if (delta.text() != null) {
      ensureOpen(index, "{\"type\":\"text\",\"text\":\"\"}", out);
      if (!delta.text().isEmpty()) {
        delta(out, "{\"type\":\"text_delta\",\"text\":" + quote(delta.text()) + "}");
      }
    } else if (delta.toolUse() != null) {
      if (index == openConverseIndex
          && delta.toolUse().input() != null
          && !delta.toolUse().input().isEmpty()) {
        delta(
            out,
            "{\"type\":\"input_json_delta\",\"partial_json\":"
                + quote(delta.toolUse().input())
                + "}");
      }
    } else if (delta.reasoningContent() != null) {
      ReasoningContentBlockDelta r = delta.reasoningContent();
      if (r.redactedContent() != null) {
        // Anthropic sends redacted thinking whole, in its content_block_start
        ensureOpen(
            index,
            "{\"type\":\"redacted_thinking\",\"data\":"
                + quote(Base64.getEncoder().encodeToString(r.redactedContent().asByteArrayUnsafe()))
                + "}",
            out);
        return;
      }
      ensureOpen(index, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}", out);
      if (r.text() != null && !r.text().isEmpty()) {
        delta(out, "{\"type\":\"thinking_delta\",\"thinking\":" + quote(r.text()) + "}");
      }
      if (r.signature() != null) {
        delta(out, "{\"type\":\"signature_delta\",\"signature\":" + quote(r.signature()) + "}");
      }
    }
  }

  private void ensureOpen(int converseIndex, String block, StringBuilder out) {
    if (converseIndex != openConverseIndex) {
      openBlock(converseIndex, block, out);
    }
  }

  private void openBlock(int converseIndex, String block, StringBuilder out) {
    start(out);
    closeBlock(out);
    openConverseIndex = converseIndex;
    openIndex = nextIndex++;
    event(
        out,
        "content_block_start",
        "{\"type\":\"content_block_start\",\"index\":"
            + openIndex
            + ",\"content_block\":"
            + block
            + "}");
  }

  private void closeBlock(StringBuilder out) {
    if (openIndex < 0) {
      return;
    }
    event(
        out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + openIndex + "}");
    openIndex = -1;
    openConverseIndex = -1;
  }

  private void delta(StringBuilder out, String delta) {
    event(
        out,
        "content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":" + openIndex + ",\"delta\":" + delta + "}");
  }

  private void end(StringBuilder out) {
    if (ended) {
      return;
    }
    ended = true;
    StringWriter w = new StringWriter(160);
    try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
      ConverseToAnthropic.writeUsage(g, usage);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String sequence = ConverseToAnthropic.stopSequence(stopReason, stopSequences);
    event(
        out,
        "message_delta",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
            + ConverseToAnthropic.stopReason(stopReason)
            + "\",\"stop_sequence\":"
            + (sequence == null ? "null" : quote(sequence))
            + "},\"usage\":"
            + w
            + "}");
    event(out, "message_stop", "{\"type\":\"message_stop\"}");
  }

  private static void event(StringBuilder out, String type, String data) {
    out.append("event: ").append(type).append("\ndata: ").append(data).append("\n\n");
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    ENCODER.quoteAsString(s, b);
    return b.append('"').toString();
  }
}
