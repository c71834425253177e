package io.github.bedrockgateway.anthropic;

import static io.github.bedrockgateway.error.GatewayException.invalid;
import static io.github.bedrockgateway.error.GatewayException.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.converse.CacheMarkers;
import io.github.bedrockgateway.converse.Documents;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.json.Json;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultStatus;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * The conversation of a Messages request as Converse takes it: {@code system} and the system turns
 * of {@code messages} as system blocks, the other turns merged by role, and what was counted on the
 * way (cache points, whether the history holds tool blocks). One per request; part of {@link
 * AnthropicToConverse}, pure.
 */
final class MessagesConversation {

  /** One Converse turn being built. */
  private static final class Turn {
    final ConversationRole role;
    final List<ContentBlock> blocks = new ArrayList<>();

    Turn(ConversationRole role) {
      this.role = role;
    }
  }

  private final List<SystemContentBlock> system = new ArrayList<>();
  private final List<Turn> turns = new ArrayList<>();
  private final MessagesAttachments attachments = new MessagesAttachments();
  private int cachePoints;
  private boolean hasToolBlocks;

  private MessagesConversation() {}

  /** Translates a request's {@code system} and {@code messages} (already checked for shape). */
  static MessagesConversation of(JsonNode system, JsonNode messages) {
    MessagesConversation c = new MessagesConversation();
    c.system(system);
    c.messages(messages);
    return c;
  }

  /** The system blocks so far; the caller may append its own (the tools' notes). */
  List<SystemContentBlock> system() {
    return system;
  }

  /** A {@code tool_use} or {@code tool_result} block is in the history. */
  boolean hasToolBlocks() {
    return hasToolBlocks;
  }

  /** Counts one {@code cache_control} marker, refusing more than Bedrock takes. */
  void countCachePoint(String param) {
    if (++cachePoints > CacheMarkers.MAX_CACHE_POINTS) {
      throw invalid(
          param,
          param
              + ": A maximum of "
              + CacheMarkers.MAX_CACHE_POINTS
              + " blocks with cache_control may be provided.");
    }
  }

  /**
   * The Converse messages; a user turn holding documents but no text gets {@link
   * AnthropicToConverse#DOCUMENT_NOTE}, as Converse wants a text block next to documents.
   */
  List<Message> messages() {
    List<Message> out = new ArrayList<>(turns.size());
    for (Turn t : turns) {
      List<ContentBlock> content = new ArrayList<>(t.blocks);
      if (t.role == ConversationRole.USER
          && content.stream().anyMatch(b -> b.document() != null)
          && content.stream().noneMatch(b -> b.text() != null)) {
        content.add(ContentBlock.fromText(AnthropicToConverse.DOCUMENT_NOTE));
      }
      out.add(Message.builder().role(t.role).content(content).build());
    }
    return out;
  }

  /**
   * Converse requires alternating roles, as the Messages API merges consecutive turns of one role.
   */
  private void add(ConversationRole role, List<ContentBlock> blocks) {
    if (blocks.isEmpty()) {
      return; // Converse rejects an empty content array: a turn with nothing in it is dropped.
    }
    Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
    if (last == null || last.role != role) {
      last = new Turn(role);
      turns.add(last);
    }
    last.blocks.addAll(blocks);
  }

  private void system(JsonNode system) {
    if (system == null || system.isNull()) {
      return;
    }
    if (system.isTextual()) {
      if (!system.asText().isEmpty()) {
        this.system.add(SystemContentBlock.fromText(system.asText()));
      }
      return;
    }
    if (!system.isArray()) {
      throw invalid("system", "system: Input should be a string or a list of text blocks");
    }
    systemBlocks(system, "system");
  }

  private void systemBlocks(JsonNode blocks, String p) {
    for (int i = 0; i < blocks.size(); i++) {
      JsonNode block = blocks.get(i);
      String bp = p + "." + i;
      if (!"text".equals(type(block, bp))) {
        throw invalid(bp + ".type", bp + ".type: only text blocks are allowed here");
      }
      String text = text(block, bp);
      if (!text.isEmpty()) {
        system.add(SystemContentBlock.fromText(text));
        CachePointBlock marker = CacheMarkers.of(block, bp);
        if (marker != null) {
          countCachePoint(bp + ".cache_control");
          system.add(SystemContentBlock.fromCachePoint(marker));
        }
      }
    }
  }

