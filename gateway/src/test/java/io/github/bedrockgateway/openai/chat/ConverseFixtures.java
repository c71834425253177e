package io.github.bedrockgateway.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.json.Json;
import java.util.List;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Expected Converse pieces for the translator's table tests, built the long way with the SDK's
 * builders.
 */
final class ConverseFixtures {

  private ConverseFixtures() {}

  static ContentBlock text(String text) {
    return ContentBlock.fromText(text);
  }

  static Message user(ContentBlock... blocks) {
    return Message.builder().role(ConversationRole.USER).content(List.of(blocks)).build();
  }

  static Message assistant(ContentBlock... blocks) {
    return Message.builder().role(ConversationRole.ASSISTANT).content(List.of(blocks)).build();
  }

  static ContentBlock toolUse(String id, String name, String key, String value) {
    return ContentBlock.fromToolUse(
        ToolUseBlock.builder()
            .toolUseId(id)
            .name(name)
            .input(Document.mapBuilder().putString(key, value).build())
            .build());
  }

  static ContentBlock toolResult(String id, String text) {
    return ContentBlock.fromToolResult(
        ToolResultBlock.builder()
            .toolUseId(id)
            .content(ToolResultContentBlock.fromText(text))
            .build());
  }

  /** The {@code get_weather(city)} tool the request tables declare. */
  static Tool weatherTool() {
    Document schema =
        Document.mapBuilder()
            .putString("type", "object")
            .putDocument(
                "properties",
                Document.mapBuilder()
                    .putDocument("city", Document.mapBuilder().putString("type", "string").build())
                    .build())
            .build();
    return Tool.fromToolSpec(
        ToolSpecification.builder()
            .name("get_weather")
            .description("Weather")
            .inputSchema(ToolInputSchema.fromJson(schema))
            .build());
  }

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
