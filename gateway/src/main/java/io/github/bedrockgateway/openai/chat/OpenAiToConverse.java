package io.github.bedrockgateway.openai.chat;

import static io.github.bedrockgateway.converse.Fields.optionalBoolean;
import static io.github.bedrockgateway.converse.Fields.optionalNumber;
import static io.github.bedrockgateway.converse.Fields.optionalObject;
import static io.github.bedrockgateway.converse.Fields.optionalPositiveInt;
import static io.github.bedrockgateway.converse.Fields.optionalString;
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
import io.github.bedrockgateway.converse.Guardrails;
import io.github.bedrockgateway.converse.Inference;
import io.github.bedrockgateway.converse.ModelFamily;
import io.github.bedrockgateway.converse.RequestFields;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.converse.StructuredOutput;
import io.github.bedrockgateway.converse.Thinking;
import io.github.bedrockgateway.converse.ToolPlan;
import io.github.bedrockgateway.converse.TranslationOptions;
import io.github.bedrockgateway.json.Json;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.PerformanceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceTier;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * OpenAI Chat Completions request -> Bedrock Converse request. Pure functions: no I/O, no
 * framework. Every parameter is either mapped, ignored by the rule documented in
 * docs/compatibility.md, or refused with a 400 that names it; Bedrock is never called with a
 * request we already know is wrong.
 */
public final class OpenAiToConverse {

  /** Converse: at most 20 images per request, each at most 3.75 MB. */
  public static final int MAX_IMAGES = Attachments.MAX_IMAGES;

  public static final int MAX_IMAGE_BYTES = Attachments.MAX_IMAGE_BYTES;

  /** OpenAI accepts at most 4 stop sequences, as do several Bedrock models. */
  public static final int MAX_STOP_SEQUENCES = 4;

  /** Converse: at most 10 additional model response field paths, each 1 to 256 characters. */
  static final int MAX_RESPONSE_FIELD_PATHS = 10;

  private static final ToolPlan.Params CHAT_PARAMS =
      new ToolPlan.Params("tool_choice", "reasoning_effort", "response_format");
  private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  /** Converse wants a text block next to documents; added when the user sent files alone. */
  static final String DOCUMENT_NOTE = Conversation.DOCUMENT_NOTE;

  static final String DOCUMENTS_NOTE = Conversation.DOCUMENTS_NOTE;

  private OpenAiToConverse() {}

  /**
   * Translates a parsed request body with the default options (no guardrail, no automatic caching).
   */
  public static ChatRequest translate(JsonNode body, UnaryOperator<String> modelResolver) {
    return translate(body, modelResolver, TranslationOptions.defaults());
  }

  /**
   * Translates a parsed request body.
   *
   * @param body the request JSON
   * @param modelResolver maps the client-facing model name to a Bedrock model id (aliases)
   * @param options the operator's settings
   */
  public static ChatRequest translate(
      JsonNode body, UnaryOperator<String> modelResolver, TranslationOptions options) {
    if (body == null || !body.isObject()) {
      throw invalid(null, "The request body must be a JSON object.");
    }
    String model = requiredString(body, "model");
    if (model.isBlank()) {
      throw invalid("model", "model must not be empty.");
    }
    boolean stream = optionalBoolean(body, "stream", false);
    boolean includeUsage = streamOptions(body, stream);
    refuseUnsupported(body);

    String modelId = modelResolver.apply(model);
    ConverseRequest.Builder converse = ConverseRequest.builder().modelId(modelId);
    JsonNode clientFields =
        optionalObject(body, "additionalModelRequestFields", "additionalModelRequestFields");
    Thinking thinking =
        Thinking.of(
            optionalString(body, "reasoning_effort"),
            "reasoning_effort",
            modelId,
            options.reasoning(),
            clientFields);
    Conversation conversation = messages(body);
    if (thinking.fromEffort() && conversation.toolLoopWithoutSignedReasoning()) {
      // Bedrock requires the signed reasoning in front of the tool call being answered; a client
      // that lost it (history from another model, ids rewritten) gets the turn without thinking,
      // which Anthropic documents as the way out, instead of a 400.
      thinking = Thinking.OFF;
    }
    StructuredOutput structured = ResponseFormat.of(body, modelId, options.structuredOutput());
    ToolPlan tools =
        toolConfig(
            body, conversation, thinking, structured, modelId, options.structuredOutput().models());
    tools.placeAutomaticCachePoints(conversation, modelId, options.promptCaching());
    if (tools.config() != null) {
      converse.toolConfig(tools.config());
    }
    if (tools.structured().outputConfig() != null) {
      converse.outputConfig(tools.structured().outputConfig());
    }
    conversation.system.addAll(tools.notes());
    if (!conversation.system.isEmpty()) {
      converse.system(conversation.system);
    }
    converse.messages(conversation.messages(thinking.enabled()));
    InferenceConfiguration inference = inferenceConfig(body, thinking, options.reasoning());
    if (inference != null) {
      converse.inferenceConfig(inference);
    }
    ObjectNode modelFields = modelRequestFields(body, modelId, thinking, tools, clientFields);
    if (modelFields.size() > 0) {
      converse.additionalModelRequestFields(Documents.fromJson(modelFields));
    }
    Map<String, String> metadata = RequestFields.metadata(body);
    if (!metadata.isEmpty()) {
      converse.requestMetadata(metadata);
    }
    List<String> responsePaths = responseFieldPaths(body);
    if (!responsePaths.isEmpty()) {
      converse.additionalModelResponseFieldPaths(responsePaths);
    }
    PerformanceConfiguration performance = RequestFields.performanceConfig(body);
    if (performance != null) {
      converse.performanceConfig(performance);
    }
    ServiceTier tier = RequestFields.serviceTier(body);
    if (tier != null) {
      converse.serviceTier(tier);
    }
    Guardrails.Choice guardrail = Guardrails.of(body, options.guardrail());
    if (guardrail != null) {
      converse.guardrailConfig(guardrail.config());
    }
    return new ChatRequest(
        model,
        stream,
        includeUsage,
        converse.build(),
        tools.structured().toolName(),
        guardrail == null ? null : guardrail.streamProcessingMode());
  }

