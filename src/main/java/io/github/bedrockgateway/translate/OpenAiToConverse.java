package io.github.bedrockgateway.translate;

import static io.github.bedrockgateway.api.OpenAiException.invalid;
import static io.github.bedrockgateway.api.OpenAiException.unsupported;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.AnyToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.AutoToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * OpenAI Chat Completions request -> Bedrock Converse request. Pure functions: no I/O, no framework.
 * Every parameter is either mapped, ignored by the rule documented in docs/compatibility.md, or refused
 * with a 400 that names it; Bedrock is never called with a request we already know is wrong.
 */
public final class OpenAiToConverse {

    /** Converse: at most 20 images per request, each at most 3.75 MB. */
    public static final int MAX_IMAGES = 20;
    public static final int MAX_IMAGE_BYTES = 3_932_160;
    /** OpenAI accepts at most 4 stop sequences, as do several Bedrock models. */
    public static final int MAX_STOP_SEQUENCES = 4;

    private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final String NO_TOOLS_NOTE =
            "No tool may be called in this turn: answer the user directly without calling any tool.";

    private OpenAiToConverse() {
    }

    /**
     * Translates a parsed request body.
     *
     * @param body the request JSON
     * @param modelResolver maps the client-facing model name to a Bedrock model id (aliases)
     */
    public static ChatRequest translate(JsonNode body, UnaryOperator<String> modelResolver) {
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

        ConverseRequest.Builder converse = ConverseRequest.builder().modelId(modelResolver.apply(model));
        Conversation conversation = messages(body);
        ToolConfiguration toolConfig = toolConfig(body, conversation);
        if (toolConfig != null) {
            converse.toolConfig(toolConfig);
        }
        if (!conversation.system.isEmpty()) {
            converse.system(conversation.system);
        }
        converse.messages(conversation.messages());
        InferenceConfiguration inference = inferenceConfig(body);
        if (inference != null) {
            converse.inferenceConfig(inference);
        }
        Map<String, String> metadata = metadata(body);
        if (!metadata.isEmpty()) {
            converse.requestMetadata(metadata);
        }
        return new ChatRequest(model, stream, includeUsage, converse.build());
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
            throw invalid("stream_options", "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
        }
        return optionalBoolean(options, "include_usage", "stream_options.include_usage", false);
    }

