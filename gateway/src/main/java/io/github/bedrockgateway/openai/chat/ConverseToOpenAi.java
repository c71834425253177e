package io.github.bedrockgateway.openai.chat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.github.bedrockgateway.converse.Documents;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Converse response -> OpenAI {@code chat.completion}, plus the pieces the stream translator shares
 * with it (finish reasons, usage). Pure functions.
 */
public final class ConverseToOpenAi {

  private ConverseToOpenAi() {}

  /**
   * Maps every Bedrock stop reason to an OpenAI {@code finish_reason}. Exhaustive on purpose: a
   * test walks {@code StopReason.values()} so a value added to the SDK cannot slip through
   * unmapped.
   */
  public static String finishReason(StopReason reason) {
    if (reason == null) {
      return "stop";
    }
    return switch (reason) {
      case END_TURN, STOP_SEQUENCE -> "stop";
      case TOOL_USE -> "tool_calls";
      case MAX_TOKENS, MODEL_CONTEXT_WINDOW_EXCEEDED -> "length";
      case GUARDRAIL_INTERVENED, CONTENT_FILTERED -> "content_filter";
      // The model ended its turn with output Bedrock could not parse: what it produced is
      // returned as is; OpenAI has no closer reason than "stop".
      case MALFORMED_MODEL_OUTPUT, MALFORMED_TOOL_USE -> "stop";
      case UNKNOWN_TO_SDK_VERSION -> "stop";
    };
  }

  /** The OpenAI {@code chat.completion} JSON for a Converse response. */
  public static byte[] completion(
      ConverseResponse response, String id, long created, String model) {
    return completion(response, new ChatRequest(model, false, false, null), id, created);
  }

