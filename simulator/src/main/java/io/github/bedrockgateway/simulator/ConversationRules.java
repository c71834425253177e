package io.github.bedrockgateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The request checks Bedrock makes before any model runs, with its messages, so a gateway that
 * builds a bad conversation fails here exactly as it would against AWS.
 */
final class ConversationRules {

  static final int MAX_DOCUMENTS = 5;
  static final int MAX_CACHE_POINTS = 4;
  static final Set<String> DOCUMENT_FORMATS =
      Set.of("pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md");
  private static final Pattern TOOL_USE_ID = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final Pattern DOCUMENT_NAME =
      Pattern.compile("[A-Za-z0-9\\-()\\[\\]]+(?: [A-Za-z0-9\\-()\\[\\]]+)*");

  private ConversationRules() {}

  /**
   * The first rule the body breaks for {@code modelId}, or null when Bedrock would accept it: the
   * Converse rules below, then the rules of the model's provider ({@link ClaudeRules}).
   */
  static BedrockError check(JsonNode body, String modelId) {
    BedrockError error = check(body);
    if (error == null) {
      error = checkAttachmentsAndIds(body);
    }
    if (error == null) {
      error = checkRequestFields(body);
    }
    if (error == null && ClaudeRules.applies(modelId)) {
      error = ClaudeRules.check(body);
    }
    return error;
  }