    /** Parameters Bedrock cannot honour: refused when they ask for something, accepted at their neutral value. */
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
            throw unsupported("logprobs", "logprobs is not supported: Bedrock does not return token log probabilities.");
        }
        JsonNode topLogprobs = body.get("top_logprobs");
        if (topLogprobs != null && !topLogprobs.isNull()) {
            throw unsupported("top_logprobs", "top_logprobs is not supported: Bedrock does not return token log probabilities.");
        }
        for (String penalty : List.of("presence_penalty", "frequency_penalty")) {
            Double value = optionalNumber(body, penalty, -2.0, 2.0);
            if (value != null && value != 0.0) {
                throw unsupported(penalty, penalty + " is not supported by Bedrock Converse; send 0 or omit it.");
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
            throw unsupported(param, "The deprecated '" + param + "' parameter is not supported; use 'tools' and 'tool_choice'.");
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
        JsonNode responseFormat = body.get("response_format");
        if (responseFormat != null && !responseFormat.isNull()) {
            if (!responseFormat.isObject() || !responseFormat.path("type").isTextual()) {
                throw invalid("response_format", "response_format must be an object with a 'type'.");
            }
            String type = responseFormat.get("type").asText();
            if (!"text".equals(type)) {
                throw unsupported("response_format", "response_format type '" + type + "' is not supported yet; only 'text' is.");
            }
        }
        JsonNode effort = body.get("reasoning_effort");
        if (effort != null && !effort.isNull()) {
            throw unsupported("reasoning_effort", "reasoning_effort is not supported yet.");
        }
        // Checked for type only; their values have no Bedrock counterpart (docs/compatibility.md).
        optionalString(body, "user");
        optionalBoolean(body, "store", false);
        optionalString(body, "service_tier");
        optionalBoolean(body, "parallel_tool_calls", true);
        JsonNode seed = body.get("seed");
        if (seed != null && !seed.isNull() && !seed.isIntegralNumber()) {
            throw invalid("seed", "seed must be an integer.");
        }
    }

    private static InferenceConfiguration inferenceConfig(JsonNode body) {
        InferenceConfiguration.Builder b = InferenceConfiguration.builder();
        boolean any = false;
        Integer maxTokens = optionalPositiveInt(body, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = optionalPositiveInt(body, "max_tokens");
        } else {
            optionalPositiveInt(body, "max_tokens"); // still type-checked
        }
        if (maxTokens != null) {
            b.maxTokens(maxTokens);
            any = true;
        }
        Double temperature = optionalNumber(body, "temperature", 0.0, 2.0);
        if (temperature != null) {
            b.temperature(temperature.floatValue());
            any = true;
        }
        Double topP = optionalNumber(body, "top_p", 0.0, 1.0);
        if (topP != null) {
            b.topP(topP.floatValue());
            any = true;
        }
        List<String> stop = stopSequences(body);
        if (!stop.isEmpty()) {
            b.stopSequences(stop);
            any = true;
        }
        return any ? b.build() : null;
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

    private static Map<String, String> metadata(JsonNode body) {
        JsonNode metadata = body.get("metadata");
        if (metadata == null || metadata.isNull()) {
            return Map.of();
        }
        if (!metadata.isObject()) {
            throw invalid("metadata", "metadata must be an object of string values.");
        }
        Map<String, String> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = metadata.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw invalid("metadata." + e.getKey(), "metadata values must be strings.");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    // ---------------------------------------------------------------- messages

    /** The Converse conversation being built: system blocks, and turns merged by role. */
    private static final class Conversation {
        final List<SystemContentBlock> system = new ArrayList<>();
        final List<ConversationRole> roles = new ArrayList<>();
        final List<List<ContentBlock>> turns = new ArrayList<>();
        boolean hasToolBlocks;
        int images;

        /** Converse requires alternating roles, so consecutive turns of one role become one turn. */
        void add(ConversationRole role, List<ContentBlock> blocks) {
            if (blocks.isEmpty()) {
                return; // Converse rejects an empty content array: a turn with nothing in it is dropped.
            }
            int last = roles.size() - 1;
            if (last >= 0 && roles.get(last) == role) {
                turns.get(last).addAll(blocks);
            } else {
                roles.add(role);
                turns.add(new ArrayList<>(blocks));
            }
        }

        List<Message> messages() {
            List<Message> out = new ArrayList<>(turns.size());
            for (int i = 0; i < turns.size(); i++) {
                out.add(Message.builder().role(roles.get(i)).content(turns.get(i)).build());
            }
            return out;
        }
    }

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
                case "user" -> c.add(ConversationRole.USER, userContent(m.get("content"), p + ".content", c));
                case "assistant" -> c.add(ConversationRole.ASSISTANT, assistantContent(m, p, c));
                case "tool" -> c.add(ConversationRole.USER, List.of(toolResult(m, p, c)));
                case "function" -> throw unsupported(p + ".role",
                        "The deprecated 'function' role is not supported; use 'tool' messages.");
                default -> throw invalid(p + ".role", "Invalid value: '" + role
                        + "'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.");
            }
        }
        if (c.turns.isEmpty()) {
            throw invalid("messages", "messages must contain at least one user message with non-empty content.");
        }
        return c;
    }

    private static void systemMessage(JsonNode m, String p, Conversation c) {
        for (String text : textParts(m.get("content"), p + ".content", true)) {
            c.system.add(SystemContentBlock.fromText(text));
        }
    }

    /** Text of a string-or-text-parts content; empty strings are dropped (Converse rejects empty text). */
    private static List<String> textParts(JsonNode content, String p, boolean required) {
        if (content == null || content.isNull()) {
            if (required) {
                throw invalid(p, "Missing required parameter: '" + p + "'.");
            }
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
            JsonNode part = content.get(j);
            String pp = p + "[" + j + "]";
            String type = partType(part, pp);
            if (!"text".equals(type)) {
                throw invalid(pp + ".type", "Invalid content part type '" + type + "' here: only 'text' parts are allowed.");
            }
            String text = requiredString(part, "text", pp + ".text");
            if (!text.isEmpty()) {
                out.add(text);
            }
        }
        return out;
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
            return content.asText().isEmpty() ? List.of() : List.of(ContentBlock.fromText(content.asText()));
        }
        if (!content.isArray()) {
            throw invalid(p, p + " must be a string or an array of content parts.");
        }
        List<ContentBlock> blocks = new ArrayList<>();
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String pp = p + "[" + j + "]";
            String type = partType(part, pp);
            switch (type) {
                case "text" -> {
                    String text = requiredString(part, "text", pp + ".text");
                    if (!text.isEmpty()) {
                        blocks.add(ContentBlock.fromText(text));
                    }
                }
                case "image_url" -> blocks.add(image(part, pp, c));
                case "file", "input_audio" -> throw unsupported(pp + ".type",
                        "Content parts of type '" + type + "' are not supported yet.");
                default -> throw invalid(pp + ".type", "Invalid content part type: '" + type + "'.");
            }
        }
        return blocks;
    }

    private static ContentBlock image(JsonNode part, String pp, Conversation c) {
        JsonNode imageUrl = part.get("image_url");
        String url;
        String up;
        if (imageUrl != null && imageUrl.isTextual()) {
            url = imageUrl.asText();
            up = pp + ".image_url";
        } else if (imageUrl != null && imageUrl.isObject()) {
            url = requiredString(imageUrl, "url", pp + ".image_url.url");
            up = pp + ".image_url.url";
        } else {
            throw invalid(pp + ".image_url", "Missing required parameter: '" + pp + ".image_url'.");
        }
        if (++c.images > MAX_IMAGES) {
            throw invalid(up, "Too many images: Bedrock accepts at most " + MAX_IMAGES + " per request.");
        }
        if (!url.startsWith("data:")) {
            throw unsupported(up, "Only base64 data URLs (data:image/png;base64,...) are supported for images yet.");
        }
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring(5, comma).toLowerCase(Locale.ROOT);
        if (comma < 0 || !header.endsWith(";base64")) {
            throw invalid(up, "Invalid image data URL: expected data:image/<format>;base64,<data>.");
        }
        String mediaType = header.substring(0, header.length() - ";base64".length());
        ImageFormat format = switch (mediaType) {
            case "image/png" -> ImageFormat.PNG;
            case "image/jpeg", "image/jpg" -> ImageFormat.JPEG;
            case "image/gif" -> ImageFormat.GIF;
            case "image/webp" -> ImageFormat.WEBP;
            default -> throw invalid(up, "Unsupported image type '" + mediaType
                    + "': Bedrock accepts image/png, image/jpeg, image/gif and image/webp.");
        };
        // Base64 length gives the decoded size before decoding, so an oversized image costs no memory.
        long approxBytes = (url.length() - comma - 1) * 3L / 4;
        if (approxBytes > MAX_IMAGE_BYTES + 2) {
            throw invalid(up, "Image too large: Bedrock accepts images of at most 3.75 MB.");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(url.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw invalid(up, "Invalid image data URL: the data is not valid base64.");
        }
        if (bytes.length == 0) {
            throw invalid(up, "Invalid image data URL: the image is empty.");
        }
        if (bytes.length > MAX_IMAGE_BYTES) {
            throw invalid(up, "Image too large: Bedrock accepts images of at most 3.75 MB.");
        }
        return ContentBlock.fromImage(ImageBlock.builder().format(format)
                .source(s -> s.bytes(SdkBytes.fromByteArrayUnsafe(bytes))).build());
    }

    private static List<ContentBlock> assistantContent(JsonNode m, String p, Conversation c) {
        List<ContentBlock> blocks = new ArrayList<>();
        JsonNode content = m.get("content");
        if (content != null && content.isArray()) {
            for (int j = 0; j < content.size(); j++) {
                JsonNode part = content.get(j);
                String pp = p + ".content[" + j + "]";
                String type = partType(part, pp);
                String field = switch (type) {
                    case "text" -> "text";
                    case "refusal" -> "refusal";
                    default -> throw invalid(pp + ".type", "Assistant content parts must be 'text' or 'refusal'.");
                };
                String text = requiredString(part, field, pp + "." + field);
                if (!text.isEmpty()) {
                    blocks.add(ContentBlock.fromText(text));
                }
            }
        } else {
            for (String text : textParts(content, p + ".content", false)) {
                blocks.add(ContentBlock.fromText(text));
            }
        }
        JsonNode toolCalls = m.get("tool_calls");
        if (toolCalls != null && !toolCalls.isNull()) {
            if (!toolCalls.isArray()) {
                throw invalid(p + ".tool_calls", "tool_calls must be an array.");
            }
            for (int j = 0; j < toolCalls.size(); j++) {
                blocks.add(toolUse(toolCalls.get(j), p + ".tool_calls[" + j + "]"));
                c.hasToolBlocks = true;
            }
        }
        return blocks;
    }

    private static ContentBlock toolUse(JsonNode call, String p) {
        if (!call.isObject()) {
            throw invalid(p, "Each tool call must be an object.");
        }
        String id = requiredString(call, "id", p + ".id");
        JsonNode function = call.get("function");
        if (function == null || !function.isObject()) {
            throw invalid(p + ".function", "Missing required parameter: '" + p + ".function'.");
        }
        String name = requiredString(function, "name", p + ".function.name");
        JsonNode arguments = function.get("arguments");
        JsonNode input;
        if (arguments == null || arguments.isNull() || arguments.isTextual() && arguments.asText().isBlank()) {
            input = Json.MAPPER.createObjectNode();
        } else if (arguments.isTextual()) {
            try {
                input = Json.MAPPER.readTree(arguments.asText());
            } catch (JsonProcessingException e) {
                throw invalid(p + ".function.arguments", "function.arguments must be a JSON object encoded as a string.");
            }
        } else {
            input = arguments; // lenient: some clients send the object itself
        }
        if (!input.isObject()) {
            throw invalid(p + ".function.arguments", "function.arguments must be a JSON object encoded as a string.");
        }
        return ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId(id).name(name)
                .input(Documents.fromJson(input)).build());
    }

    private static ContentBlock toolResult(JsonNode m, String p, Conversation c) {
        String id = requiredString(m, "tool_call_id", p + ".tool_call_id");
        List<String> texts = textParts(m.get("content"), p + ".content", false);
        List<ToolResultContentBlock> content = new ArrayList<>();
        for (String text : texts) {
            content.add(ToolResultContentBlock.fromText(text));
        }
        if (content.isEmpty()) {
            // Converse rejects empty text, yet an empty tool output is a legitimate answer.
            content.add(ToolResultContentBlock.fromText("(empty)"));
        }
        c.hasToolBlocks = true;
        return ContentBlock.fromToolResult(ToolResultBlock.builder().toolUseId(id).content(content).build());
    }

    // ---------------------------------------------------------------- tools

    private static ToolConfiguration toolConfig(JsonNode body, Conversation c) {
        JsonNode tools = body.get("tools");
        JsonNode choice = body.get("tool_choice");
        List<Tool> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) {
                throw invalid("tools", "tools must be an array.");
            }
            for (int i = 0; i < tools.size(); i++) {
                specs.add(tool(tools.get(i), "tools[" + i + "]", names));
            }
        }
        String mode = "auto";
        String forced = null;
        if (choice != null && !choice.isNull()) {
            if (choice.isTextual()) {
                mode = choice.asText();
                if (!Set.of("none", "auto", "required").contains(mode)) {
                    throw invalid("tool_choice", "Invalid value: '" + mode
                            + "'. Supported values are: 'none', 'auto', 'required' or a named function.");
                }
            } else if (choice.isObject()) {
                forced = requiredString(choice.path("function"), "name", "tool_choice.function.name");
                if (!names.contains(forced)) {
                    throw invalid("tool_choice", "tool_choice names function '" + forced + "', which is not in 'tools'.");
                }
                mode = "function";
            } else {
                throw invalid("tool_choice", "tool_choice must be a string or an object.");
            }
            if (specs.isEmpty() && !"none".equals(mode)) {
                throw invalid("tool_choice", "tool_choice is only allowed when 'tools' are specified.");
            }
        }
        if (specs.isEmpty()) {
            return null;
        }
        if ("none".equals(mode)) {
            // Converse has no "none" choice. Without tool blocks in the history the tools are simply
            // not sent, so the model cannot call one. Converse refuses toolUse/toolResult history
            // without a toolConfig, so then the tools stay and an instruction forbids calling them.
            if (!c.hasToolBlocks) {
                return null;
            }
            c.system.add(SystemContentBlock.fromText(NO_TOOLS_NOTE));
            return ToolConfiguration.builder().tools(specs).build();
        }
        ToolChoice toolChoice = switch (mode) {
            case "required" -> ToolChoice.fromAny(AnyToolChoice.builder().build());
            case "function" -> ToolChoice.fromTool(SpecificToolChoice.builder().name(forced).build());
            default -> ToolChoice.fromAuto(AutoToolChoice.builder().build());
        };
        return ToolConfiguration.builder().tools(specs).toolChoice(toolChoice).build();
    }

    private static Tool tool(JsonNode tool, String p, Set<String> names) {
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
            throw invalid(p + ".function.name", "Invalid tool name '" + name
                    + "': names must match [a-zA-Z0-9_-]{1,64}.");
        }
        if (!names.add(name)) {
            throw invalid(p + ".function.name", "Duplicate tool name '" + name + "'.");
        }
        String description = optionalString(function, "description", p + ".function.description");
        JsonNode parameters = function.get("parameters");
        if (parameters == null || parameters.isNull()) {
            parameters = Json.MAPPER.createObjectNode().put("type", "object").set("properties", Json.MAPPER.createObjectNode());
        } else if (!parameters.isObject()) {
            throw invalid(p + ".function.parameters", "function.parameters must be a JSON Schema object.");
        }
        ToolSpecification.Builder spec = ToolSpecification.builder().name(name)
                .inputSchema(ToolInputSchema.fromJson(Documents.fromJson(parameters)));
        if (description != null && !description.isEmpty()) {
            spec.description(description);
        }
        return Tool.fromToolSpec(spec.build());
    }

    // ---------------------------------------------------------------- typed field access

    private static String requiredString(JsonNode node, String field) {
        return requiredString(node, field, field);
    }

    private static String requiredString(JsonNode node, String field, String param) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw invalid(param, "Missing required parameter: '" + param + "'.");
        }
        if (!v.isTextual()) {
            throw invalid(param, param + " must be a string.");
        }
        return v.asText();
    }

    private static String optionalString(JsonNode node, String field) {
        return optionalString(node, field, field);
    }

    private static String optionalString(JsonNode node, String field, String param) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(param, param + " must be a string.");
        }
        return v.asText();
    }

    private static boolean optionalBoolean(JsonNode node, String field, boolean dflt) {
        return optionalBoolean(node, field, field, dflt);
    }

    private static boolean optionalBoolean(JsonNode node, String field, String param, boolean dflt) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw invalid(param, param + " must be a boolean.");
        }
        return v.booleanValue();
    }

    private static Integer optionalPositiveInt(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
            throw invalid(field, field + " must be an integer of at least 1.");
        }
        return v.intValue();
    }

    private static Double optionalNumber(JsonNode node, String field, double min, double max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw invalid(field, field + " must be a number.");
        }
        double d = v.doubleValue();
        if (d < min || d > max || Double.isNaN(d)) {
            throw invalid(field, field + " must be between " + trim(min) + " and " + trim(max) + ".");
        }
        return d;
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
