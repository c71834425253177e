package io.github.bedrockgateway.openai.responses;

import static io.github.bedrockgateway.converse.Fields.optionalString;
import static io.github.bedrockgateway.converse.Fields.partType;
import static io.github.bedrockgateway.converse.Fields.requiredString;
import static io.github.bedrockgateway.error.GatewayException.invalid;
import static io.github.bedrockgateway.error.GatewayException.unsupported;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.converse.Attachments;
import io.github.bedrockgateway.converse.CacheMarkers;
import io.github.bedrockgateway.converse.Conversation;
import io.github.bedrockgateway.converse.Documents;
import io.github.bedrockgateway.converse.Fields;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * The input items of a Responses API request (and of the stored conversation {@code
 * previous_response_id} continues) as a Converse conversation: messages, function and custom tool
 * calls with their outputs, and reasoning items with their sealed signed blocks; hosted tools'
 * items are dropped. Pure functions, part of {@link ResponsesToConverse}.
 */
final class ResponsesItems {

  /**
   * Input items of tools Bedrock cannot run (never produced by this gateway): dropped from history.
   */
  private static final Set<String> HOSTED_TOOL_ITEMS =
      Set.of(
          "web_search_call",
          "file_search_call",
          "computer_call",
          "computer_call_output",
          "code_interpreter_call",
          "image_generation_call",
          "local_shell_call",
          "local_shell_call_output",
          "shell_call",
          "shell_call_output",
          "apply_patch_call",
          "apply_patch_call_output",
          "mcp_call",
          "mcp_list_tools",
          "mcp_approval_request",
          "mcp_approval_response",
          "tool_search_call",
          "tool_search_output",
          "compaction");

  private ResponsesItems() {}

