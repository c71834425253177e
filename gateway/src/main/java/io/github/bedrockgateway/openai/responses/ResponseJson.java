package io.github.bedrockgateway.openai.responses;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Writes the Responses API's objects: the response, its output items (finished, in progress, and as
 * the input items that continue a conversation) and its usage. Shared by the plain answer and the
 * stream, so both give the same objects. Pure functions.
 */
final class ResponseJson {

  private ResponseJson() {}

  /**
   * Everything a response object says besides its output: who it is, what it answered, how it
   * ended.
   *
   * @param status {@code in_progress}, {@code completed}, {@code incomplete} or {@code failed}
   * @param incompleteReason {@code max_output_tokens} or {@code content_filter} when incomplete,
   *     else null
   * @param error the error of a failed response, else null
   * @param usage Bedrock's usage, null while in progress
   * @param reasoningCharacters characters of reasoning text, for the reasoning-token estimate
   * @param serviceTier the tier Bedrock reports, or null
   */
  record State(
      String status,
      String incompleteReason,
      GatewayException error,
      TokenUsage usage,
      long reasoningCharacters,
      String serviceTier) {

    static final State IN_PROGRESS = new State("in_progress", null, null, null, 0, null);
  }

  /** The response object as JSON bytes. */
  static byte[] response(
      String id, long createdAt, ResponsesRequest request, State state, List<OutputItem> output) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(1024);
        JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      writeResponse(g, id, createdAt, request, state, output);
      g.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The response object as a JSON string, for the stream's events. {@code echo} is {@link
   * #echoFields} of the request, written once per stream: created, in progress and completed repeat
   * it.
   */
  static String responseString(
      String id,
      long createdAt,
      ResponsesRequest request,
      State state,
      List<OutputItem> output,
      String echo) {
    String head =
        string(
            g -> {
              g.writeStartObject();
              writeOutcome(g, id, createdAt, request, state, output);
              g.writeEndObject();
            });
    String usage =
        string(
            g -> {
              g.writeStartObject();
              writeUsageField(g, state);
              g.writeEndObject();
            });
    return head.substring(0, head.length() - 1) + "," + echo + "," + usage.substring(1);
  }

  /** The request settings the response repeats, as the members of a JSON object (no braces). */
  static String echoFields(ResponsesRequest request) {
    String object =
        string(
            g -> {
              g.writeStartObject();
              writeEcho(g, request.echo());
              g.writeEndObject();
            });
    return object.substring(1, object.length() - 1);
  }

  /**
   * The response object: what this answer is (id, status, output), the request settings it repeats,
   * then the usage, in the order the stream writes them. The usage comes last so that a completed
   * stream's last bytes hold it (bench/run.sh tells a completed stream from a failed one by them).
   */
  static void writeResponse(
      JsonGenerator g,
      String id,
      long createdAt,
      ResponsesRequest request,
      State state,
      List<OutputItem> output)
      throws IOException {
    g.writeStartObject();
    writeOutcome(g, id, createdAt, request, state, output);
    writeEcho(g, request.echo());
    writeUsageField(g, state);
    g.writeEndObject();
  }

  private static void writeUsageField(JsonGenerator g, State state) throws IOException {
    if (state.usage() != null) {
      g.writeFieldName("usage");
      writeUsage(g, state.usage(), state.reasoningCharacters());
    } else {
      g.writeNullField("usage");
    }
  }

  private static void writeOutcome(
      JsonGenerator g,
      String id,
      long createdAt,
      ResponsesRequest request,
      State state,
      List<OutputItem> output)
      throws IOException {
    RequestEcho echo = request.echo();
    g.writeStringField("id", id);
    g.writeStringField("object", "response");
    g.writeNumberField("created_at", createdAt);
    g.writeStringField("status", state.status());
    if (state.error() != null) {
      g.writeObjectFieldStart("error");
      g.writeStringField(
          "code", state.error().code() != null ? state.error().code() : state.error().type());
      g.writeStringField("message", state.error().getMessage());
      g.writeEndObject();
    } else {
      g.writeNullField("error");
    }
    if (state.incompleteReason() != null) {
      g.writeObjectFieldStart("incomplete_details");
      g.writeStringField("reason", state.incompleteReason());
      g.writeEndObject();
    } else {
      g.writeNullField("incomplete_details");
    }
    g.writeStringField("model", request.clientModel());
    g.writeArrayFieldStart("output");
    for (OutputItem item : output) {
      writeItem(g, item, request.includeEncryptedReasoning());
    }
    g.writeEndArray();
    g.writeStringField(
        "service_tier",
        state.serviceTier() != null
            ? state.serviceTier()
            : echo.serviceTier() != null ? echo.serviceTier() : "default");
  }

