package io.github.bedrockgateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Claude InvokeModel body (Anthropic's Messages body as Bedrock takes it): Bedrock's own checks
 * of its shape, then a translation to the Converse shape {@link ReplyScript} plans from, so one
 * directive language, one set of conversation and Claude rules, one prompt cache and one token
 * count serve both APIs. Pure: no I/O.
 */
final class AnthropicRequest {

  private AnthropicRequest() {}

  /**
   * What Bedrock refuses before the model sees the body, with its messages: a missing required key
   * or a key the Messages schema does not have (all of them in one message, as Bedrock's schema
   * validator lists them), a wrong type for {@code max_tokens} or {@code messages}, an {@code
   * anthropic_version} other than {@value ClaudeOnBedrock#ANTHROPIC_VERSION}, and a beta not in
   * {@link ClaudeOnBedrock#ACCEPTED_BETAS}. Null when the body passes.
   */
  static BedrockError check(JsonNode body) {
    List<String> problems = new ArrayList<>();
    for (String required : List.of("anthropic_version", "max_tokens", "messages")) {
      if (!body.has(required)) {
        problems.add("#: required key [" + required + "] not found");
      }
    }
    problems.addAll(SchemaErrors.unknownKeys(body, ClaudeOnBedrock.BODY_KEYS));
    JsonNode maxTokens = body.get("max_tokens");
    if (maxTokens != null && !maxTokens.canConvertToInt()) {
      problems.add(
          "#/max_tokens: expected type: Integer, found: " + SchemaErrors.typeName(maxTokens));
    } else if (maxTokens != null && maxTokens.intValue() < 1) {
      problems.add("#/max_tokens: " + maxTokens.intValue() + " is not greater or equal to 1");
    }
    JsonNode messages = body.get("messages");
    if (messages != null && !messages.isArray()) {
      problems.add(
          "#/messages: expected type: JSONArray, found: " + SchemaErrors.typeName(messages));
    }
    JsonNode betas = body.get("anthropic_beta");
    if (betas != null && !betas.isArray()) {
      problems.add(
          "#/anthropic_beta: expected type: JSONArray, found: " + SchemaErrors.typeName(betas));
    }
    if (!problems.isEmpty()) {
      return SchemaErrors.malformed(problems);
    }
    String version = body.get("anthropic_version").asText("");
    if (!ClaudeOnBedrock.ANTHROPIC_VERSION.equals(version)) {
      return BedrockError.validation("Invalid API version: " + version);
    }
    if (betas != null) {
      for (JsonNode beta : betas) {
        if (!ClaudeOnBedrock.ACCEPTED_BETAS.contains(beta.asText())) {
          return BedrockError.validation(ClaudeOnBedrock.INVALID_BETA_FLAG);
        }
      }
    }
    return null;
  }

  /**
   * The same request in the Converse shape: {@code system} (and any {@code role: "system"} turn
   * inside {@code messages}) as system blocks, consecutive turns of one role merged as the Messages
   * API does, content blocks as Converse blocks ({@code thinking} as {@code reasoningContent} with
   * its signature, images and documents as blocks the rules and counts pass over), {@code
   * cache_control} as a {@code cachePoint} after its block, {@code tools} as {@code toolSpec}s,
   * {@code tool_choice} as {@code toolChoice}, sampling and {@code max_tokens} as {@code
   * inferenceConfig}, {@code thinking} and {@code top_k} as {@code additionalModelRequestFields},
   * and {@code output_config.format} as {@code outputConfig}.
   */
  static ObjectNode toConverse(JsonNode body) {
    ObjectNode converse = ConverseWire.JSON.createObjectNode();
    ArrayNode system = converse.putArray("system");
    JsonNode anthropicSystem = body.path("system");
    if (anthropicSystem.isTextual()) {
      system.addObject().put("text", anthropicSystem.asText());
    } else {
      for (JsonNode block : anthropicSystem) {
        system.addObject().put("text", block.path("text").asText(""));
        cachePoint(block, system);
      }
    }
    ArrayNode messages = converse.putArray("messages");
    ObjectNode previous = null;
    for (JsonNode message : body.path("messages")) {
      String role = message.path("role").asText("");
      if (role.equals("system")) {
        for (JsonNode block : contentBlocks(message.path("content"))) {
          system.addObject().put("text", block.path("text").asText(""));
        }
        continue;
      }
      ObjectNode turn;
      if (previous != null && role.equals(previous.path("role").asText())) {
        turn = previous;
      } else {
        turn = messages.addObject().put("role", role);
        turn.putArray("content");
        previous = turn;
      }
      ArrayNode content = (ArrayNode) turn.get("content");
      for (JsonNode block : contentBlocks(message.path("content"))) {
        content.add(block(block));
        cachePoint(block, content);
      }
    }
    if (system.isEmpty()) {
      converse.remove("system");
    }
    toolConfig(body, converse);
    ObjectNode inference = converse.putObject("inferenceConfig");
    copy(body, "max_tokens", inference, "maxTokens");
    copy(body, "temperature", inference, "temperature");
    copy(body, "top_p", inference, "topP");
    copy(body, "stop_sequences", inference, "stopSequences");
    ObjectNode fields = ConverseWire.JSON.createObjectNode();
    copy(body, "thinking", fields, "thinking");
    copy(body, "top_k", fields, "top_k");
    if (body.path("tool_choice").path("disable_parallel_tool_use").asBoolean(false)
        && !"none".equals(body.path("tool_choice").path("type").asText())) {
      fields.putObject("tool_choice").put("disable_parallel_tool_use", true);
    }
    if (!fields.isEmpty()) {
      converse.set("additionalModelRequestFields", fields);
    }
    JsonNode format = body.path("output_config").path("format");
    if ("json_schema".equals(format.path("type").asText()) && format.path("schema").isObject()) {
      ObjectNode textFormat =
          converse.putObject("outputConfig").putObject("textFormat").put("type", "json_schema");
      textFormat
          .putObject("structure")
          .putObject("jsonSchema")
          .put("schema", format.get("schema").toString());
    }
    return converse;
  }

  /** A message's content as blocks: a string is one text block. */
  private static List<JsonNode> contentBlocks(JsonNode content) {
    List<JsonNode> blocks = new ArrayList<>();
    if (content.isTextual()) {
      blocks.add(
          ConverseWire.JSON.createObjectNode().put("type", "text").put("text", content.asText()));
    } else {
      content.forEach(blocks::add);
    }
    return blocks;
  }

  private static ObjectNode block(JsonNode block) {
    ObjectNode out = ConverseWire.JSON.createObjectNode();
    String type = block.path("type").asText("");
    switch (type) {
      case "text" -> out.put("text", block.path("text").asText(""));
      case "tool_use" -> {
        ObjectNode toolUse = out.putObject("toolUse");
        toolUse.put("toolUseId", block.path("id").asText(""));
        toolUse.put("name", block.path("name").asText(""));
        toolUse.set(
            "input",
            block.path("input").isObject()
                ? block.get("input")
                : ConverseWire.JSON.createObjectNode());
      }
      case "tool_result" -> {
        ObjectNode toolResult = out.putObject("toolResult");
        toolResult.put("toolUseId", block.path("tool_use_id").asText(""));
        ArrayNode parts = toolResult.putArray("content");
        for (JsonNode part : contentBlocks(block.path("content"))) {
          if ("text".equals(part.path("type").asText())) {
            parts.addObject().put("text", part.path("text").asText(""));
          }
        }
        if (block.path("is_error").asBoolean(false)) {
          toolResult.put("status", "error");
        }
      }
      case "thinking" -> {
        ObjectNode reasoning = out.putObject("reasoningContent").putObject("reasoningText");
        reasoning.put("text", block.path("thinking").asText(""));
        reasoning.put("signature", block.path("signature").asText(""));
      }
      case "redacted_thinking" ->
          out.putObject("reasoningContent").put("redactedContent", block.path("data").asText(""));
      // Images, documents and server-tool blocks: nothing the rules or the counts read.
      default -> out.put("anthropicBlock", type);
    }
    return out;
  }

  /**
   * A {@code cache_control} marker becomes a {@code cachePoint} after its block, keeping a 1h TTL.
   */
  private static void cachePoint(JsonNode block, ArrayNode into) {
    JsonNode control = block.get("cache_control");
    if (control != null && control.isObject()) {
      ObjectNode point = into.addObject().putObject("cachePoint").put("type", "default");
      if (control.has("ttl")) {
        point.put("ttl", control.get("ttl").asText());
      }
    }
  }

  private static void toolConfig(JsonNode body, ObjectNode converse) {
    JsonNode tools = body.path("tools");
    if (!tools.isArray() || tools.isEmpty()) {
      return;
    }
    ObjectNode config = converse.putObject("toolConfig");
    ArrayNode specs = config.putArray("tools");
    for (JsonNode tool : tools) {
      ObjectNode spec = specs.addObject().putObject("toolSpec");
      spec.put("name", tool.path("name").asText(""));
      if (tool.has("description")) {
        spec.put("description", tool.get("description").asText());
      }
      // Server tools (computer use, tool search, ...) have a type and no input_schema.
      spec.putObject("inputSchema")
          .set(
              "json",
              tool.path("input_schema").isObject()
                  ? tool.get("input_schema")
                  : ConverseWire.JSON.createObjectNode().put("type", "object"));
      cachePoint(tool, specs);
    }
    JsonNode choice = body.path("tool_choice");
    switch (choice.path("type").asText("").toLowerCase(Locale.ROOT)) {
      case "auto" -> config.putObject("toolChoice").putObject("auto");
      case "any" -> config.putObject("toolChoice").putObject("any");
      case "tool" ->
          config
              .putObject("toolChoice")
              .putObject("tool")
              .put("name", choice.path("name").asText(""));
      default -> {
        // none, or absent: Converse has no "none"; the model simply calls no tool unless scripted
        // to.
      }
    }
  }

  private static void copy(JsonNode from, String name, ObjectNode to, String as) {
    JsonNode value = from.get(name);
    if (value != null && !value.isNull()) {
      to.set(as, value);
    }
  }

  /**
   * The model name a Claude answer carries in {@code model}: the id without geography prefix,
   * provider and version suffix ({@code us.anthropic.claude-sonnet-4-5-20250929-v1:0} -> {@code
   * claude-sonnet-4-5-20250929}).
   */
  static String modelName(String modelId) {
    String id = modelId;
    int slash = id.lastIndexOf('/');
    if (id.startsWith("arn:") && slash >= 0) {
      id = id.substring(slash + 1);
    }
    int provider = id.indexOf("anthropic.");
    if (provider >= 0) {
      id = id.substring(provider + "anthropic.".length());
    }
    return id.replaceFirst("-v\\d+(:\\d+)*$", "").replaceFirst(":.*$", "");
  }

  /**
   * Claude's stop reasons are Converse's, except the Converse-only ones Anthropic has no word for.
   */
  static String stopReason(String converseStopReason) {
    return Map.of("content_filtered", "refusal", "guardrail_intervened", "refusal")
        .getOrDefault(converseStopReason, converseStopReason);
  }
}
