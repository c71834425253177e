package io.github.bedrockgateway.observability;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.bedrockgateway.json.Json;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * One line per request on the logger {@code gateway.access}: request id, client key name (never the
 * key), protocol ({@code openai.chat}, {@code bedrock.converse}...), model, status, tokens, latency
 * and the Bedrock request id, as JSON or key=value text.
 */
@Singleton
public class AccessLog {

  private static final Logger LOG = Logger.getLogger("gateway.access");

  private final boolean enabled;
  private final boolean json;

  /**
   * The console writes every log line as a JSON object (quarkus.log.console.json): fields go into
   * it.
   */
  private final boolean structured;

  AccessLog(ObservabilityConfig config) {
    this.enabled = config.accessLog();
    this.json = config.accessLogFormat() == AccessLogFormat.JSON;
    Config all = ConfigProvider.getConfig();
    this.structured =
        all.getOptionalValue("quarkus.log.console.json.enabled", Boolean.class)
            .or(() -> all.getOptionalValue("quarkus.log.console.json", Boolean.class))
            .orElse(false);
  }

  public void write(Exchange e) {
    if (!enabled || !LOG.isInfoEnabled()) {
      return;
    }
    if (structured) {
      // A JSON line inside the JSON formatter's "message" would be a string of escaped JSON: the
      // fields
      // travel as the record's MDC instead, which the formatter writes as an object ("mdc"), and
      // the
      // message is the readable text form.
      ExtLogRecord record =
          new ExtLogRecord(
              Level.INFO, text(e), ExtLogRecord.FormatStyle.NO_FORMAT, AccessLog.class.getName());
      record.setMdc(fields(e));
      JBOSS.logRaw(record);
    } else {
      LOG.info(json ? json(e) : text(e));
    }
  }

  private static final org.jboss.logmanager.Logger JBOSS =
      org.jboss.logmanager.Logger.getLogger("gateway.access");

  /** The access line's fields, as text (MDC values are strings); absent values are left out. */
  static Map<String, String> fields(Exchange e) {
    Map<String, String> f = new LinkedHashMap<>();
    put(f, "request_id", e.requestId);
    put(f, "key", e.keyName);
    put(f, "model", e.model);
    put(f, "bedrock_model", e.bedrockModelId);
    f.put("stream", Boolean.toString(e.stream));
    f.put("status", Integer.toString(e.status));
    put(f, "error", e.errorCode);
    TokenUsage u = e.usage;
    if (u != null) {
      f.put("input_tokens", Integer.toString(nz(u.inputTokens())));
      f.put("output_tokens", Integer.toString(nz(u.outputTokens())));
      f.put("cache_read_tokens", Integer.toString(nz(u.cacheReadInputTokens())));
      f.put("cache_write_tokens", Integer.toString(nz(u.cacheWriteInputTokens())));
    }
    f.put("latency_ms", Long.toString((System.nanoTime() - e.startNanos) / 1_000_000));
    if (e.firstTokenNanos != 0) {
      f.put("ttft_ms", Long.toString((e.firstTokenNanos - e.startNanos) / 1_000_000));
    }
    put(f, "bedrock_request_id", e.bedrockRequestId);
    return f;
  }

  private static void put(Map<String, String> f, String name, String value) {
    if (value != null) {
      f.put(name, value);
    }
  }

  static String json(Exchange e) {
    StringWriter w = new StringWriter(256);
    try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("request_id", e.requestId);
      g.writeStringField("key", e.keyName);
      g.writeStringField("protocol", e.protocol);
      g.writeStringField("model", e.model);
      g.writeStringField("bedrock_model", e.bedrockModelId);
      g.writeBooleanField("stream", e.stream);
      g.writeNumberField("status", e.status);
      g.writeStringField("error", e.errorCode);
      TokenUsage u = e.usage;
      if (u != null) {
        g.writeNumberField("input_tokens", nz(u.inputTokens()));
        g.writeNumberField("output_tokens", nz(u.outputTokens()));
        g.writeNumberField("cache_read_tokens", nz(u.cacheReadInputTokens()));
        g.writeNumberField("cache_write_tokens", nz(u.cacheWriteInputTokens()));
      }
      g.writeNumberField("latency_ms", (System.nanoTime() - e.startNanos) / 1_000_000);
      if (e.firstTokenNanos != 0) {
        g.writeNumberField("ttft_ms", (e.firstTokenNanos - e.startNanos) / 1_000_000);
      }
      g.writeStringField("bedrock_request_id", e.bedrockRequestId);
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return w.toString();
  }

  static String text(Exchange e) {
    StringBuilder b = new StringBuilder(256);
    b.append("request_id=")
        .append(e.requestId)
        .append(" key=")
        .append(e.keyName)
        .append(" protocol=")
        .append(e.protocol)
        .append(" model=")
        .append(clean(e.model))
        .append(" bedrock_model=")
        .append(e.bedrockModelId)
        .append(" stream=")
        .append(e.stream)
        .append(" status=")
        .append(e.status);
    if (e.errorCode != null) {
      b.append(" error=").append(e.errorCode);
    }
    TokenUsage u = e.usage;
    if (u != null) {
      b.append(" input_tokens=")
          .append(nz(u.inputTokens()))
          .append(" output_tokens=")
          .append(nz(u.outputTokens()))
          .append(" cache_read_tokens=")
          .append(nz(u.cacheReadInputTokens()))
          .append(" cache_write_tokens=")
          .append(nz(u.cacheWriteInputTokens()));
    }
    b.append(" latency_ms=").append((System.nanoTime() - e.startNanos) / 1_000_000);
    if (e.firstTokenNanos != 0) {
      b.append(" ttft_ms=").append((e.firstTokenNanos - e.startNanos) / 1_000_000);
    }
    b.append(" bedrock_request_id=").append(e.bedrockRequestId);
    return b.toString();
  }

  /** Client-sent text in a text line: no control characters (no forged lines), bounded length. */
  static String clean(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f || c == ' ' ? '_' : c);
    }
    return b.toString();
  }

  private static int nz(Integer v) {
    return v == null ? 0 : v;
  }
}
