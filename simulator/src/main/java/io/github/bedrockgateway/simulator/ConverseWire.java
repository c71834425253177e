package io.github.bedrockgateway.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * Renders a {@link ReplyScript} in Bedrock's wire shapes: the Converse JSON body, and the
 * ConverseStream events in the order and framing real Bedrock sends them. Member names follow the
 * SDK's model classes ({@code stopReason}, {@code contentBlockIndex}, {@code
 * cacheReadInputTokens}).
 */
final class ConverseWire {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

  /** Converse and ConverseStream. */
  static final Wire WIRE =
      new Wire() {
        @Override
        public void answer(HttpServerResponse response, ReplyScript script, long latencyMs) {
          response
              .setStatusCode(200)
              .putHeader("Content-Type", "application/json")
              .end(Buffer.buffer(bytes(converseResponse(script, latencyMs))));
        }

        @Override
        public List<StreamEvent> streamEvents(ReplyScript script) {
          return ConverseWire.streamEvents(script);
        }

        @Override
        public byte[] frame(StreamEvent event, long elapsedMs, long firstByteMs) {
          if (event.isMetadata()) {
            event.payload().putObject("metrics").put("latencyMs", elapsedMs);
          }
          return encode(event);
        }
      };

  /**
   * One event-stream message before encoding.
   *
   * @param exception true for an {@code :message-type=exception} frame ({@code type} is then the
   *     {@code :exception-type})
   * @param contentDelta a contentBlockDelta (counted by {@code @sim stream-error-after})
   * @param textDelta a contentBlockDelta carrying text (where {@code @sim hold} pauses)
   */
  record StreamEvent(
      String type, ObjectNode payload, boolean exception, boolean contentDelta, boolean textDelta) {

    static StreamEvent event(String type, ObjectNode payload) {
      return new StreamEvent(type, payload, false, false, false);
    }

    boolean isMetadata() {
      return !exception && type.equals("metadata");
    }
  }

  private ConverseWire() {}

  static ObjectNode converseResponse(ReplyScript script, long latencyMs) {
    ObjectNode response = JSON.createObjectNode();
    ObjectNode message = response.putObject("output").putObject("message");
    message.put("role", "assistant");
    var content = message.putArray("content");
    if (script.reasoning() != null) {
      ObjectNode reasoningText =
          content.addObject().putObject("reasoningContent").putObject("reasoningText");
      reasoningText.put("text", script.reasoning().text());
      reasoningText.put("signature", script.reasoning().signature());
    }
    if (script.redacted() != null) {
      content.addObject().putObject("reasoningContent").put("redactedContent", script.redacted());
    }
    if (hasText(script)) {
      content.addObject().put("text", script.text());
    }
    for (ReplyScript.ToolCall call : script.toolCalls()) {
      ObjectNode toolUse = content.addObject().putObject("toolUse");
      toolUse.put("toolUseId", call.toolUseId());
      toolUse.put("name", call.name());
      toolUse.set("input", call.input());
    }
    response.put("stopReason", script.stopReason());
    response.set("usage", usage(script.usage()));
    response.putObject("metrics").put("latencyMs", latencyMs);
    echo(script.echoes(), response);
    if (script.echoes().responseFields() != null) {
      response.set("additionalModelResponseFields", script.echoes().responseFields());
    }
    return response;
  }

  /**
   * Every event of the stream, in order, ending with the {@code metadata} event (whose {@code
   * metrics} the writer fills in when it sends it) or, when the script asks for one, with the
   * in-stream exception that cuts the stream short.
   */
  static List<StreamEvent> streamEvents(ReplyScript script) {
    List<StreamEvent> events = new ArrayList<>();
    ObjectNode start = JSON.createObjectNode().put("role", "assistant");
    events.add(StreamEvent.event("messageStart", start));
    int index = 0;
    if (script.reasoning() != null) {
      for (String piece : ReplyScript.wordPieces(script.reasoning().text())) {
        events.add(
            delta(index, "reasoningContent", JSON.createObjectNode().put("text", piece), false));
      }
      events.add(
          delta(
              index,
              "reasoningContent",
              JSON.createObjectNode().put("signature", script.reasoning().signature()),
              false));
      events.add(blockStop(index++));
    }
    if (script.redacted() != null) {
      events.add(
          delta(
              index,
              "reasoningContent",
              JSON.createObjectNode().put("redactedContent", script.redacted()),
              false));
      events.add(blockStop(index++));
    }
    if (hasText(script)) {
      for (String piece : ReplyScript.wordPieces(script.text())) {
        ObjectNode payload = blockPayload(index);
        payload.putObject("delta").put("text", piece);
        events.add(new StreamEvent("contentBlockDelta", payload, false, true, true));
      }
      events.add(blockStop(index++));
    }
    for (ReplyScript.ToolCall call : script.toolCalls()) {
      ObjectNode blockStart = blockPayload(index);
      ObjectNode toolUse = blockStart.putObject("start").putObject("toolUse");
      toolUse.put("toolUseId", call.toolUseId());
      toolUse.put("name", call.name());
      events.add(StreamEvent.event("contentBlockStart", blockStart));
      for (String fragment : fragments(call.inputJson())) {
        events.add(delta(index, "toolUse", JSON.createObjectNode().put("input", fragment), false));
      }
      events.add(blockStop(index++));
    }
    int messageStop = events.size();
    ObjectNode stop = JSON.createObjectNode().put("stopReason", script.stopReason());
    if (script.echoes().responseFields() != null) {
      stop.set("additionalModelResponseFields", script.echoes().responseFields());
    }
    events.add(StreamEvent.event("messageStop", stop));
    ObjectNode metadata = JSON.createObjectNode();
    metadata.set("usage", usage(script.usage()));
    echo(script.echoes(), metadata);
    events.add(StreamEvent.event("metadata", metadata));
    return withStreamError(events, messageStop, script.streamError());
  }