  // ---------------------------------------------------------------- top-level parameters

  private static boolean streamOptions(JsonNode body, boolean stream) {
    JsonNode options = body.get("stream_options");
    if (options == null || options.isNull()) {
      return false;
    }
    if (!options.isObject()) {
      throw invalid("stream_options", "stream_options must be an object.");
    }
    if (!stream) {
      throw invalid(
          "stream_options",
          "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
    }
    return optionalBoolean(options, "include_usage", "stream_options.include_usage", false);
  }

  /**
   * Parameters Bedrock cannot honour: refused when they ask for something, accepted at their
   * neutral value.
   */
  private static void refuseUnsupported(JsonNode body) {
    JsonNode n = body.get("n");
    if (n != null && !n.isNull()) {
      if (!n.isIntegralNumber() || n.intValue() < 1) {
        throw invalid("n", "n must be an integer of at least 1.");
      }
      if (n.intValue() > 1) {
        throw unsupported("n", "Only n=1 is supported: Bedrock returns one choice per request.");
      }
    }
    if (optionalBoolean(body, "logprobs", false)) {
      throw unsupported(
          "logprobs",
          "logprobs is not supported: Bedrock does not return token log probabilities.");
    }
    JsonNode topLogprobs = body.get("top_logprobs");
    if (topLogprobs != null && !topLogprobs.isNull()) {
      throw unsupported(
          "top_logprobs",
          "top_logprobs is not supported: Bedrock does not return token log probabilities.");
    }
    for (String penalty : List.of("presence_penalty", "frequency_penalty")) {
      Double value = optionalNumber(body, penalty, -2.0, 2.0);
      if (value != null && value != 0.0) {
        throw unsupported(
            penalty, penalty + " is not supported by Bedrock Converse; send 0 or omit it.");
      }
    }
    JsonNode logitBias = body.get("logit_bias");
    if (logitBias != null && !logitBias.isNull()) {
      if (!logitBias.isObject()) {
        throw invalid("logit_bias", "logit_bias must be an object.");
      }
      if (logitBias.size() > 0) {
        throw unsupported("logit_bias", "logit_bias is not supported by Bedrock Converse.");
      }
    }
    if (body.hasNonNull("functions") || body.hasNonNull("function_call")) {
      String param = body.hasNonNull("functions") ? "functions" : "function_call";
      throw unsupported(
          param,
          "The deprecated '"
              + param
              + "' parameter is not supported; use 'tools' and 'tool_choice'.");
    }
    JsonNode modalities = body.get("modalities");
    if (modalities != null && !modalities.isNull()) {
      if (!modalities.isArray()) {
        throw invalid("modalities", "modalities must be an array.");
      }
      for (JsonNode m : modalities) {
        if (!"text".equals(m.asText())) {
          throw unsupported("modalities", "Only the 'text' output modality is supported.");
        }
      }
    }
    for (String param : List.of("audio", "prediction", "web_search_options")) {
      if (body.hasNonNull(param)) {
        throw unsupported(param, "'" + param + "' is not supported by this gateway.");
      }
    }
    // Checked for type only; their values have no Bedrock counterpart (docs/compatibility.md).
    optionalString(body, "user");
    optionalBoolean(body, "store", false);
    optionalBoolean(body, "parallel_tool_calls", true);
    JsonNode seed = body.get("seed");
    if (seed != null && !seed.isNull() && !seed.isIntegralNumber()) {
      throw invalid("seed", "seed must be an integer.");
    }
  }

  private static InferenceConfiguration inferenceConfig(
      JsonNode body, Thinking thinking, TranslationOptions.Reasoning reasoning) {
    Integer maxTokens = optionalPositiveInt(body, "max_completion_tokens");
    if (maxTokens == null) {
      maxTokens = optionalPositiveInt(body, "max_tokens");
    } else {
      optionalPositiveInt(body, "max_tokens"); // still type-checked
    }
    Double temperature = optionalNumber(body, "temperature", 0.0, 2.0);
    Double topP = optionalNumber(body, "top_p", 0.0, 1.0);
    return Inference.config(maxTokens, temperature, topP, stopSequences(body), thinking, reasoning);
  }

  private static List<String> stopSequences(JsonNode body) {
    JsonNode stop = body.get("stop");
    if (stop == null || stop.isNull()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (stop.isTextual()) {
      if (!stop.asText().isEmpty()) {
        out.add(stop.asText());
      }
    } else if (stop.isArray()) {
      for (int i = 0; i < stop.size(); i++) {
        JsonNode s = stop.get(i);
        if (!s.isTextual()) {
          throw invalid("stop", "stop must be a string or an array of strings.");
        }
        if (!s.asText().isEmpty()) {
          out.add(s.asText());
        }
      }
    } else {
      throw invalid("stop", "stop must be a string or an array of strings.");
    }
    if (out.size() > MAX_STOP_SEQUENCES) {
      throw invalid("stop", "At most " + MAX_STOP_SEQUENCES + " stop sequences are allowed.");
    }
    return out;
  }

  // ---------------------------------------------------------------- Bedrock pass-through fields

  /**
   * {@code additionalModelRequestFields}: what the gateway sets itself (Claude {@code thinking},
   * the provider's {@code top_k}, Anthropic's {@code tool_choice.disable_parallel_tool_use}) with
   * the client's raw object merged over it, the client winning key by key (objects merge
   * recursively).
   */
  private static ObjectNode modelRequestFields(
      JsonNode body, String modelId, Thinking thinking, ToolPlan tools, JsonNode clientFields) {
    ObjectNode fields = Json.MAPPER.createObjectNode();
    if (thinking.fromEffort()) {
      fields.set("thinking", thinking.field());
    }
    JsonNode topK = body.get("top_k");
    if (topK != null && !topK.isNull()) {
      if (!topK.isIntegralNumber() || !topK.canConvertToInt() || topK.intValue() < 1) {
        throw invalid("top_k", "top_k must be an integer of at least 1.");
      }
      // Claude refuses top_k with thinking on; it is dropped like temperature.
      if (!thinking.enabled()) {
        if (ModelFamily.isNova(modelId)) {
          fields.putObject("inferenceConfig").put("topK", topK.intValue());
        } else {
          fields.put("top_k", topK.intValue());
        }
      }
    }
    if (!optionalBoolean(body, "parallel_tool_calls", true)
        && tools.choiceSent()
        && ModelFamily.isAnthropic(modelId)) {
      // No "type": Bedrock derives it from toolConfig.toolChoice and refuses a second one.
      fields.putObject("tool_choice").put("disable_parallel_tool_use", true);
    }
    if (clientFields != null) {
      RequestFields.merge(fields, clientFields);
    }
    return fields;
  }

  private static List<String> responseFieldPaths(JsonNode body) {
    String p = "additionalModelResponseFieldPaths";
    JsonNode paths = body.get(p);
    if (paths == null || paths.isNull()) {
      return List.of();
    }
    if (!paths.isArray() || paths.size() > MAX_RESPONSE_FIELD_PATHS) {
      throw invalid(
          p,
          p
              + " must be an array of at most "
              + MAX_RESPONSE_FIELD_PATHS
              + " JSON Pointer strings.");
    }
    List<String> out = new ArrayList<>(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      JsonNode path = paths.get(i);
      if (!path.isTextual() || path.asText().isEmpty() || path.asText().length() > 256) {
        throw invalid(
            p + "[" + i + "]",
            "Each path must be a JSON Pointer string of 1 to 256 characters, e.g. \"/stop_sequence\".");
      }
      out.add(path.asText());
    }
    return out;
  }

  // ---------------------------------------------------------------- messages

  private static Conversation messages(JsonNode body) {
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

  private static String partType(JsonNode part, String pp) {
    if (!part.isObject()) {
      throw invalid(pp, "Each content part must be an object.");
    }
    JsonNode type = part.get("type");
    if (type == null || !type.isTextual()) {
      throw invalid(pp + ".type", "Missing required parameter: '" + pp + ".type'.");
    }
    return type.asText();
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

  // ---------------------------------------------------------------- tools

  private static ToolPlan toolConfig(
      JsonNode body,
      Conversation c,
      Thinking thinking,
      StructuredOutput structured,
      String modelId,
      List<String> strictModels) {
    JsonNode tools = body.get("tools");
    JsonNode choice = body.get("tool_choice");
    List<Tool> specs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    if (tools != null && !tools.isNull()) {
      if (!tools.isArray()) {
        throw invalid("tools", "tools must be an array.");
      }
      // OpenAI's strict tools map to Converse strict tool use where the model has it.
      boolean strictSupported = TranslationOptions.matches(modelId, strictModels);
      for (int i = 0; i < tools.size(); i++) {
        String p = "tools[" + i + "]";
        specs.add(tool(tools.get(i), p, names, strictSupported));
        CachePointBlock marker = CacheMarkers.of(tools.get(i), p);
        if (marker == null && tools.get(i).path("function").isObject()) {
          marker = CacheMarkers.of(tools.get(i).get("function"), p + ".function");
        }
        if (marker != null) {
          c.countCachePoint(p + ".cache_control");
          specs.add(Tool.fromCachePoint(marker));
        }
      }
    }
    String mode = "auto";
    String forced = null;
    if (choice != null && !choice.isNull()) {
      if (choice.isTextual()) {
        mode = choice.asText();
        if (!Set.of("none", "auto", "required").contains(mode)) {
          throw invalid(
              "tool_choice",
              "Invalid value: '"
                  + mode
                  + "'. Supported values are: 'none', 'auto', 'required' or a named function.");
        }
      } else if (choice.isObject()) {
        String type = choice.path("type").asText("function");
        if (!type.equals("function")) {
          throw unsupported(
              "tool_choice.type",
              "tool_choice of type '"
                  + type
                  + "' is not supported; use 'none', 'auto', 'required' or {\"type\": \"function\", ...}.");
        }
        forced = requiredString(choice.path("function"), "name", "tool_choice.function.name");
        if (!names.contains(forced)) {
          throw invalid(
              "tool_choice",
              "tool_choice names function '" + forced + "', which is not in 'tools'.");
        }
        mode = "function";
      } else {
        throw invalid("tool_choice", "tool_choice must be a string or an object.");
      }
      if (specs.isEmpty() && !"none".equals(mode)) {
        throw invalid("tool_choice", "tool_choice is only allowed when 'tools' are specified.");
      }
    }
    ToolPlan.Choice planned =
        switch (mode) {
          case "none" -> ToolPlan.Choice.NONE;
          case "required" -> ToolPlan.Choice.REQUIRED;
          case "function" -> ToolPlan.Choice.NAMED;
          default -> ToolPlan.Choice.AUTO;
        };
    return ToolPlan.decide(specs, names, planned, forced, c, thinking, structured, CHAT_PARAMS);
  }

  private static Tool tool(JsonNode tool, String p, Set<String> names, boolean strictSupported) {
    if (!tool.isObject()) {
      throw invalid(p, "Each tool must be an object.");
    }
    String type = requiredString(tool, "type", p + ".type");
    if (!"function".equals(type)) {
      throw unsupported(p + ".type", "Only tools of type 'function' are supported.");
    }
    JsonNode function = tool.get("function");
    if (function == null || !function.isObject()) {
      throw invalid(p + ".function", "Missing required parameter: '" + p + ".function'.");
    }
    String name = requiredString(function, "name", p + ".function.name");
    if (!TOOL_NAME.matcher(name).matches()) {
      throw invalid(
          p + ".function.name",
          "Invalid tool name '" + name + "': names must match [a-zA-Z0-9_-]{1,64}.");
    }
    if (!names.add(name)) {
      throw invalid(p + ".function.name", "Duplicate tool name '" + name + "'.");
    }
    String description = optionalString(function, "description", p + ".function.description");
    boolean strict = optionalBoolean(function, "strict", p + ".function.strict", false);
    JsonNode parameters = function.get("parameters");
    if (parameters == null || parameters.isNull()) {
      parameters =
          Json.MAPPER
              .createObjectNode()
              .put("type", "object")
              .set("properties", Json.MAPPER.createObjectNode());
    } else if (!parameters.isObject()) {
      throw invalid(
          p + ".function.parameters", "function.parameters must be a JSON Schema object.");
    }
    ToolSpecification.Builder spec =
        ToolSpecification.builder()
            .name(name)
            .inputSchema(ToolInputSchema.fromJson(Documents.fromJson(parameters)));
    if (description != null && !description.isEmpty()) {
      spec.description(description);
    }
    if (strict && strictSupported) {
      spec.strict(true);
    }
    return Tool.fromToolSpec(spec.build());
  }
}