  /**
   * Reads input items into the conversation. Reasoning items are held until the assistant content
   * that follows them, whose turn they open.
   */
  static void items(JsonNode items, String p, Conversation c) {
    List<ContentBlock> pendingReasoning = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String ip = p + "[" + i + "]";
      if (!item.isObject()) {
        throw invalid(ip, "Each input item must be an object.");
      }
      JsonNode typeNode = item.get("type");
      String type;
      if (typeNode == null || typeNode.isNull()) {
        if (!item.has("role")) {
          throw invalid(ip + ".type", "Missing required parameter: '" + ip + ".type'.");
        }
        type = "message";
      } else if (typeNode.isTextual()) {
        type = typeNode.asText();
      } else {
        throw invalid(ip + ".type", ip + ".type must be a string.");
      }
      switch (type) {
        case "message" -> message(item, ip, c, pendingReasoning);
        case "function_call" -> {
          String callId = requiredString(item, "call_id", ip + ".call_id");
          String name = requiredString(item, "name", ip + ".name");
          JsonNode arguments = arguments(item, ip);
          assistant(c, toolUse(callId, name, arguments, pendingReasoning), pendingReasoning);
        }
        case "custom_tool_call" -> {
          String callId = requiredString(item, "call_id", ip + ".call_id");
          String name = requiredString(item, "name", ip + ".name");
          String input = requiredString(item, "input", ip + ".input");
          ObjectNode arguments =
              Json.MAPPER.createObjectNode().put(ResponsesTools.CUSTOM_TOOL_INPUT, input);
          assistant(c, toolUse(callId, name, arguments, pendingReasoning), pendingReasoning);
        }
        case "function_call_output", "custom_tool_call_output" -> {
          pendingReasoning.clear();
          c.add(ConversationRole.USER, List.of(toolResult(item, ip, c)));
        }
        case "reasoning" -> pendingReasoning.addAll(reasoning(item, ip));
        case "item_reference" ->
            throw unsupported(
                ip,
                "Item references are not supported: send the item itself"
                    + " (or continue a stored response with 'previous_response_id').");
        default -> {
          if (!HOSTED_TOOL_ITEMS.contains(type)) {
            throw invalid(ip + ".type", "Invalid input item type: '" + type + "'.");
          }
          // a hosted tool's call or result: it never ran on Bedrock, so it is not history Bedrock
          // can read
        }
      }
    }
  }

  private static void assistant(
      Conversation c, ContentBlock block, List<ContentBlock> pendingReasoning) {
    c.hasToolBlocks |= block.toolUse() != null;
    c.add(ConversationRole.ASSISTANT, List.of(block), List.copyOf(pendingReasoning));
    pendingReasoning.clear();
  }

  private static void message(
      JsonNode item, String ip, Conversation c, List<ContentBlock> pendingReasoning) {
    JsonNode roleNode = item.get("role");
    if (roleNode == null || !roleNode.isTextual()) {
      throw invalid(ip + ".role", "Missing required parameter: '" + ip + ".role'.");
    }
    String role = roleNode.asText();
    JsonNode content = item.get("content");
    String cp = ip + ".content";
    if (content == null || content.isNull()) {
      throw invalid(cp, "Missing required parameter: '" + cp + "'.");
    }
    if (!content.isTextual() && !content.isArray()) {
      throw invalid(cp, cp + " must be a string or an array of content parts.");
    }
    switch (role) {
      case "system", "developer" -> {
        for (String text : texts(content, cp, "input_text")) {
          c.system.add(SystemContentBlock.fromText(text));
        }
      }
      case "user" -> {
        pendingReasoning.clear();
        c.add(ConversationRole.USER, userContent(content, cp, c));
      }
      case "assistant" -> {
        List<ContentBlock> blocks = new ArrayList<>();
        for (String text : texts(content, cp, "output_text")) {
          blocks.add(ContentBlock.fromText(text));
        }
        if (!blocks.isEmpty()) {
          c.add(ConversationRole.ASSISTANT, blocks, List.copyOf(pendingReasoning));
          pendingReasoning.clear();
        }
      }
      default ->
          throw invalid(
              ip + ".role",
              "Invalid value: '"
                  + role
                  + "'. Supported values are: 'user', 'assistant', 'system' and 'developer'.");
    }
  }

  /** The texts of a string-or-parts content where only text may be; empty texts are dropped. */
  private static List<String> texts(JsonNode content, String cp, String expected) {
    if (content.isTextual()) {
      return content.asText().isEmpty() ? List.of() : List.of(content.asText());
    }
    List<String> out = new ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String pp = cp + "[" + j + "]";
      String type = partType(part, pp);
      String text =
          switch (type) {
            case "input_text", "output_text" -> requiredString(part, "text", pp + ".text");
            case "refusal" -> requiredString(part, "refusal", pp + ".refusal");
            default ->
                throw invalid(
                    pp + ".type",
                    "Invalid content part type '"
                        + type
                        + "' here: only '"
                        + expected
                        + "' parts are allowed.");
          };
      if (!text.isEmpty()) {
        out.add(text);
      }
    }
    return out;
  }

  private static List<ContentBlock> userContent(JsonNode content, String cp, Conversation c) {
    if (content.isTextual()) {
      return content.asText().isEmpty()
          ? List.of()
          : List.of(ContentBlock.fromText(content.asText()));
    }
    List<ContentBlock> blocks = new ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String pp = cp + "[" + j + "]";
      ContentBlock block =
          switch (partType(part, pp)) {
            case "input_text" -> {
              String text = requiredString(part, "text", pp + ".text");
              yield text.isEmpty() ? null : ContentBlock.fromText(text);
            }
            case "input_image" -> image(part, pp, c);
            case "input_file" -> file(part, pp, c);
            case "input_audio" ->
                throw unsupported(
                    pp + ".type",
                    "Content parts of type 'input_audio' are not supported: Converse takes no audio input.");
            default ->
                throw invalid(
                    pp + ".type",
                    "Invalid content part type: '"
                        + part.get("type").asText()
                        + "'. Supported values are: 'input_text', 'input_image' and 'input_file'.");
          };
      if (block != null) {
        blocks.add(block);
        CachePointBlock marker = CacheMarkers.of(part, pp);
        if (marker != null) {
          c.countCachePoint(pp + ".cache_control");
          blocks.add(ContentBlock.fromCachePoint(marker));
        }
      }
    }
    return blocks;
  }

  /**
   * {@code input_image}: a data URL, or an {@code http(s)://} URL left as a placeholder for the
   * route to download ({@link io.github.bedrockgateway.converse.PendingImage}); no Files API.
   */
  private static ContentBlock image(JsonNode part, String pp, Conversation c) {
    if (!part.hasNonNull("image_url")) {
      if (part.hasNonNull("file_id")) {
        throw unsupported(
            pp + ".file_id",
            "file_id refers to the OpenAI Files API, which Bedrock does not"
                + " have; send the image as image_url (a data URL or an https URL).");
      }
      throw invalid(pp + ".image_url", "Missing required parameter: '" + pp + ".image_url'.");
    }
    if (!part.get("image_url").isTextual()) {
      throw invalid(
          pp + ".image_url", pp + ".image_url must be a string (a data URL or an https URL).");
    }
    Fields.optionalString(part, "detail", pp + ".detail");
    return Attachments.image(part, pp, c.attachments);
  }

  /** {@code input_file}: inline {@code file_data} becomes a Converse document. */
  private static ContentBlock file(JsonNode part, String pp, Conversation c) {
    if (part.hasNonNull("file_url") && !part.hasNonNull("file_data")) {
      throw unsupported(
          pp + ".file_url",
          "file_url is not supported: send the file inline as file_data"
              + " (a base64 data URL such as data:application/pdf;base64,...).");
    }
    return Attachments.file(part, pp, c.attachments);
  }

  /** {@code arguments}: a JSON object encoded as a string (an empty string is {@code {}}). */
  private static JsonNode arguments(JsonNode item, String ip) {
    JsonNode arguments = item.get("arguments");
    if (arguments == null
        || arguments.isNull()
        || arguments.isTextual() && arguments.asText().isBlank()) {
      return Json.MAPPER.createObjectNode();
    }
    JsonNode parsed;
    if (arguments.isTextual()) {
      try {
        parsed = Json.MAPPER.readTree(arguments.asText());
      } catch (JsonProcessingException e) {
        throw invalid(ip + ".arguments", "arguments must be a JSON object encoded as a string.");
      }
    } else {
      parsed = arguments; // lenient: some clients send the object itself
    }
    if (parsed == null || !parsed.isObject()) {
      throw invalid(ip + ".arguments", "arguments must be a JSON object encoded as a string.");
    }
    return parsed;
  }

  private static ContentBlock toolUse(
      String callId, String name, JsonNode input, List<ContentBlock> pendingReasoning) {
    SignedReasoning.Decoded id = SignedReasoning.decode(callId);
    for (ReasoningContentBlock block : id.reasoning()) {
      pendingReasoning.add(ContentBlock.fromReasoningContent(block));
    }
    return ContentBlock.fromToolUse(
        ToolUseBlock.builder()
            .toolUseId(id.toolUseId())
            .name(name)
            .input(Documents.fromJson(input))
            .build());
  }

  /**
   * A tool's output: a string, or {@code input_text} / {@code input_image} / {@code input_file}
   * parts.
   */
  private static ContentBlock toolResult(JsonNode item, String ip, Conversation c) {
    String id =
        SignedReasoning.decode(requiredString(item, "call_id", ip + ".call_id")).toolUseId();
    JsonNode output = item.get("output");
    String op = ip + ".output";
    List<ToolResultContentBlock> parts = new ArrayList<>();
    if (output == null || output.isNull()) {
      throw invalid(op, "Missing required parameter: '" + op + "'.");
    } else if (output.isTextual()) {
      if (!output.asText().isEmpty()) {
        parts.add(ToolResultContentBlock.fromText(output.asText()));
      }
    } else if (output.isArray()) {
      for (ContentBlock block : userContent(output, op, c)) {
        if (block.text() != null) {
          parts.add(ToolResultContentBlock.fromText(block.text()));
        } else if (block.image() != null) {
          parts.add(ToolResultContentBlock.fromImage(block.image()));
        } else if (block.document() != null) {
          parts.add(ToolResultContentBlock.fromDocument(block.document()));
        }
      }
    } else {
      throw invalid(op, op + " must be a string or an array of content parts.");
    }
    if (parts.isEmpty()) {
      // Converse rejects empty text, yet an empty tool output is a legitimate answer.
      parts.add(ToolResultContentBlock.fromText("(empty)"));
    }
    c.hasToolBlocks = true;
    return ContentBlock.fromToolResult(
        ToolResultBlock.builder().toolUseId(id).content(parts).build());
  }

  /**
   * A reasoning item: its {@code encrypted_content}, when the gateway sealed it, gives back the
   * signed blocks; a summary alone is not sent (Bedrock accepts no unsigned reasoning back).
   */
  private static List<ContentBlock> reasoning(JsonNode item, String ip) {
    String sealed = optionalString(item, "encrypted_content", ip + ".encrypted_content");
    List<ReasoningContentBlock> blocks = SignedReasoning.unseal(sealed);
    if (blocks == null) {
      return List.of();
    }
    List<ContentBlock> out = new ArrayList<>(blocks.size());
    for (ReasoningContentBlock block : blocks) {
      out.add(ContentBlock.fromReasoningContent(block));
    }
    return out;
  }
}
