package io.github.bedrockgateway.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Renders a {@link ReplyScript} as Claude on Bedrock answers InvokeModel: the Messages response
 * body (id {@code msg_bdrk_...}) with Bedrock's token-count and latency headers, and for
 * InvokeModelWithResponseStream one event-stream {@code chunk} frame per Anthropic stream event,
 * its payload {@code {"bytes": "<base64 of the event JSON>"}}, the {@code message_stop} event
 * carrying {@code amazon-bedrock-invocationMetrics}. In-stream exceptions are the same frames as
 * ConverseStream's.
 *
 * <p>One per request: it carries the message id and the header values echoed from the request.
 */
final class AnthropicWire implements Wire {

  static final String INPUT_TOKENS_HEADER = "X-Amzn-Bedrock-Input-Token-Count";
  static final String OUTPUT_TOKENS_HEADER = "X-Amzn-Bedrock-Output-Token-Count";
  static final String LATENCY_HEADER = "X-Amzn-Bedrock-Invocation-Latency";
  static final String CACHE_READ_HEADER = "X-Amzn-Bedrock-Cache-Read-Input-Token-Count";
  static final String CACHE_WRITE_HEADER = "X-Amzn-Bedrock-Cache-Write-Input-Token-Count";

  private static final String CHUNK = "chunk";

  private final String model;
  private final String messageId;
  private final Map<String, String> echoedHeaders;

  /**
   * @param model what the answer's {@code model} says ({@link AnthropicRequest#modelName})
   * @param echoedHeaders response headers repeating the request's (service tier, latency setting)
   */
  AnthropicWire(String model, Map<String, String> echoedHeaders) {
    this.model = model;
    this.messageId = "msg_bdrk_01" + UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    this.echoedHeaders = echoedHeaders;
  }