  private void messages(JsonNode messages) {
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String p = "messages." + i;
      String role = m.get("role").asText();
      JsonNode content = m.get("content");
      switch (role) {
        case "user" -> add(ConversationRole.USER, userContent(content, p + ".content"));
        case "assistant" ->
            add(ConversationRole.ASSISTANT, assistantContent(content, p + ".content"));
        case "system" -> {
          // Claude Code sends a system turn inside messages; Converse has a system prompt only.
          if (content.isTextual()) {
            if (!content.asText().isEmpty()) {
              system.add(SystemContentBlock.fromText(content.asText()));
            }
          } else if (content.isArray()) {
            systemBlocks(content, p + ".content");
          } else {
            throw invalid(
                p + ".content", p + ".content: Input should be a string or a list of blocks");
          }
        }
        default -> throw invalid(p + ".role", p + ".role: Input should be 'user' or 'assistant'");
      }
    }
    if (turns.isEmpty()) {
      throw invalid(
          "messages", "messages: at least one message with non-empty content is required");
    }
  }

  private static List<JsonNode> blocks(JsonNode content, String p) {
    List<JsonNode> out = new ArrayList<>();
    if (content.isTextual()) {
      out.add(Json.MAPPER.createObjectNode().put("type", "text").put("text", content.asText()));
    } else if (content.isArray()) {
      content.forEach(out::add);
    } else {
      throw invalid(p, p + ": Input should be a string or a list of content blocks");
    }
    return out;
  }

  private List<ContentBlock> userContent(JsonNode content, String p) {
    List<ContentBlock> out = new ArrayList<>();
    List<JsonNode> blocks = blocks(content, p);
    for (int j = 0; j < blocks.size(); j++) {
      JsonNode block = blocks.get(j);
      String bp = p + "." + j;
      String type = type(block, bp);
      ContentBlock converted =
          switch (type) {
            case "text" -> {
              String text = text(block, bp);
              yield text.isEmpty() ? null : ContentBlock.fromText(text);
            }
            case "image" -> ContentBlock.fromImage(attachments.image(block, bp));
            case "document" -> attachments.document(block, bp);
            case "tool_result" -> toolResult(block, bp);
            case "tool_use", "thinking", "redacted_thinking" ->
                throw invalid(
                    bp + ".type", bp + ".type: '" + type + "' blocks belong to assistant turns");
            default -> throw unsupportedBlock(type, bp);
          };
      if (converted != null) {
        out.add(converted);
        addCachePoint(block, bp, out);
      }
    }
    return out;
  }

  private List<ContentBlock> assistantContent(JsonNode content, String p) {
    List<ContentBlock> out = new ArrayList<>();
    List<JsonNode> blocks = blocks(content, p);
    for (int j = 0; j < blocks.size(); j++) {
      JsonNode block = blocks.get(j);
      String bp = p + "." + j;
      String type = type(block, bp);
      ContentBlock converted =
          switch (type) {
            case "text" -> {
              String text = text(block, bp);
              // Converse refuses blank text blocks; a blank one says nothing and is dropped.
              yield text.isBlank() ? null : ContentBlock.fromText(text);
            }
            case "tool_use" -> toolUse(block, bp);
            // Signed reasoning is Claude's; other models take none back (docs/compatibility.md).
            case "thinking", "redacted_thinking" -> null;
            case "image", "document", "tool_result" ->
                throw invalid(
                    bp + ".type", bp + ".type: '" + type + "' blocks belong to user turns");
            default -> throw unsupportedBlock(type, bp);
          };
      if (converted != null) {
        out.add(converted);
        addCachePoint(block, bp, out);
      }
    }
    return out;
  }

  private static RuntimeException unsupportedBlock(String type, String bp) {
    return unsupported(
        bp + ".type",
        bp
            + ".type: content blocks of type '"
            + type
            + "' are not supported for this model (Bedrock"
            + " Converse has no equivalent); they are available with Claude models.");
  }

  private void addCachePoint(JsonNode block, String bp, List<ContentBlock> out) {
    CachePointBlock marker = CacheMarkers.of(block, bp);
    if (marker != null) {
      countCachePoint(bp + ".cache_control");
      out.add(ContentBlock.fromCachePoint(marker));
    }
  }

  private static String type(JsonNode block, String bp) {
    if (!block.isObject()) {
      throw invalid(bp, bp + ": Input should be an object");
    }
    JsonNode type = block.get("type");
    if (type == null || !type.isTextual()) {
      throw invalid(bp + ".type", bp + ".type: Field required");
    }
    return type.asText();
  }

  private static String text(JsonNode block, String bp) {
    JsonNode text = block.get("text");
    if (text == null || text.isNull()) {
      throw invalid(bp + ".text", bp + ".text: Field required");
    }
    if (!text.isTextual()) {
      throw invalid(bp + ".text", bp + ".text: Input should be a valid string");
    }
    return text.asText();
  }

  private ContentBlock toolUse(JsonNode block, String bp) {
    JsonNode id = block.get("id");
    JsonNode name = block.get("name");
    if (id == null || !id.isTextual() || id.asText().isEmpty()) {
      throw invalid(bp + ".id", bp + ".id: Field required");
    }
    if (name == null || !name.isTextual() || name.asText().isEmpty()) {
      throw invalid(bp + ".name", bp + ".name: Field required");
    }
    JsonNode input = block.get("input");
    if (input == null || input.isNull()) {
      input = Json.MAPPER.createObjectNode();
    } else if (!input.isObject()) {
      throw invalid(bp + ".input", bp + ".input: Input should be an object");
    }
    hasToolBlocks = true;
    return ContentBlock.fromToolUse(
        ToolUseBlock.builder()
            .toolUseId(SignedReasoning.bedrockSafe(id.asText()))
            .name(name.asText())
            .input(Documents.fromJson(input))
            .build());
  }

  private ContentBlock toolResult(JsonNode block, String bp) {
    JsonNode id = block.get("tool_use_id");
    if (id == null || !id.isTextual() || id.asText().isEmpty()) {
      throw invalid(bp + ".tool_use_id", bp + ".tool_use_id: Field required");
    }
    List<ToolResultContentBlock> parts = new ArrayList<>();
    JsonNode content = block.get("content");
    if (content != null && !content.isNull()) {
      List<JsonNode> items = blocks(content, bp + ".content");
      for (int k = 0; k < items.size(); k++) {
        JsonNode item = items.get(k);
        String ip = bp + ".content." + k;
        switch (type(item, ip)) {
          case "text" -> {
            String text = text(item, ip);
            if (!text.isEmpty()) {
              parts.add(ToolResultContentBlock.fromText(text));
            }
          }
          case "image" -> parts.add(ToolResultContentBlock.fromImage(attachments.image(item, ip)));
          default ->
              throw unsupported(
                  ip + ".type",
                  ip + ".type: tool results may hold text and image blocks for this model");
        }
      }
    }
    if (parts.isEmpty()) {
      // Converse rejects empty text, yet an empty tool output is a legitimate answer.
      parts.add(ToolResultContentBlock.fromText("(empty)"));
    }
    JsonNode isError = block.get("is_error");
    if (isError != null && !isError.isNull() && !isError.isBoolean()) {
      throw invalid(bp + ".is_error", bp + ".is_error: Input should be a valid boolean");
    }
    ToolResultBlock.Builder result =
        ToolResultBlock.builder()
            .toolUseId(SignedReasoning.bedrockSafe(id.asText()))
            .content(parts);
    if (isError != null && isError.asBoolean(false)) {
      result.status(ToolResultStatus.ERROR);
    }
    hasToolBlocks = true;
    return ContentBlock.fromToolResult(result.build());
  }
}