  /**
   * The OpenAI {@code chat.completion} JSON for a Converse response to {@code request}.
   *
   * <p>The input of the structured-output tool ({@link ChatRequest#structuredOutputTool()}) is the
   * message {@code content}, and such a turn finishes with {@code stop}; the text the model wrote
   * beside it is dropped, since the client parses {@code content} as JSON. A tool call that follows
   * signed reasoning carries it in its id ({@link SignedReasoning}).
   */
  public static byte[] completion(
      ConverseResponse response, ChatRequest request, String id, long created) {
    List<ContentBlock> blocks =
        response.output() != null && response.output().message() != null
            ? response.output().message().content()
            : List.of();
    String structuredTool = request.structuredOutputTool();
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    String structured = null;
    List<ReasoningContentBlock> pendingReasoning = new ArrayList<>();
    List<ToolUseBlock> toolCalls = new ArrayList<>();
    List<String> toolCallIds = new ArrayList<>();
    for (ContentBlock b : blocks) {
      if (b.text() != null) {
        text.append(b.text());
      } else if (b.reasoningContent() != null) {
        ReasoningContentBlock r = b.reasoningContent();
        pendingReasoning.add(r);
        if (r.reasoningText() != null && r.reasoningText().text() != null) {
          reasoning.append(r.reasoningText().text());
        }
      } else if (b.toolUse() != null) {
        ToolUseBlock t = b.toolUse();
        if (t.name() != null && t.name().equals(structuredTool)) {
          if (structured == null) {
            structured = Documents.toJsonString(t.input());
          }
        } else {
          toolCalls.add(t);
          toolCallIds.add(SignedReasoning.encode(t.toolUseId(), pendingReasoning));
          pendingReasoning.clear();
        }
      }
    }
    String finishReason = finishReason(response.stopReason());
    if (structured != null && toolCalls.isEmpty() && response.stopReason() == StopReason.TOOL_USE) {
      finishReason = "stop";
    }
    try (ByteArrayBuilder out = new ByteArrayBuilder(512);
        JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeStringField("object", "chat.completion");
      g.writeNumberField("created", created);
      g.writeStringField("model", request.clientModel());
      g.writeArrayFieldStart("choices");
      g.writeStartObject();
      g.writeNumberField("index", 0);
      g.writeObjectFieldStart("message");
      g.writeStringField("role", "assistant");
      // OpenAI sends content null when the turn is only tool calls, "" for an empty answer.
      if (structured != null) {
        g.writeStringField("content", structured);
      } else if (text.length() == 0 && !toolCalls.isEmpty()) {
        g.writeNullField("content");
      } else {
        g.writeStringField("content", text.toString());
      }
      if (reasoning.length() > 0) {
        g.writeStringField("reasoning_content", reasoning.toString());
      }
      if (!toolCalls.isEmpty()) {
        g.writeArrayFieldStart("tool_calls");
        for (int i = 0; i < toolCalls.size(); i++) {
          ToolUseBlock t = toolCalls.get(i);
          g.writeStartObject();
          g.writeStringField("id", toolCallIds.get(i));
          g.writeStringField("type", "function");
          g.writeObjectFieldStart("function");
          g.writeStringField("name", t.name());
          g.writeStringField("arguments", Documents.toJsonString(t.input()));
          g.writeEndObject();
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeNullField("refusal");
      g.writeEndObject();
      g.writeNullField("logprobs");
      g.writeStringField("finish_reason", finishReason);
      g.writeEndObject();
      g.writeEndArray();
      g.writeFieldName("usage");
      writeUsage(g, response.usage(), reasoning.length());
      if (response.serviceTier() != null && response.serviceTier().typeAsString() != null) {
        g.writeStringField("service_tier", response.serviceTier().typeAsString());
      }
      writeResponseFields(g, response.additionalModelResponseFields());
      g.writeEndObject();
      g.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The model's own response fields a client asked for with {@code
   * additionalModelResponseFieldPaths}, as the top-level extension field {@code
   * additionalModelResponseFields} (Converse's name).
   */
  static void writeResponseFields(JsonGenerator g, Document fields) throws IOException {
    if (fields != null && !fields.isNull()) {
      g.writeFieldName("additionalModelResponseFields");
      Documents.write(fields, g);
    }
  }

  /**
   * OpenAI usage from Bedrock usage. Bedrock's {@code inputTokens} excludes tokens read from or
   * written to the prompt cache, while OpenAI's {@code prompt_tokens} counts every prompt token and
   * reports the cached subset in {@code prompt_tokens_details.cached_tokens}. So {@code
   * prompt_tokens = inputTokens + cacheRead + cacheWrite}, {@code cached_tokens = cacheRead}, and
   * cache writes are shown in {@code prompt_tokens_details.cache_write_tokens}; a client that
   * prices {@code prompt_tokens - cached_tokens} at the input rate and {@code cached_tokens} at the
   * cache-read rate gets it right (cache writes, priced higher by Bedrock, are visible separately).
   * {@code completion_tokens_details.reasoning_tokens} is estimated from the reasoning text
   * (Bedrock reports no separate figure): a quarter of its characters, rounded up, and never more
   * than {@code completion_tokens}.
   */
  public static void writeUsage(JsonGenerator g, TokenUsage usage, long reasoningCharacters)
      throws IOException {
    long input = 0;
    long output = 0;
    long cacheRead = 0;
    long cacheWrite = 0;
    if (usage != null) {
      input = nz(usage.inputTokens());
      output = nz(usage.outputTokens());
      cacheRead = nz(usage.cacheReadInputTokens());
      cacheWrite = nz(usage.cacheWriteInputTokens());
    }
    long prompt = input + cacheRead + cacheWrite;
    g.writeStartObject();
    g.writeNumberField("prompt_tokens", prompt);
    g.writeNumberField("completion_tokens", output);
    g.writeNumberField("total_tokens", prompt + output);
    g.writeObjectFieldStart("prompt_tokens_details");
    g.writeNumberField("cached_tokens", cacheRead);
    g.writeNumberField("cache_write_tokens", cacheWrite);
    g.writeEndObject();
    g.writeObjectFieldStart("completion_tokens_details");
    g.writeNumberField("reasoning_tokens", Math.min(output, (reasoningCharacters + 3) / 4));
    g.writeEndObject();
    g.writeEndObject();
  }

  private static long nz(Integer v) {
    return v == null ? 0 : v;
  }
}