  private static void writeEcho(JsonGenerator g, RequestEcho echo) throws IOException {
    g.writeBooleanField("background", false);
    g.writeStringField("instructions", echo.instructions());
    writeNumber(g, "max_output_tokens", echo.maxOutputTokens());
    writeNumber(g, "max_tool_calls", echo.maxToolCalls());
    g.writeBooleanField("parallel_tool_calls", echo.parallelToolCalls());
    g.writeStringField("previous_response_id", echo.previousResponseId());
    g.writeStringField("prompt_cache_key", echo.promptCacheKey());
    g.writeObjectFieldStart("reasoning");
    g.writeStringField("effort", echo.reasoningEffort());
    g.writeStringField("summary", echo.reasoningSummary());
    g.writeEndObject();
    g.writeStringField("safety_identifier", echo.safetyIdentifier());
    g.writeBooleanField("store", echo.store());
    writeNumber(g, "temperature", echo.temperature());
    g.writeObjectFieldStart("text");
    g.writeFieldName("format");
    Json.MAPPER.writeTree(g, echo.textFormat());
    g.writeStringField("verbosity", echo.verbosity() != null ? echo.verbosity() : "medium");
    g.writeEndObject();
    g.writeFieldName("tool_choice");
    Json.MAPPER.writeTree(g, echo.toolChoice());
    g.writeFieldName("tools");
    Json.MAPPER.writeTree(g, echo.tools());
    g.writeNumberField("top_logprobs", echo.topLogprobs());
    writeNumber(g, "top_p", echo.topP());
    g.writeStringField("truncation", echo.truncation());
    g.writeStringField("user", echo.user());
    g.writeFieldName("metadata");
    Json.MAPPER.writeTree(g, echo.metadata());
  }

