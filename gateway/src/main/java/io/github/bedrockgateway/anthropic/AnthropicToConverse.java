package io.github.bedrockgateway.anthropic;

import static io.github.bedrockgateway.error.GatewayException.invalid;
import static io.github.bedrockgateway.error.GatewayException.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.converse.Attachments;
import io.github.bedrockgateway.converse.CacheMarkers;
import io.github.bedrockgateway.converse.Documents;
import io.github.bedrockgateway.converse.ModelFamily;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.AnyToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.AutoToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentFormat;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentSource;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.JsonSchemaDefinition;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.OutputConfig;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormat;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatStructure;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatType;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceTier;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultStatus;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Anthropic Messages request -> Bedrock Converse request, for the models that do not take the
 * Anthropic body (Nova, Llama, Mistral, ...). Pure: no I/O, no framework. Every field is mapped,
 * dropped by a rule docs/compatibility.md states, or refused with a 400 naming it; the Anthropic
 * API refuses unknown fields, and so does this translation.
 */
public final class AnthropicToConverse {

  /** Converse wants a text block next to documents; added when the user sent documents alone. */
  static final String DOCUMENT_NOTE = "See the attached document.";

  static final String NO_TOOLS_NOTE =
      "No tool may be called in this turn: answer the user directly without calling any tool.";

  private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  /** Top-level fields this translation reads; any other is refused, as the Anthropic API does. */
  private static final Set<String> KNOWN =
      Set.of(
          "model",
          "max_tokens",
          "messages",
          "system",
          "stop_sequences",
          "temperature",
          "top_p",
          "top_k",
          "metadata",
          "tools",
          "tool_choice",
          "thinking",
          "stream",
          "service_tier",
          "output_config",
          "context_management",
          "container",
          "mcp_servers",
          "anthropic_version",
          "anthropic_beta");

  private AnthropicToConverse() {}

  /** Translates {@code request} for {@code modelId} (a Bedrock id that is not Claude). */
  public static ConverseRequest translate(MessagesRequest request, String modelId) {
    JsonNode body = request.body();
    refuseUnsupported(body);
    ConverseRequest.Builder converse = ConverseRequest.builder().modelId(modelId);
    Conversation c = new Conversation();
    system(body.get("system"), c);
    messages(body.get("messages"), c);
    Tools tools = tools(body, c);
    if (tools.config != null) {
      converse.toolConfig(tools.config);
    }
    c.system.addAll(tools.notes);
    if (!c.system.isEmpty()) {
      converse.system(c.system);
    }
    converse.messages(c.messages());
    converse.inferenceConfig(inference(body, request.maxTokens()));
    JsonNode topK = body.get("top_k");
    if (topK != null && !topK.isNull()) {
      if (!topK.isIntegralNumber() || !topK.canConvertToInt() || topK.intValue() < 0) {
        throw invalid("top_k", "top_k: Input should be a non-negative integer");
      }
      // Nova reads top_k inside its own inferenceConfig; the other providers at the top level.
      com.fasterxml.jackson.databind.node.ObjectNode fields = Json.MAPPER.createObjectNode();
      if (ModelFamily.isNova(modelId)) {
        fields.putObject("inferenceConfig").put("topK", topK.intValue());
      } else {
        fields.put("top_k", topK.intValue());
      }
      converse.additionalModelRequestFields(Documents.fromJson(fields));
    }
    OutputConfig output = outputConfig(body);
    if (output != null) {
      converse.outputConfig(output);
    }
    String tier = ClaudeBody.serviceTier(body);
    if (tier != null) {
      converse.serviceTier(ServiceTier.builder().type(tier).build());
    }
    return converse.build();
  }

  // ------------------------------------------------------------------ top level

