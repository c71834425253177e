package io.github.bedrockgateway.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.sse.SseRelay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * InvokeModelWithResponseStream -> Anthropic server-sent events. Each {@code chunk} of the Bedrock
 * event stream holds one Anthropic stream event as JSON; it goes out as {@code event: TYPE} and
 * {@code data: JSON}, in order and as Bedrock produced it, with two changes: {@code message_start}
 * names the client's model, and {@code message_stop} loses Bedrock's {@code
 * amazon-bedrock-invocationMetrics} (read for the usage). Events are otherwise not re-encoded.
 *
 * <p>One per request, not thread-safe: it holds the usage seen so far and whether the stream ended
 * ({@code message_stop}, or an {@code error} event relayed as such).
 */
final class ClaudeStreamTranslator implements SseRelay.Translator<ResponseStream> {

  private static final String METRICS = "amazon-bedrock-invocationMetrics";

  private final String clientModel;
  private final AnthropicUsage usage = new AnthropicUsage();
  private boolean started;
  private boolean finished;
  private GatewayException relayedError;

  ClaudeStreamTranslator(String clientModel) {
    this.clientModel = clientModel;
  }

  @Override
  public void onEvent(ResponseStream event, StringBuilder out) {
    if (!(event instanceof PayloadPart part) || part.bytes() == null) {
      return; // an event type newer than this SDK: nothing a client of today could read
    }
    onChunk(part.bytes().asByteArrayUnsafe(), out);
  }

  /** One decoded chunk: an Anthropic stream event as JSON. */
  void onChunk(byte[] json, StringBuilder out) {
    String type = typeOf(json);
    String data;
    switch (type) {
      case "message_start" -> {
        ObjectNode event = tree(json);
        JsonNode message = event.get("message");
        if (message instanceof ObjectNode m) {
          m.put("model", clientModel);
          usage.add(m.get("usage"));
        }
        data = event.toString();
      }
      case "message_delta" -> {
        ObjectNode event = tree(json);
        usage.add(event.get("usage"));
        data = text(json, event);
      }
      case "message_stop" -> {
        ObjectNode event = tree(json);
        usage.addInvocationMetrics(event.get(METRICS));
        data = event.remove(METRICS) != null ? event.toString() : text(json, event);
        finished = true;
      }
      case "error" -> {
        ObjectNode event = tree(json);
        relayedError = errorOf(event.path("error"));
        data = text(json, event);
        finished = true;
      }
      default -> data = text(json, null);
    }
    started = true;
    out.append("event: ").append(type).append("\ndata: ").append(data).append("\n\n");
  }

  @Override
  public boolean complete(StringBuilder out) {
    return finished;
  }

  @Override
  public boolean started() {
    return started;
  }

  @Override
  public TokenUsage usage() {
    return usage.toTokenUsage();
  }

  @Override
  public GatewayException relayedError() {
    return relayedError;
  }

  /** The event's {@code type}, read without building a tree (it is the first field in practice). */
  static String typeOf(byte[] json) {
    try (JsonParser p = Json.FACTORY.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw unreadable();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("type".equals(name) && value == JsonToken.VALUE_STRING) {
          String type = p.getText();
          if (type.isEmpty() || type.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw unreadable();
          }
          return type;
        }
        p.skipChildren();
      }
      throw unreadable();
    } catch (IOException e) {
      throw unreadable();
    }
  }

  private static ObjectNode tree(byte[] json) {
    try {
      JsonNode node = Json.MAPPER.readTree(json);
      if (node instanceof ObjectNode o) {
        return o;
      }
    } catch (IOException e) {
      // below
    }
    throw unreadable();
  }

  /** The chunk's own text unless it spans lines (an SSE data line cannot), else the tree's. */
  private static String text(byte[] json, ObjectNode parsed) {
    for (byte b : json) {
      if (b == '\n' || b == '\r') {
        return (parsed != null ? parsed : tree(json)).toString();
      }
    }
    return new String(json, StandardCharsets.UTF_8);
  }

  /** The status an Anthropic error type stands for, for the access log and the metrics. */
  static GatewayException errorOf(JsonNode error) {
    String type = error.path("type").asText("api_error");
    String message = error.path("message").asText("");
    return switch (type) {
      case "overloaded_error" ->
          new GatewayException(503, GatewayException.SERVER_ERROR, message, null, "overloaded");
      case "rate_limit_error" ->
          new GatewayException(
              429, GatewayException.RATE_LIMIT, message, null, "rate_limit_exceeded");
      case "invalid_request_error" ->
          new GatewayException(400, GatewayException.INVALID_REQUEST, message, null, null);
      default -> new GatewayException(500, GatewayException.API_ERROR, message, null, type);
    };
  }

  private static GatewayException unreadable() {
    return new GatewayException(
        502,
        GatewayException.API_ERROR,
        "Bedrock sent a stream event that is not an Anthropic event.",
        null,
        "upstream_protocol_error");
  }
}