  /**
   * The events cut short by what the script makes go wrong ({@code @sim stream-error} / {@code
   * stream-fault}), or all of them when nothing does; {@code messageStop} is the index of the first
   * event after the content.
   */
  static List<StreamEvent> withStreamError(
      List<StreamEvent> events, int messageStop, ReplyScript.StreamError error) {
    if (error == null) {
      return events;
    }
    int cut = errorPosition(events, error.afterDeltas(), messageStop);
    List<StreamEvent> cutShort = new ArrayList<>(events.subList(0, cut));
    if ("cut".equals(error.fault())) {
      return cutShort;
    }
    if ("corrupt".equals(error.fault())) {
      cutShort.add(new StreamEvent(CORRUPT, events.get(cut).payload(), false, false, false));
      return cutShort;
    }
    cutShort.add(
        new StreamEvent(error.type().streamName(), errorBody(error.message()), true, false, false));
    return cutShort;
  }

  /**
   * Just after the {@code afterDeltas}th delta; before messageStop when the reply has fewer deltas.
   */
  private static int errorPosition(List<StreamEvent> events, int afterDeltas, int messageStop) {
    if (afterDeltas == 0) {
      return 1;
    }
    int seen = 0;
    for (int i = 0; i < messageStop; i++) {
      if (events.get(i).contentDelta() && ++seen == afterDeltas) {
        return i + 1;
      }
    }
    return messageStop;
  }

  /**
   * Type of the pseudo-event written as a frame whose message CRC is wrong ({@code @sim
   * stream-fault=corrupt}).
   */
  static final String CORRUPT = "corrupt-frame";

  /** Encodes one event as an event-stream message (prelude, headers, payload, both CRCs). */
  static byte[] encode(StreamEvent event) {
    if (CORRUPT.equals(event.type())) {
      byte[] frame = encode(StreamEvent.event("contentBlockDelta", event.payload()));
      frame[frame.length - 1] ^= 0x5A; // the message CRC no longer matches
      return frame;
    }
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(
        event.exception() ? ":exception-type" : ":event-type",
        HeaderValue.fromString(event.type()));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString(event.exception() ? "exception" : "event"));
    byte[] payload;
    try {
      payload = JSON.writeValueAsBytes(event.payload());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + event.type(), e);
    }
    ByteBuffer encoded = new Message(headers, payload).toByteBuffer();
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    return bytes;
  }

  /** The service tier and latency setting the answer was produced with, as Bedrock reports them. */
  private static void echo(ReplyScript.Echoes echoes, ObjectNode into) {
    if (echoes.serviceTier() != null) {
      into.putObject("serviceTier").put("type", echoes.serviceTier());
    }
    if (echoes.latency() != null) {
      into.putObject("performanceConfig").put("latency", echoes.latency());
    }
  }

  static ObjectNode errorBody(String message) {
    return JSON.createObjectNode().put("message", message);
  }

  static byte[] bytes(ObjectNode json) {
    try {
      return JSON.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise JSON", e);
    }
  }

  static ObjectNode usage(ReplyScript.Usage usage) {
    ObjectNode node = JSON.createObjectNode();
    node.put("inputTokens", usage.inputTokens());
    node.put("outputTokens", usage.outputTokens());
    node.put("totalTokens", usage.totalTokens());
    // Bedrock leaves the cache figures out unless prompt caching was involved.
    if (usage.cacheReadInputTokens() > 0) {
      node.put("cacheReadInputTokens", usage.cacheReadInputTokens());
    }
    if (usage.cacheWriteInputTokens() > 0) {
      node.put("cacheWriteInputTokens", usage.cacheWriteInputTokens());
    }
    return node;
  }

  static boolean hasText(ReplyScript script) {
    return script.text() != null && !script.text().isEmpty();
  }

  private static ObjectNode blockPayload(int index) {
    return JSON.createObjectNode().put("contentBlockIndex", index);
  }

  private static StreamEvent delta(int index, String kind, ObjectNode value, boolean text) {
    ObjectNode payload = blockPayload(index);
    payload.putObject("delta").set(kind, value);
    return new StreamEvent("contentBlockDelta", payload, false, true, text);
  }

  private static StreamEvent blockStop(int index) {
    return StreamEvent.event("contentBlockStop", blockPayload(index));
  }

  /** The JSON text in two or three pieces, as Bedrock streams tool arguments. */
  static List<String> fragments(String json) {
    int pieces = Math.min(3, json.length());
    if (pieces <= 1) {
      return List.of(json);
    }
    List<String> fragments = new ArrayList<>(pieces);
    int size = (json.length() + pieces - 1) / pieces;
    for (int start = 0; start < json.length(); start += size) {
      fragments.add(json.substring(start, Math.min(json.length(), start + size)));
    }
    return fragments;
  }
}