  private static void refuseUnsupported(JsonNode body) {
    Iterator<String> names = body.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!KNOWN.contains(name)) {
        throw invalid(name, name + ": Extra inputs are not permitted");
      }
    }
    JsonNode thinking = body.get("thinking");
    if (thinking != null && !thinking.isNull()) {
      String type = thinking.path("type").asText("");
      if (!type.equals("disabled")) {
        throw unsupported(
            "thinking",
            "thinking: extended thinking is available for Claude models only; this model is called"
                + " through Bedrock Converse, which has no equivalent. Omit 'thinking' or send"
                + " {\"type\": \"disabled\"}.");
      }
    }
    for (String field : List.of("context_management", "container", "mcp_servers")) {
      JsonNode value = body.get(field);
      if (value != null && !value.isNull()) {
        throw unsupported(
            field,
            field
                + ": this feature runs on Anthropic's servers for Claude models only; Bedrock"
                + " Converse has no equivalent for this model.");
      }
    }
    JsonNode metadata = body.get("metadata");
    if (metadata != null && !metadata.isNull()) {
      if (!metadata.isObject()) {
        throw invalid("metadata", "metadata: Input should be an object");
      }
      JsonNode user = metadata.get("user_id");
      if (user != null && !user.isNull() && !user.isTextual()) {
        throw invalid("metadata.user_id", "metadata.user_id: Input should be a string");
      }
    }
  }

  private static InferenceConfiguration inference(JsonNode body, int maxTokens) {
    InferenceConfiguration.Builder b = InferenceConfiguration.builder().maxTokens(maxTokens);
    Double temperature = number(body, "temperature", 0, 1);
    if (temperature != null) {
      b.temperature(temperature.floatValue());
    }
    Double topP = number(body, "top_p", 0, 1);
    if (topP != null) {
      b.topP(topP.floatValue());
    }
    List<String> stop = stopSequences(body);
    if (!stop.isEmpty()) {
      b.stopSequences(stop);
    }
    return b.build();
  }

  /** The {@code stop_sequences} of a request (empty strings dropped: Converse refuses them). */
  static List<String> stopSequences(JsonNode body) {
    JsonNode stop = body.get("stop_sequences");
    if (stop == null || stop.isNull()) {
      return List.of();
    }
    if (!stop.isArray()) {
      throw invalid("stop_sequences", "stop_sequences: Input should be a valid list of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < stop.size(); i++) {
      if (!stop.get(i).isTextual()) {
        throw invalid(
            "stop_sequences." + i, "stop_sequences." + i + ": Input should be a valid string");
      }
      if (!stop.get(i).asText().isEmpty()) {
        out.add(stop.get(i).asText());
      }
    }
    return out;
  }

  private static Double number(JsonNode body, String field, double min, double max) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber() || v.doubleValue() < min || v.doubleValue() > max) {
      throw invalid(
          field, field + ": Input should be a number from " + (int) min + " to " + (int) max);
    }
    return v.doubleValue();
  }

  /**
   * {@code output_config.format} ({@code json_schema}) is Converse's structured output; {@code
   * effort} tunes Claude's thinking, which these models do not have.
   */
  private static OutputConfig outputConfig(JsonNode body) {
    JsonNode config = body.get("output_config");
    if (config == null || config.isNull()) {
      return null;
    }
    if (!config.isObject()) {
      throw invalid("output_config", "output_config: Input should be an object");
    }
    OutputConfig result = null;
    Iterator<String> names = config.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (name.equals("format")) {
        JsonNode format = config.get("format");
        if (format == null || format.isNull()) {
          continue;
        }
        if (!"json_schema".equals(format.path("type").asText())
            || !format.path("schema").isObject()) {
          throw invalid(
              "output_config.format",
              "output_config.format: Input should be {\"type\": \"json_schema\", \"schema\": {...}}");
        }
        result =
            OutputConfig.builder()
                .textFormat(
                    OutputFormat.builder()
                        .type(OutputFormatType.JSON_SCHEMA)
                        .structure(
                            OutputFormatStructure.fromJsonSchema(
                                JsonSchemaDefinition.builder()
                                    .schema(format.get("schema").toString())
                                    .build()))
                        .build())
                .build();
      } else if (name.equals("effort")) {
        throw unsupported(
            "output_config.effort",
            "output_config.effort: effort tunes Claude's thinking and is available for Claude models"
                + " only.");
      } else {
        throw invalid(
            "output_config." + name, "output_config." + name + ": Extra inputs are not permitted");
      }
    }
    return result;
  }

  // ------------------------------------------------------------------ conversation

  /** One Converse turn being built. */
  private static final class Turn {
    final ConversationRole role;
    final List<ContentBlock> blocks = new ArrayList<>();

    Turn(ConversationRole role) {
      this.role = role;
    }
  }

  /**
   * The conversation being built: system blocks, turns merged by role, what was counted on the way.
   */
  private static final class Conversation {
    final List<SystemContentBlock> system = new ArrayList<>();
    final List<Turn> turns = new ArrayList<>();
    final Set<String> documentNames = new HashSet<>();
    int images;
    int documents;
    int cachePoints;
    boolean hasToolBlocks;

    /**
     * Converse requires alternating roles, as the Messages API merges consecutive turns of one
     * role.
     */
    void add(ConversationRole role, List<ContentBlock> blocks) {
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

    List<Message> messages() {
      List<Message> out = new ArrayList<>(turns.size());
      for (Turn t : turns) {
        List<ContentBlock> content = new ArrayList<>(t.blocks);
        if (t.role == ConversationRole.USER
            && content.stream().anyMatch(b -> b.document() != null)
            && content.stream().noneMatch(b -> b.text() != null)) {
          content.add(ContentBlock.fromText(DOCUMENT_NOTE));
        }
        out.add(Message.builder().role(t.role).content(content).build());
      }
      return out;
    }
  }

  private static void system(JsonNode system, Conversation c) {
    if (system == null || system.isNull()) {
      return;
    }
    if (system.isTextual()) {
      if (!system.asText().isEmpty()) {
        c.system.add(SystemContentBlock.fromText(system.asText()));
      }
      return;
    }
    if (!system.isArray()) {
      throw invalid("system", "system: Input should be a string or a list of text blocks");
    }
    systemBlocks(system, "system", c);
  }

  private static void systemBlocks(JsonNode blocks, String p, Conversation c) {
    for (int i = 0; i < blocks.size(); i++) {
      JsonNode block = blocks.get(i);
      String bp = p + "." + i;
      if (!"text".equals(type(block, bp))) {
        throw invalid(bp + ".type", bp + ".type: only text blocks are allowed here");
      }
      String text = text(block, bp);
      if (!text.isEmpty()) {
        c.system.add(SystemContentBlock.fromText(text));
        CachePointBlock marker = CacheMarkers.of(block, bp);
        if (marker != null) {
          c.countCachePoint(bp + ".cache_control");
          c.system.add(SystemContentBlock.fromCachePoint(marker));
        }
      }
    }
  }

  private static void messages(JsonNode messages, Conversation c) {
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String p = "messages." + i;
      String role = m.get("role").asText();
      JsonNode content = m.get("content");
      switch (role) {
        case "user" -> c.add(ConversationRole.USER, userContent(content, p + ".content", c));
        case "assistant" ->
            c.add(ConversationRole.ASSISTANT, assistantContent(content, p + ".content", c));
        case "system" -> {
          // Claude Code sends a system turn inside messages; Converse has a system prompt only.
          if (content.isTextual()) {
            if (!content.asText().isEmpty()) {
              c.system.add(SystemContentBlock.fromText(content.asText()));
            }
          } else if (content.isArray()) {
            systemBlocks(content, p + ".content", c);
          } else {
            throw invalid(
                p + ".content", p + ".content: Input should be a string or a list of blocks");
          }
        }
        default -> throw invalid(p + ".role", p + ".role: Input should be 'user' or 'assistant'");
      }
    }
    if (c.turns.isEmpty()) {
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

  private static List<ContentBlock> userContent(JsonNode content, String p, Conversation c) {
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
            case "image" -> ContentBlock.fromImage(image(block, bp, c));
            case "document" -> document(block, bp, c);
            case "tool_result" -> toolResult(block, bp, c);
            case "tool_use", "thinking", "redacted_thinking" ->
                throw invalid(
                    bp + ".type", bp + ".type: '" + type + "' blocks belong to assistant turns");
            default -> throw unsupportedBlock(type, bp);
          };
      if (converted != null) {
        out.add(converted);
        addCachePoint(block, bp, out, c);
      }
    }
    return out;
  }

  private static List<ContentBlock> assistantContent(JsonNode content, String p, Conversation c) {
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
            case "tool_use" -> toolUse(block, bp, c);
            // Signed reasoning is Claude's; other models take none back (docs/compatibility.md).
            case "thinking", "redacted_thinking" -> null;
            case "image", "document", "tool_result" ->
                throw invalid(
                    bp + ".type", bp + ".type: '" + type + "' blocks belong to user turns");
            default -> throw unsupportedBlock(type, bp);
          };
      if (converted != null) {
        out.add(converted);
        addCachePoint(block, bp, out, c);
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

  private static void addCachePoint(
      JsonNode block, String bp, List<ContentBlock> out, Conversation c) {
    CachePointBlock marker = CacheMarkers.of(block, bp);
    if (marker != null) {
      c.countCachePoint(bp + ".cache_control");
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

  private static ImageBlock image(JsonNode block, String bp, Conversation c) {
    JsonNode source = block.get("source");
    String sp = bp + ".source";
    if (source == null || !source.isObject()) {
      throw invalid(sp, sp + ": Field required");
    }
    if (++c.images > Attachments.MAX_IMAGES) {
      throw invalid(
          sp, sp + ": Bedrock accepts at most " + Attachments.MAX_IMAGES + " images per request");
    }
    String sourceType = source.path("type").asText("");
    if (!sourceType.equals("base64")) {
      throw unsupported(
          sp + ".type",
          sp
              + ".type: only base64 image sources are supported for this model (send the image"
              + " bytes, not a '"
              + sourceType
              + "' reference)");
    }
    String mediaType = source.path("media_type").asText("");
    ImageFormat format =
        switch (mediaType) {
          case "image/png" -> ImageFormat.PNG;
          case "image/jpeg" -> ImageFormat.JPEG;
          case "image/gif" -> ImageFormat.GIF;
          case "image/webp" -> ImageFormat.WEBP;
          default ->
              throw invalid(
                  sp + ".media_type",
                  sp
                      + ".media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or"
                      + " 'image/webp'");
        };
    byte[] bytes = base64(source, sp + ".data", Attachments.MAX_IMAGE_BYTES, "3.75 MB");
    return ImageBlock.builder()
        .format(format)
        .source(s -> s.bytes(SdkBytes.fromByteArrayUnsafe(bytes)))
        .build();
  }

  private static ContentBlock document(JsonNode block, String bp, Conversation c) {
    JsonNode source = block.get("source");
    String sp = bp + ".source";
    if (source == null || !source.isObject()) {
      throw invalid(sp, sp + ": Field required");
    }
    if (++c.documents > Attachments.MAX_DOCUMENTS) {
      throw invalid(
          sp,
          sp + ": Bedrock accepts at most " + Attachments.MAX_DOCUMENTS + " documents per request");
    }
    String sourceType = source.path("type").asText("");
    DocumentFormat format;
    byte[] bytes;
    switch (sourceType) {
      case "base64" -> {
        if (!"application/pdf".equals(source.path("media_type").asText())) {
          throw invalid(sp + ".media_type", sp + ".media_type: Input should be 'application/pdf'");
        }
        format = DocumentFormat.PDF;
        bytes = base64(source, sp + ".data", Attachments.MAX_DOCUMENT_BYTES, "4.5 MB");
      }
      case "text" -> {
        JsonNode data = source.get("data");
        if (data == null || !data.isTextual() || data.asText().isEmpty()) {
          throw invalid(sp + ".data", sp + ".data: Input should be a non-empty string");
        }
        format = DocumentFormat.TXT;
        bytes = data.asText().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Attachments.MAX_DOCUMENT_BYTES) {
          throw invalid(sp + ".data", sp + ".data: documents of at most 4.5 MB are accepted");
        }
      }
      default ->
          throw unsupported(
              sp + ".type",
              sp
                  + ".type: only 'base64' (PDF) and 'text' document sources are supported for this"
                  + " model");
    }
    JsonNode title = block.get("title");
    String name =
        Attachments.documentName(
            title != null && title.isTextual() ? title.asText() : null, c.documents);
    String unique = name;
    for (int n = 2; !c.documentNames.add(unique.toLowerCase(Locale.ROOT)); n++) {
      unique = name + " (" + n + ")";
    }
    return ContentBlock.fromDocument(
        DocumentBlock.builder()
            .format(format)
            .name(unique)
            .source(DocumentSource.fromBytes(SdkBytes.fromByteArrayUnsafe(bytes)))
            .build());
  }

  private static byte[] base64(JsonNode source, String dp, int maxBytes, String limit) {
    JsonNode data = source.get("data");
    if (data == null || !data.isTextual()) {
      throw invalid(dp, dp + ": Field required");
    }
    String text = data.asText();
    if (text.length() * 3L / 4 > maxBytes + 2) {
      throw invalid(dp, dp + ": Bedrock accepts at most " + limit + " here");
    }
    byte[] bytes;
    try {
      bytes = Base64.getMimeDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw invalid(dp, dp + ": Input is not valid base64");
    }
    if (bytes.length == 0 || bytes.length > maxBytes) {
      throw invalid(dp, dp + ": Bedrock accepts 1 byte to " + limit + " here");
    }
    return bytes;
  }

  private static ContentBlock toolUse(JsonNode block, String bp, Conversation c) {
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
    c.hasToolBlocks = true;
    return ContentBlock.fromToolUse(
        ToolUseBlock.builder()
            .toolUseId(SignedReasoning.bedrockSafe(id.asText()))
            .name(name.asText())
            .input(Documents.fromJson(input))
            .build());
  }

  private static ContentBlock toolResult(JsonNode block, String bp, Conversation c) {
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
          case "image" -> parts.add(ToolResultContentBlock.fromImage(image(item, ip, c)));
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
    c.hasToolBlocks = true;
    return ContentBlock.fromToolResult(result.build());
  }

  // ------------------------------------------------------------------ tools

  private static final class Tools {
    ToolConfiguration config;
    final List<SystemContentBlock> notes = new ArrayList<>();
  }

  private static Tools tools(JsonNode body, Conversation c) {
    Tools out = new Tools();
    JsonNode tools = body.get("tools");
    List<Tool> specs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    if (tools != null && !tools.isNull()) {
      if (!tools.isArray()) {
        throw invalid("tools", "tools: Input should be a valid list");
      }
      for (int i = 0; i < tools.size(); i++) {
        String p = "tools." + i;
        specs.add(tool(tools.get(i), p, names));
        CachePointBlock marker = CacheMarkers.of(tools.get(i), p);
        if (marker != null) {
          c.countCachePoint(p + ".cache_control");
          specs.add(Tool.fromCachePoint(marker));
        }
      }
    }
    JsonNode choice = body.get("tool_choice");
    String mode = "auto";
    String forced = null;
    if (choice != null && !choice.isNull()) {
      if (!choice.isObject()) {
        throw invalid("tool_choice", "tool_choice: Input should be an object");
      }
      mode = choice.path("type").asText("");
      switch (mode) {
        case "auto", "any", "none" -> {}
        case "tool" -> {
          JsonNode name = choice.get("name");
          if (name == null || !name.isTextual()) {
            throw invalid("tool_choice.name", "tool_choice.name: Field required");
          }
          forced = name.asText();
          if (!names.contains(forced)) {
            throw invalid(
                "tool_choice.name", "tool_choice.name: no tool named '" + forced + "' in tools");
          }
        }
        default ->
            throw invalid(
                "tool_choice.type",
                "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
      }
      JsonNode parallel = choice.get("disable_parallel_tool_use");
      if (parallel != null && !parallel.isNull() && !parallel.isBoolean()) {
        throw invalid(
            "tool_choice.disable_parallel_tool_use",
            "tool_choice.disable_parallel_tool_use: Input should be a valid boolean");
      }
      if (specs.isEmpty() && !mode.equals("none") && !mode.equals("auto")) {
        throw invalid("tool_choice", "tool_choice: forcing a tool requires 'tools'");
      }
    }
    if (specs.isEmpty()) {
      return out;
    }
    if (mode.equals("none")) {
      if (!c.hasToolBlocks) {
        return out; // without tools the model cannot call one
      }
      // Converse refuses tool blocks in the history without a toolConfig, and has no "none" choice.
      out.notes.add(SystemContentBlock.fromText(NO_TOOLS_NOTE));
      out.config = ToolConfiguration.builder().tools(specs).build();
      return out;
    }
    ToolChoice toolChoice =
        switch (mode) {
          case "any" -> ToolChoice.fromAny(AnyToolChoice.builder().build());
          case "tool" -> ToolChoice.fromTool(SpecificToolChoice.builder().name(forced).build());
          default -> ToolChoice.fromAuto(AutoToolChoice.builder().build());
        };
    ToolConfiguration.Builder config = ToolConfiguration.builder().tools(specs);
    if (choice != null && !choice.isNull()) {
      config.toolChoice(toolChoice);
    }
    out.config = config.build();
    return out;
  }

  private static Tool tool(JsonNode tool, String p, Set<String> names) {
    if (!tool.isObject()) {
      throw invalid(p, p + ": Input should be an object");
    }
    JsonNode type = tool.get("type");
    if (type != null && !type.isNull() && !"custom".equals(type.asText())) {
      throw unsupported(
          p + ".type",
          p
              + ".type: '"
              + type.asText()
              + "' is one of Anthropic's server tools, available with"
              + " Claude models only; define a custom tool (name, description, input_schema)"
              + " instead.");
    }
    JsonNode name = tool.get("name");
    if (name == null || !name.isTextual()) {
      throw invalid(p + ".name", p + ".name: Field required");
    }
    if (!TOOL_NAME.matcher(name.asText()).matches()) {
      throw invalid(p + ".name", p + ".name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'");
    }
    if (!names.add(name.asText())) {
      throw invalid(p + ".name", p + ".name: tool names must be unique ('" + name.asText() + "')");
    }
    JsonNode schema = tool.get("input_schema");
    if (schema == null || schema.isNull()) {
      throw invalid(p + ".input_schema", p + ".input_schema: Field required");
    }
    if (!schema.isObject()) {
      throw invalid(p + ".input_schema", p + ".input_schema: Input should be a JSON Schema object");
    }
    ToolSpecification.Builder spec =
        ToolSpecification.builder()
            .name(name.asText())
            .inputSchema(ToolInputSchema.fromJson(Documents.fromJson(schema)));
    JsonNode description = tool.get("description");
    if (description != null && description.isTextual() && !description.asText().isEmpty()) {
      spec.description(description.asText());
    }
    // defer_loading, strict and input_examples tune how Claude loads and calls tools; the tool is
    // sent as it is (docs/compatibility.md).
    return Tool.fromToolSpec(spec.build());
  }
}