  @Override
  public void answer(HttpServerResponse response, ReplyScript script, long latencyMs) {
    ObjectNode message = messageHead();
    ArrayNode content = message.putArray("content");
    if (script.reasoning() != null) {
      content
          .addObject()
          .put("type", "thinking")
          .put("thinking", script.reasoning().text())
          .put("signature", script.reasoning().signature());
    }
    if (script.redacted() != null) {
      content.addObject().put("type", "redacted_thinking").put("data", script.redacted());
    }
    if (ConverseWire.hasText(script)) {
      content.addObject().put("type", "text").put("text", script.text());
    }
    for (ReplyScript.ToolCall call : script.toolCalls()) {
      content
          .addObject()
          .put("type", "tool_use")
          .put("id", toolUseId(call))
          .put("name", call.name())
          .set("input", call.input());
    }
    message.put("stop_reason", AnthropicRequest.stopReason(script.stopReason()));
    message.put("stop_sequence", script.stopSequence());
    message.set("usage", usage(script.usage(), script.usage().outputTokens()));
    ReplyScript.Usage usage = script.usage();
    echoedHeaders.forEach(response::putHeader);
    response
        .putHeader(INPUT_TOKENS_HEADER, String.valueOf(usage.inputTokens()))
        .putHeader(OUTPUT_TOKENS_HEADER, String.valueOf(usage.outputTokens()))
        .putHeader(LATENCY_HEADER, String.valueOf(latencyMs));
    if (usage.cacheReadInputTokens() > 0) {
      response.putHeader(CACHE_READ_HEADER, String.valueOf(usage.cacheReadInputTokens()));
    }
    if (usage.cacheWriteInputTokens() > 0) {
      response.putHeader(CACHE_WRITE_HEADER, String.valueOf(usage.cacheWriteInputTokens()));
    }
    response
        .setStatusCode(200)
        .putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(ConverseWire.bytes(message)));
  }

  /**
   * {@code message_start}; per block {@code content_block_start}, its deltas ({@code
   * thinking_delta} per word then one {@code signature_delta}; {@code text_delta} per word; {@code
   * input_json_delta} in two or three pieces) and {@code content_block_stop}; {@code message_delta}
   * with the stop reason and output tokens; {@code message_stop}. A scripted stream error cuts it
   * short as in ConverseStream.
   */
  @Override
  public List<ConverseWire.StreamEvent> streamEvents(ReplyScript script) {
    List<ConverseWire.StreamEvent> events = new ArrayList<>();
    ObjectNode start = event("message_start");
    ObjectNode message = messageHead();
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.set("usage", usage(script.usage(), 1));
    start.set("message", message);
    events.add(chunk(start, false, false));
    int index = 0;
    if (script.reasoning() != null) {
      events.add(
          blockStart(
              index,
              ConverseWire.JSON
                  .createObjectNode()
                  .put("type", "thinking")
                  .put("thinking", "")
                  .put("signature", "")));
      for (String piece : ReplyScript.wordPieces(script.reasoning().text())) {
        events.add(
            delta(
                index,
                ConverseWire.JSON
                    .createObjectNode()
                    .put("type", "thinking_delta")
                    .put("thinking", piece),
                false));
      }
      events.add(
          delta(
              index,
              ConverseWire.JSON
                  .createObjectNode()
                  .put("type", "signature_delta")
                  .put("signature", script.reasoning().signature()),
              false));
      events.add(blockStop(index++));
    }
    if (script.redacted() != null) {
      events.add(
          blockStart(
              index,
              ConverseWire.JSON
                  .createObjectNode()
                  .put("type", "redacted_thinking")
                  .put("data", script.redacted())));
      events.add(blockStop(index++));
    }
    if (ConverseWire.hasText(script)) {
      events.add(
          blockStart(
              index, ConverseWire.JSON.createObjectNode().put("type", "text").put("text", "")));
      for (String piece : ReplyScript.wordPieces(script.text())) {
        events.add(
            delta(
                index,
                ConverseWire.JSON.createObjectNode().put("type", "text_delta").put("text", piece),
                true));
      }
      events.add(blockStop(index++));
    }
    for (ReplyScript.ToolCall call : script.toolCalls()) {
      ObjectNode block =
          ConverseWire.JSON
              .createObjectNode()
              .put("type", "tool_use")
              .put("id", toolUseId(call))
              .put("name", call.name());
      block.putObject("input");
      events.add(blockStart(index, block));
      for (String fragment : ConverseWire.fragments(call.inputJson())) {
        events.add(
            delta(
                index,
                ConverseWire.JSON
                    .createObjectNode()
                    .put("type", "input_json_delta")
                    .put("partial_json", fragment),
                false));
      }
      events.add(blockStop(index++));
    }
    int messageDelta = events.size();
    ObjectNode delta = event("message_delta");
    delta
        .putObject("delta")
        .put("stop_reason", AnthropicRequest.stopReason(script.stopReason()))
        .put("stop_sequence", script.stopSequence());
    delta.putObject("usage").put("output_tokens", script.usage().outputTokens());
    events.add(chunk(delta, false, false));
    ObjectNode stop = event("message_stop");
    ObjectNode metrics = stop.putObject("amazon-bedrock-invocationMetrics");
    metrics.put("inputTokenCount", script.usage().inputTokens());
    metrics.put("outputTokenCount", script.usage().outputTokens());
    if (script.usage().cacheReadInputTokens() > 0) {
      metrics.put("cacheReadInputTokenCount", script.usage().cacheReadInputTokens());
    }
    if (script.usage().cacheWriteInputTokens() > 0) {
      metrics.put("cacheWriteInputTokenCount", script.usage().cacheWriteInputTokens());
    }
    events.add(chunk(stop, false, false));
    return ConverseWire.withStreamError(events, messageDelta, script.streamError());
  }

  /**
   * A chunk frame wraps the event's JSON in base64; message_stop gets its latencies as it leaves.
   */
  @Override
  public byte[] frame(ConverseWire.StreamEvent event, long elapsedMs, long firstByteMs) {
    if (event.exception() || !event.type().equals(CHUNK)) {
      return ConverseWire.encode(event);
    }
    ObjectNode metrics = (ObjectNode) event.payload().get("amazon-bedrock-invocationMetrics");
    if (metrics != null) {
      metrics.put("invocationLatency", elapsedMs);
      metrics.put("firstByteLatency", firstByteMs);
    }
    String bytes = Base64.getEncoder().encodeToString(ConverseWire.bytes(event.payload()));
    return ConverseWire.encode(
        ConverseWire.StreamEvent.event(
            CHUNK, ConverseWire.JSON.createObjectNode().put("bytes", bytes)));
  }

  private ObjectNode messageHead() {
    return ConverseWire.JSON
        .createObjectNode()
        .put("id", messageId)
        .put("type", "message")
        .put("role", "assistant")
        .put("model", model);
  }

  /**
   * Anthropic's usage: input tokens beside (not including) the cache figures, which are always
   * present.
   */
  private static ObjectNode usage(ReplyScript.Usage usage, int outputTokens) {
    return ConverseWire.JSON
        .createObjectNode()
        .put("input_tokens", usage.inputTokens())
        .put("cache_creation_input_tokens", usage.cacheWriteInputTokens())
        .put("cache_read_input_tokens", usage.cacheReadInputTokens())
        .put("output_tokens", outputTokens);
  }

  /**
   * Claude on Bedrock names its tool calls {@code toolu_bdrk_...}; the rest of the id is the
   * planned one.
   */
  static String toolUseId(ReplyScript.ToolCall call) {
    return "toolu_bdrk_01" + call.toolUseId().substring("tooluse_".length());
  }

  private static ObjectNode event(String type) {
    return ConverseWire.JSON.createObjectNode().put("type", type);
  }

  private static ConverseWire.StreamEvent chunk(
      ObjectNode event, boolean contentDelta, boolean textDelta) {
    return new ConverseWire.StreamEvent(CHUNK, event, false, contentDelta, textDelta);
  }

  private static ConverseWire.StreamEvent blockStart(int index, ObjectNode block) {
    ObjectNode start = event("content_block_start").put("index", index);
    start.set("content_block", block);
    return chunk(start, false, false);
  }

  private static ConverseWire.StreamEvent delta(int index, ObjectNode delta, boolean text) {
    ObjectNode event = event("content_block_delta").put("index", index);
    event.set("delta", delta);
    return chunk(event, true, text);
  }

  private static ConverseWire.StreamEvent blockStop(int index) {
    return chunk(event("content_block_stop").put("index", index), false, false);
  }
}
