package io.github.bedrockgateway.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.github.bedrockgateway.converse.Documents;
import io.github.bedrockgateway.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Converse response -> Anthropic Messages response, plus the pieces the stream translator shares
 * with it (stop reasons, usage). Pure functions.
 */
public final class ConverseToAnthropic {

  private ConverseToAnthropic() {}

  /**
   * Maps every Bedrock stop reason to an Anthropic {@code stop_reason}. Exhaustive on purpose, with
   * no default: an SDK upgrade that adds a value fails to compile, and a test walks {@code
   * StopReason.values()}.
   */
  public static String stopReason(StopReason reason) {
    if (reason == null) {
      return "end_turn";
    }
    return switch (reason) {
      case END_TURN -> "end_turn";
      case TOOL_USE -> "tool_use";
      case MAX_TOKENS -> "max_tokens";
      case STOP_SEQUENCE -> "stop_sequence";
      case MODEL_CONTEXT_WINDOW_EXCEEDED -> "model_context_window_exceeded";
      // A guardrail or content filter stopped the answer: Anthropic's word for a withheld answer.
      case GUARDRAIL_INTERVENED, CONTENT_FILTERED -> "refusal";
      // The model ended its turn with output Bedrock could not parse: what it produced is returned
      // as is, and the turn is over.
      case MALFORMED_MODEL_OUTPUT, MALFORMED_TOOL_USE -> "end_turn";
      case UNKNOWN_TO_SDK_VERSION -> "end_turn";
    };
  }

  /**
   * The stop sequence that ended the answer: Converse does not say which for these models, so it is
   * named only when the request had exactly one.
   */
  static String stopSequence(StopReason reason, List<String> requested) {
    return reason == StopReason.STOP_SEQUENCE && requested.size() == 1 ? requested.get(0) : null;
  }

  /** The Anthropic message for a Converse response. */
  public static byte[] message(
      ConverseResponse response, String id, String clientModel, List<String> stopSequences) {
    List<ContentBlock> blocks =
        response.output() != null && response.output().message() != null
            ? response.output().message().content()
            : List.of();
    try (ByteArrayBuilder out = new ByteArrayBuilder(512);
        JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeStringField("type", "message");
      g.writeStringField("role", "assistant");
      g.writeStringField("model", clientModel);
      g.writeArrayFieldStart("content");
      for (ContentBlock b : blocks) {
        writeBlock(g, b);
      }
      g.writeEndArray();
      g.writeStringField("stop_reason", stopReason(response.stopReason()));
      g.writeStringField("stop_sequence", stopSequence(response.stopReason(), stopSequences));
      g.writeFieldName("usage");
      writeUsage(g, response.usage());
      g.writeEndObject();
      g.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeBlock(JsonGenerator g, ContentBlock b) throws IOException {
    if (b.text() != null) {
      g.writeStartObject();
      g.writeStringField("type", "text");
      g.writeStringField("text", b.text());
      g.writeEndObject();
    } else if (b.toolUse() != null) {
      g.writeStartObject();
      g.writeStringField("type", "tool_use");
      g.writeStringField("id", b.toolUse().toolUseId());
      g.writeStringField("name", b.toolUse().name());
      g.writeFieldName("input");
      if (b.toolUse().input() == null || !b.toolUse().input().isMap()) {
        g.writeStartObject();
        g.writeEndObject();
      } else {
        Documents.write(b.toolUse().input(), g);
      }
      g.writeEndObject();
    } else if (b.reasoningContent() != null) {
      ReasoningContentBlock r = b.reasoningContent();
      g.writeStartObject();
      if (r.redactedContent() != null) {
        g.writeStringField("type", "redacted_thinking");
        g.writeStringField(
            "data", Base64.getEncoder().encodeToString(r.redactedContent().asByteArrayUnsafe()));
      } else {
        g.writeStringField("type", "thinking");
        g.writeStringField(
            "thinking",
            r.reasoningText() == null || r.reasoningText().text() == null
                ? ""
                : r.reasoningText().text());
        String signature = r.reasoningText() == null ? null : r.reasoningText().signature();
        g.writeStringField("signature", signature == null ? "" : signature);
      }
      g.writeEndObject();
    }
    // Other Converse blocks (citations, guard content, images Bedrock does not produce here) have
    // no Anthropic response block: a model that cannot produce them never sends them.
  }

  /**
   * Anthropic's {@code usage}; Converse's inputTokens, like Anthropic's, excludes cache reads and
   * writes.
   */
  static void writeUsage(JsonGenerator g, TokenUsage usage) throws IOException {
    g.writeStartObject();
    g.writeNumberField("input_tokens", usage == null ? 0 : nz(usage.inputTokens()));
    g.writeNumberField(
        "cache_creation_input_tokens", usage == null ? 0 : nz(usage.cacheWriteInputTokens()));
    g.writeNumberField(
        "cache_read_input_tokens", usage == null ? 0 : nz(usage.cacheReadInputTokens()));
    g.writeNumberField("output_tokens", usage == null ? 0 : nz(usage.outputTokens()));
    g.writeEndObject();
  }

  private static int nz(Integer v) {
    return v == null ? 0 : v;
  }
}
