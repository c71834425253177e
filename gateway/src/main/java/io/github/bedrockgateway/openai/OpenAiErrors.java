package io.github.bedrockgateway.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.edge.KeySource;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Writes the OpenAI error envelope, as an HTTP answer or as an in-stream event. */
public final class OpenAiErrors {

  private OpenAiErrors() {}

  /** The edge's view of an OpenAI protocol: {@code x-request-id}, bearer keys, this envelope. */
  public static Edge.Protocol protocol(String name) {
    return new Edge.Protocol(name, "x-request-id", KeySource.BEARER, OpenAiErrors::send);
  }

  /** {@code {"error": {"message", "type", "param", "code"}}} */
  public static byte[] envelope(GatewayException e) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(256);
        JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeStringField("message", e.getMessage());
      g.writeStringField("type", e.type());
      g.writeStringField("param", e.param());
      g.writeStringField("code", e.code());
      g.writeEndObject();
      g.writeEndObject();
      g.flush();
      return out.toByteArray();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /**
   * Answers with the error's status, headers and envelope, unless the response has already begun.
   */
  public static void send(HttpServerResponse response, GatewayException e) {
    if (response.ended() || response.closed() || response.headWritten()) {
      return;
    }
    response.setStatusCode(e.status());
    for (Map.Entry<String, String> h : e.headers().entrySet()) {
      response.putHeader(h.getKey(), h.getValue());
    }
    response.putHeader("content-type", "application/json");
    response.end(Buffer.buffer(envelope(e)));
  }

  /** The error as one server-sent event, for failures after the stream has begun. */
  public static String event(GatewayException e) {
    return "data: " + new String(envelope(e), java.nio.charset.StandardCharsets.UTF_8) + "\n\n";
  }
}
