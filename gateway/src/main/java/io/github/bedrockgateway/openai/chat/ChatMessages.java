package io.github.bedrockgateway.openai.chat;

import static io.github.bedrockgateway.converse.Fields.optionalString;
import static io.github.bedrockgateway.converse.Fields.partType;
import static io.github.bedrockgateway.converse.Fields.requiredString;
import static io.github.bedrockgateway.error.GatewayException.invalid;
import static io.github.bedrockgateway.error.GatewayException.unsupported;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.converse.Attachments;
import io.github.bedrockgateway.converse.CacheMarkers;
import io.github.bedrockgateway.converse.Conversation;
import io.github.bedrockgateway.converse.Documents;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.json.Json;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * The {@code messages} of a Chat Completions request as a Converse conversation: system and
 * developer messages become the system prompt, user, assistant and tool messages the turns, with
 * their images, documents, tool calls, tool results, signed reasoning and cache markers. Pure
 * functions, part of {@link OpenAiToConverse}.
 */
final class ChatMessages {

  private ChatMessages() {}

  /** Reads {@code messages}; at least one must give the conversation content. */
  static Conversation messages(JsonNode body) {
    JsonNode messages = body.get("messages");
    if (messages == null || messages.isNull()) {
      throw invalid("messages", "Missing required parameter: 'messages'.");
    }
    if (!messages.isArray()) {
      throw invalid("messages", "messages must be an array.");
    }
    if (messages.isEmpty()) {
      throw invalid("messages", "messages must contain at least one message.");
    }
    Conversation c = new Conversation();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String p = "messages[" + i + "]";
      if (!m.isObject()) {
        throw invalid(p, "Each message must be an object.");
      }
      JsonNode roleNode = m.get("role");
      if (roleNode == null || !roleNode.isTextual()) {
        throw invalid(p + ".role", "Missing required parameter: '" + p + ".role'.");
      }
      String role = roleNode.asText();
      switch (role) {
        case "system", "developer" -> systemMessage(m, p, c);
        case "user" ->
            c.add(
                ConversationRole.USER,
                endMessage(m, p, userContent(m.get("content"), p + ".content", c), c));
        case "assistant" -> assistantMessage(m, p, c);
        case "tool" -> c.add(ConversationRole.USER, endMessage(m, p, toolResult(m, p, c), c));
        case "function" ->
            throw unsupported(
                p + ".role",
                "The deprecated 'function' role is not supported; use 'tool' messages.");
        default ->
            throw invalid(
                p + ".role",
                "Invalid value: '"
                    + role
                    + "'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.");
      }
    }
    if (c.isEmpty()) {
      throw invalid(
          "messages", "messages must contain at least one user message with non-empty content.");
    }
    return c;
  }

  /** A cache marker on the message itself puts a cache point after its last block. */
  private static List<ContentBlock> endMessage(
      JsonNode m, String p, List<ContentBlock> blocks, Conversation c) {
    CachePointBlock marker = CacheMarkers.of(m, p);
    if (marker != null && !blocks.isEmpty() && blocks.get(blocks.size() - 1).cachePoint() == null) {
      c.countCachePoint(p + ".cache_control");
      List<ContentBlock> out = new ArrayList<>(blocks);
      out.add(ContentBlock.fromCachePoint(marker));
      return out;
    }
    return blocks;
  }

  private static void systemMessage(JsonNode m, String p, Conversation c) {
    JsonNode content = m.get("content");
    String cp = p + ".content";
    if (content == null || content.isNull()) {
      throw invalid(cp, "Missing required parameter: '" + cp + "'.");
    }
    int before = c.system.size();
    if (content.isTextual()) {
      if (!content.asText().isEmpty()) {
        c.system.add(SystemContentBlock.fromText(content.asText()));
      }
    } else if (content.isArray()) {
      for (int j = 0; j < content.size(); j++) {
        JsonNode part = content.get(j);
        String pp = cp + "[" + j + "]";
        String text = textPart(part, pp);
        if (!text.isEmpty()) {
          c.system.add(SystemContentBlock.fromText(text));
          CachePointBlock marker = CacheMarkers.of(part, pp);
          if (marker != null) {
            c.countCachePoint(pp + ".cache_control");
            c.system.add(SystemContentBlock.fromCachePoint(marker));
          }
        }
      }
    } else {
      throw invalid(cp, cp + " must be a string or an array of content parts.");
    }
    CachePointBlock marker = CacheMarkers.of(m, p);
    if (marker != null
        && c.system.size() > before
        && c.system.get(c.system.size() - 1).cachePoint() == null) {
      c.countCachePoint(p + ".cache_control");
      c.system.add(SystemContentBlock.fromCachePoint(marker));
    }
  }

  /**
   * Text of a string-or-text-parts content; empty strings are dropped (Converse rejects empty
   * text).
   */
  private static List<String> textParts(JsonNode content, String p) {
    if (content == null || content.isNull()) {
      return List.of();
    }
    if (content.isTextual()) {
      return content.asText().isEmpty() ? List.of() : List.of(content.asText());
    }
    if (!content.isArray()) {
      throw invalid(p, p + " must be a string or an array of content parts.");
    }
    List<String> out = new ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      String text = textPart(content.get(j), p + "[" + j + "]");
      if (!text.isEmpty()) {
        out.add(text);
      }
    }
    return out;
  }

  private static String textPart(JsonNode part, String pp) {
    String type = partType(part, pp);
    if (!"text".equals(type)) {
      throw invalid(
          pp + ".type",
          "Invalid content part type '" + type + "' here: only 'text' parts are allowed.");
    }
    return requiredString(part, "text", pp + ".text");
  }

  private static List<ContentBlock> userContent(JsonNode content, String p, Conversation c) {
    if (content == null || content.isNull()) {
      throw invalid(p, "Missing required parameter: '" + p + "'.");
    }
    if (content.isTextual()) {
      return content.asText().isEmpty()
          ? List.of()
          : List.of(ContentBlock.fromText(content.asText()));
    }
    if (!content.isArray()) {
      throw invalid(p, p + " must be a string or an array of content parts.");
    }
    List<ContentBlock> blocks = new ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String pp = p + "[" + j + "]";
      String type = partType(part, pp);
      ContentBlock block =
          switch (type) {
            case "text" -> {
              String text = requiredString(part, "text", pp + ".text");
              yield text.isEmpty() ? null : ContentBlock.fromText(text);
            }
            case "image_url" -> Attachments.image(part, pp, c.attachments);
            case "file" -> Attachments.document(part, pp, c.attachments);
            case "input_audio" ->
                throw unsupported(
                    pp + ".type",
                    "Content parts of type 'input_audio' are not supported: Converse takes no audio input.");
            default -> throw invalid(pp + ".type", "Invalid content part type: '" + type + "'.");
          };
      if (block != null) {
        blocks.add(block);
        addMarkedCachePoint(part, pp, blocks, c);
      }
    }
    return blocks;
  }

  private static void addMarkedCachePoint(
      JsonNode part, String pp, List<ContentBlock> blocks, Conversation c) {
    CachePointBlock marker = CacheMarkers.of(part, pp);
    if (marker != null) {
      c.countCachePoint(pp + ".cache_control");
      blocks.add(ContentBlock.fromCachePoint(marker));
    }
  }

  private static void assistantMessage(JsonNode m, String p, Conversation c) {
    List<ContentBlock> blocks = new ArrayList<>();
    JsonNode content = m.get("content");
    if (content != null && content.isArray()) {
      for (int j = 0; j < content.size(); j++) {
        JsonNode part = content.get(j);
        String pp = p + ".content[" + j + "]";
        String type = partType(part, pp);
        String field =
            switch (type) {
              case "text" -> "text";
              case "refusal" -> "refusal";
              default ->
                  throw invalid(
                      pp + ".type", "Assistant content parts must be 'text' or 'refusal'.");
            };
        String text = requiredString(part, field, pp + "." + field);
        if (!text.isEmpty()) {
          blocks.add(ContentBlock.fromText(text));
          addMarkedCachePoint(part, pp, blocks, c);
        }
      }
    } else {
      for (String text : textParts(content, p + ".content")) {
        blocks.add(ContentBlock.fromText(text));
      }
    }
    // reasoning_content (LiteLLM / Open WebUI style) carries no signature, and Bedrock accepts no
    // unsigned reasoning: it is checked for type and not sent. Signed reasoning comes from the
    // tool-call ids (SignedReasoning) or from LiteLLM's thinking_blocks.
    optionalString(m, "reasoning_content", p + ".reasoning_content");
    List<ContentBlock> reasoning = new ArrayList<>();
    JsonNode toolCalls = m.get("tool_calls");
    if (toolCalls != null && !toolCalls.isNull()) {
      if (!toolCalls.isArray()) {
        throw invalid(p + ".tool_calls", "tool_calls must be an array.");
      }
      for (int j = 0; j < toolCalls.size(); j++) {
        blocks.add(toolUse(toolCalls.get(j), p + ".tool_calls[" + j + "]", reasoning));
        c.hasToolBlocks = true;
      }
    }
    if (reasoning.isEmpty()) {
      reasoning.addAll(thinkingBlocks(m.get("thinking_blocks"), p + ".thinking_blocks"));
    }
    c.add(ConversationRole.ASSISTANT, endMessage(m, p, blocks, c), reasoning);
  }

  /** LiteLLM's {@code thinking_blocks}: Anthropic thinking blocks with their signatures. */
  private static List<ContentBlock> thinkingBlocks(JsonNode blocks, String p) {
    if (blocks == null || blocks.isNull()) {
      return List.of();
    }
    if (!blocks.isArray()) {
      throw invalid(p, p + " must be an array.");
    }
    List<ContentBlock> out = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      JsonNode b = blocks.get(i);
      String bp = p + "[" + i + "]";
      String type = partType(b, bp);
      if (type.equals("thinking")) {
        String text = requiredString(b, "thinking", bp + ".thinking");
        String signature = optionalString(b, "signature", bp + ".signature");
        if (signature != null && !signature.isEmpty()) {
          out.add(
              ContentBlock.fromReasoningContent(
                  ReasoningContentBlock.fromReasoningText(
                      ReasoningTextBlock.builder().text(text).signature(signature).build())));
        }
      } else if (type.equals("redacted_thinking")) {
        String data = requiredString(b, "data", bp + ".data");
        try {
          out.add(
              ContentBlock.fromReasoningContent(
                  ReasoningContentBlock.fromRedactedContent(
                      SdkBytes.fromByteArray(Base64.getDecoder().decode(data)))));
        } catch (IllegalArgumentException e) {
          throw invalid(bp + ".data", "data must be base64.");
        }
      } else {
        throw invalid(bp + ".type", "Thinking blocks must be 'thinking' or 'redacted_thinking'.");
      }
    }
    return out;
  }

  private static ContentBlock toolUse(JsonNode call, String p, List<ContentBlock> reasoning) {
    if (!call.isObject()) {
      throw invalid(p, "Each tool call must be an object.");
    }
    SignedReasoning.Decoded id = SignedReasoning.decode(requiredString(call, "id", p + ".id"));
    for (ReasoningContentBlock block : id.reasoning()) {
      reasoning.add(ContentBlock.fromReasoningContent(block));
    }
    JsonNode function = call.get("function");
    if (function == null || !function.isObject()) {
      throw invalid(p + ".function", "Missing required parameter: '" + p + ".function'.");
    }
    String name = requiredString(function, "name", p + ".function.name");
    JsonNode arguments = function.get("arguments");
    JsonNode input;
    if (arguments == null
        || arguments.isNull()
        || arguments.isTextual() && arguments.asText().isBlank()) {
      input = Json.MAPPER.createObjectNode();
    } else if (arguments.isTextual()) {
      try {
        input = Json.MAPPER.readTree(arguments.asText());
      } catch (JsonProcessingException e) {
        throw invalid(
            p + ".function.arguments",
            "function.arguments must be a JSON object encoded as a string.");
      }
    } else {
      input = arguments; // lenient: some clients send the object itself
    }
    if (input == null || !input.isObject()) {
      throw invalid(
          p + ".function.arguments",
          "function.arguments must be a JSON object encoded as a string.");
    }
    return ContentBlock.fromToolUse(
        ToolUseBlock.builder()
            .toolUseId(id.toolUseId())
            .name(name)
            .input(Documents.fromJson(input))
            .build());
  }

  private static List<ContentBlock> toolResult(JsonNode m, String p, Conversation c) {
    String id =
        SignedReasoning.decode(requiredString(m, "tool_call_id", p + ".tool_call_id")).toolUseId();
    JsonNode content = m.get("content");
    List<ToolResultContentBlock> parts = new ArrayList<>();
    CachePointBlock partMarker = null;
    if (content != null && content.isArray()) {
      for (int j = 0; j < content.size(); j++) {
        String pp = p + ".content[" + j + "]";
        String text = textPart(content.get(j), pp);
        if (!text.isEmpty()) {
          parts.add(ToolResultContentBlock.fromText(text));
        }
        CachePointBlock marker = CacheMarkers.of(content.get(j), pp);
        if (marker != null) {
          c.countCachePoint(pp + ".cache_control");
          partMarker = marker;
        }
      }
    } else {
      for (String text : textParts(content, p + ".content")) {
        parts.add(ToolResultContentBlock.fromText(text));
      }
    }
    if (parts.isEmpty()) {
      // Converse rejects empty text, yet an empty tool output is a legitimate answer.
      parts.add(ToolResultContentBlock.fromText("(empty)"));
    }
    c.hasToolBlocks = true;
    ContentBlock result =
        ContentBlock.fromToolResult(ToolResultBlock.builder().toolUseId(id).content(parts).build());
    // A cache point cannot sit inside a tool result: a marked part caches up to the whole result.
    return partMarker == null
        ? List.of(result)
        : List.of(result, ContentBlock.fromCachePoint(partMarker));
  }
}