  /** The first rule the body breaks, or null when Bedrock would accept it. */
  static BedrockError check(JsonNode body) {
    JsonNode messages = body.path("messages");
    if (!messages.isArray()) {
      return BedrockError.validation(
          "1 validation error detected: Value null at 'messages' failed to satisfy"
              + " constraint: Member must not be null");
    }
    if (messages.isEmpty()) {
      return BedrockError.validation(
          "A conversation must start with a user message. Try again with a"
              + " conversation that starts with a user message.");
    }
    String previousRole = null;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String role = message.path("role").asText("");
      if (!role.equals("user") && !role.equals("assistant")) {
        return BedrockError.validation(
            "1 validation error detected: Value '"
                + role
                + "' at 'messages."
                + (i + 1)
                + ".member.role' failed to satisfy constraint: Member must satisfy enum value set:"
                + " [user, assistant]");
      }
      if (i == 0 && !role.equals("user")) {
        return BedrockError.validation(
            "A conversation must start with a user message. Try again with a"
                + " conversation that starts with a user message.");
      }
      if (role.equals(previousRole)) {
        return BedrockError.validation(
            "A conversation must alternate between user and assistant roles."
                + " Make sure the conversation alternates between user and assistant roles and try again.");
      }
      previousRole = role;
      BedrockError contentError =
          checkContent(message.path("content"), "messages." + i, "Message", "ContentBlock");
      if (contentError != null) {
        return contentError;
      }
    }
    JsonNode system = body.path("system");
    if (system.isArray()) {
      for (int i = 0; i < system.size(); i++) {
        if (isBlankText(system.get(i))) {
          return blankText("SystemContentBlock", "system." + i);
        }
      }
    }
    JsonNode maxTokens = body.path("inferenceConfig").path("maxTokens");
    if (maxTokens.isNumber() && maxTokens.asLong() < 1) {
      return BedrockError.validation(
          "1 validation error detected: Value '"
              + maxTokens.asLong()
              + "' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater"
              + " than or equal to 1");
    }
    return null;
  }

  private static BedrockError checkContent(
      JsonNode content, String path, String owner, String blockType) {
    if (!content.isArray() || content.isEmpty()) {
      return BedrockError.validation(
          "The content field in the "
              + owner
              + " object at "
              + path
              + " is empty. Add a ContentBlock object to the content field and try again.");
    }
    for (int j = 0; j < content.size(); j++) {
      if (isBlankText(content.get(j))) {
        return blankText(blockType, path + ".content." + j);
      }
    }
    return null;
  }

  private static boolean isBlankText(JsonNode block) {
    JsonNode text = block.get("text");
    return text != null && text.asText("").isBlank();
  }

  private static BedrockError blankText(String blockType, String path) {
    return BedrockError.validation(
        "The text field in the "
            + blockType
            + " object at "
            + path
            + " is blank. Add text to the text field, and try again.");
  }

  /** Tool-use ids, documents (format, name, count, a text block beside them) and cache points. */
  private static BedrockError checkAttachmentsAndIds(JsonNode body) {
    JsonNode messages = body.path("messages");
    int documents = 0;
    int cachePoints =
        countCachePoints(body.path("system"))
            + countCachePoints(body.path("toolConfig").path("tools"));
    Set<String> documentNames = new HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode content = messages.get(i).path("content");
      boolean hasDocument = false;
      boolean hasText = false;
      for (int j = 0; j < content.size(); j++) {
        JsonNode block = content.get(j);
        String at = "messages." + (i + 1) + ".member.content." + (j + 1) + ".member";
        for (String kind : new String[] {"toolUse", "toolResult"}) {
          JsonNode id = block.path(kind).path("toolUseId");
          if (block.has(kind) && !TOOL_USE_ID.matcher(id.asText("")).matches()) {
            return BedrockError.validation(
                "1 validation error detected: Value '"
                    + id.asText("")
                    + "' at '"
                    + at
                    + "."
                    + kind
                    + ".toolUseId' failed to satisfy constraint: Member must"
                    + " satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$");
          }
        }
        hasText |= block.has("text");
        cachePoints += block.has("cachePoint") ? 1 : 0;
        JsonNode document = block.get("document");
        if (document == null) {
          continue;
        }
        hasDocument = true;
        if (++documents > MAX_DOCUMENTS) {
          return BedrockError.validation(
              "You can include up to " + MAX_DOCUMENTS + " documents in a request.");
        }
        String format = document.path("format").asText("");
        if (!DOCUMENT_FORMATS.contains(format)) {
          return BedrockError.validation(
              "1 validation error detected: Value '"
                  + format
                  + "' at '"
                  + at
                  + ".document.format' failed to satisfy constraint: Member must satisfy enum value set:"
                  + " [pdf, csv, doc, docx, xls, xlsx, html, txt, md]");
        }
        String name = document.path("name").asText("");
        if (name.length() > 200 || !DOCUMENT_NAME.matcher(name).matches()) {
          return BedrockError.validation(
              "The document file name can only contain alphanumeric characters,"
                  + " whitespace characters, hyphens, parentheses, and square brackets. The name can't contain"
                  + " more than one consecutive whitespace character.");
        }
        if (!documentNames.add(name.toLowerCase(Locale.ROOT))) {
          return BedrockError.validation(
              "The document names in a request must be unique: '" + name + "' is used twice.");
        }
        if (document.path("source").path("bytes").asText("").isEmpty()) {
          return BedrockError.validation("The document at " + at + " has no content.");
        }
      }
      if (hasDocument && !hasText) {
        return BedrockError.validation(
            "A message that contains a document must also contain a text block:"
                + " add a text block to messages."
                + i
                + " and try again.");
      }
    }
    if (cachePoints > MAX_CACHE_POINTS) {
      return BedrockError.validation(
          "The model returned the following errors: A maximum of "
              + MAX_CACHE_POINTS
              + " blocks with cache_control may be provided. Found "
              + cachePoints
              + ".");
    }
    return null;
  }

  private static int countCachePoints(JsonNode blocks) {
    int count = 0;
    for (JsonNode block : blocks) {
      count += block.has("cachePoint") ? 1 : 0;
    }
    return count;
  }

  /**
   * {@code outputConfig}, {@code guardrailConfig}, {@code serviceTier} and {@code
   * performanceConfig}.
   */
  private static BedrockError checkRequestFields(JsonNode body) {
    JsonNode textFormat = body.path("outputConfig").path("textFormat");
    if (!textFormat.isMissingNode()) {
      JsonNode schema = textFormat.path("structure").path("jsonSchema").path("schema");
      if (!"json_schema".equals(textFormat.path("type").asText()) || !schema.isTextual()) {
        return BedrockError.validation(
            "outputConfig.textFormat needs type json_schema and a"
                + " structure.jsonSchema.schema string.");
      }
      try {
        JsonNode parsed = ConverseWire.JSON.readTree(schema.asText());
        if (parsed == null || !parsed.isObject()) {
          throw new IOException("not an object");
        }
      } catch (IOException e) {
        return BedrockError.validation(
            "The JSON schema in outputConfig.textFormat.structure.jsonSchema.schema"
                + " is not a valid JSON object.");
      }
    }
    JsonNode guardrail = body.get("guardrailConfig");
    if (guardrail != null) {
      for (String field : new String[] {"guardrailIdentifier", "guardrailVersion"}) {
        if (!guardrail.path(field).isTextual() || guardrail.path(field).asText().isEmpty()) {
          return BedrockError.validation(
              "1 validation error detected: Value null at 'guardrailConfig."
                  + field
                  + "' failed to satisfy constraint: Member must not be null");
        }
      }
      String mode = guardrail.path("streamProcessingMode").asText("sync");
      if (!mode.equals("sync") && !mode.equals("async")) {
        return BedrockError.validation(
            "1 validation error detected: Value '"
                + mode
                + "' at"
                + " 'guardrailConfig.streamProcessingMode' failed to satisfy constraint: Member must satisfy"
                + " enum value set: [sync, async]");
      }
    }
    String tier = body.path("serviceTier").path("type").asText("default");
    if (!Set.of("default", "priority", "flex", "reserved").contains(tier)) {
      return BedrockError.validation(
          "1 validation error detected: Value '"
              + tier
              + "' at 'serviceTier.type'"
              + " failed to satisfy constraint: Member must satisfy enum value set: [priority, default, flex, reserved]");
    }
    String latency = body.path("performanceConfig").path("latency").asText("standard");
    if (!latency.equals("standard") && !latency.equals("optimized")) {
      return BedrockError.validation(
          "1 validation error detected: Value '"
              + latency
              + "' at"
              + " 'performanceConfig.latency' failed to satisfy constraint: Member must satisfy enum value set:"
              + " [standard, optimized]");
    }
    return null;
  }
}