  private static void writeNumber(JsonGenerator g, String field, Number value) throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else if (value instanceof Integer i) {
      g.writeNumberField(field, i);
    } else {
      g.writeNumberField(field, value.doubleValue());
    }
  }

  /**
   * A finished output item, as in the response's {@code output} and in {@code
   * response.output_item.done}.
   */
  static void writeItem(JsonGenerator g, OutputItem item, boolean includeEncrypted)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("id", item.id());
    if (item instanceof OutputItem.Message m) {
      g.writeStringField("type", "message");
      g.writeStringField("status", m.incomplete() ? "incomplete" : "completed");
      g.writeStringField("role", "assistant");
      g.writeArrayFieldStart("content");
      writeTextPart(g, m.text());
      g.writeEndArray();
    } else if (item instanceof OutputItem.FunctionCall f) {
      writeCall(g, "function_call", "completed", f.callId(), f.name());
      g.writeStringField("arguments", f.arguments());
    } else if (item instanceof OutputItem.CustomToolCall c) {
      writeCall(g, "custom_tool_call", "completed", c.callId(), c.name());
      g.writeStringField("input", c.input());
    } else if (item instanceof OutputItem.Reasoning r) {
      g.writeStringField("type", "reasoning");
      g.writeArrayFieldStart("summary");
      if (r.summary() != null && !r.summary().isEmpty()) {
        writeSummaryPart(g, r.summary());
      }
      g.writeEndArray();
      if (includeEncrypted && r.sealed() != null) {
        g.writeStringField("encrypted_content", r.sealed());
      }
    }
    g.writeEndObject();
  }

  /** An item as {@code response.output_item.added} announces it: no content yet. */
  static void writeItemStarted(JsonGenerator g, OutputItem item) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", item.id());
    if (item instanceof OutputItem.Message) {
      g.writeStringField("type", "message");
      g.writeStringField("status", "in_progress");
      g.writeStringField("role", "assistant");
      g.writeArrayFieldStart("content");
      g.writeEndArray();
    } else if (item instanceof OutputItem.FunctionCall f) {
      writeCall(g, "function_call", "in_progress", f.callId(), f.name());
      g.writeStringField("arguments", "");
    } else if (item instanceof OutputItem.CustomToolCall c) {
      writeCall(g, "custom_tool_call", "in_progress", c.callId(), c.name());
      g.writeStringField("input", "");
    } else if (item instanceof OutputItem.Reasoning) {
      g.writeStringField("type", "reasoning");
      g.writeArrayFieldStart("summary");
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void writeCall(
      JsonGenerator g, String type, String status, String callId, String name) throws IOException {
    g.writeStringField("type", type);
    g.writeStringField("status", status);
    g.writeStringField("call_id", callId);
    g.writeStringField("name", name);
  }

  /**
   * An output item as the input item that replays it in the next turn (what a stored response
   * continues from): reasoning always keeps its sealed blocks, whatever the client included.
   */
  static void writeInputItem(JsonGenerator g, OutputItem item) throws IOException {
    g.writeStartObject();
    if (item instanceof OutputItem.Message m) {
      g.writeStringField("type", "message");
      g.writeStringField("role", "assistant");
      g.writeArrayFieldStart("content");
      g.writeStartObject();
      g.writeStringField("type", "output_text");
      g.writeStringField("text", m.text());
      g.writeEndObject();
      g.writeEndArray();
    } else if (item instanceof OutputItem.FunctionCall f) {
      g.writeStringField("type", "function_call");
      g.writeStringField("call_id", f.callId());
      g.writeStringField("name", f.name());
      g.writeStringField("arguments", f.arguments());
    } else if (item instanceof OutputItem.CustomToolCall c) {
      g.writeStringField("type", "custom_tool_call");
      g.writeStringField("call_id", c.callId());
      g.writeStringField("name", c.name());
      g.writeStringField("input", c.input());
    } else if (item instanceof OutputItem.Reasoning r) {
      g.writeStringField("type", "reasoning");
      g.writeArrayFieldStart("summary");
      g.writeEndArray();
      if (r.sealed() != null) {
        g.writeStringField("encrypted_content", r.sealed());
      }
    }
    g.writeEndObject();
  }

  static void writeTextPart(JsonGenerator g, String text) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "output_text");
    g.writeArrayFieldStart("annotations");
    g.writeEndArray();
    g.writeArrayFieldStart("logprobs");
    g.writeEndArray();
    g.writeStringField("text", text);
    g.writeEndObject();
  }

  static void writeSummaryPart(JsonGenerator g, String text) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "summary_text");
    g.writeStringField("text", text);
    g.writeEndObject();
  }

  /**
   * Responses usage from Bedrock usage. Bedrock's {@code inputTokens} excludes the tokens read from
   * or written to the prompt cache, while {@code input_tokens} counts every prompt token, the
   * cached ones in {@code input_tokens_details.cached_tokens}; cache writes are shown in {@code
   * input_tokens_details.cache_write_tokens} (as chat does). {@code reasoning_tokens} is estimated
   * from the reasoning text (Bedrock reports no separate figure): a quarter of its characters,
   * rounded up, never more than {@code output_tokens}.
   */
  static void writeUsage(JsonGenerator g, TokenUsage usage, long reasoningCharacters)
      throws IOException {
    long input = nz(usage.inputTokens());
    long output = nz(usage.outputTokens());
    long cacheRead = nz(usage.cacheReadInputTokens());
    long cacheWrite = nz(usage.cacheWriteInputTokens());
    long prompt = input + cacheRead + cacheWrite;
    g.writeStartObject();
    g.writeNumberField("input_tokens", prompt);
    g.writeObjectFieldStart("input_tokens_details");
    g.writeNumberField("cached_tokens", cacheRead);
    g.writeNumberField("cache_write_tokens", cacheWrite);
    g.writeEndObject();
    g.writeNumberField("output_tokens", output);
    g.writeObjectFieldStart("output_tokens_details");
    g.writeNumberField("reasoning_tokens", Math.min(output, (reasoningCharacters + 3) / 4));
    g.writeEndObject();
    g.writeNumberField("total_tokens", prompt + output);
    g.writeEndObject();
  }

  /** A JSON value written into a string, for the stream's rare whole-object events. */
  interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  static String string(Writer writer) {
    StringWriter w = new StringWriter(1024);
    try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
      writer.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /**
   * The conversation a response continues from: the request's items, then its output as input
   * items.
   */
  static byte[] conversation(JsonNode requestItems, List<OutputItem> output) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(1024);
        JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      g.writeStartArray();
      for (JsonNode item : requestItems) {
        Json.MAPPER.writeTree(g, item);
      }
      for (OutputItem item : output) {
        writeInputItem(g, item);
      }
      g.writeEndArray();
      g.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long nz(Integer v) {
    return v == null ? 0 : v;
  }
}
