package io.github.bedrockgateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The request checks Bedrock makes before any model runs, with its messages, so a gateway that
 * builds a bad conversation fails here exactly as it would against AWS.
 */
final class ConversationRules {

    private ConversationRules() {
    }

    /** The first rule the body breaks, or null when Bedrock would accept it. */
    static BedrockError check(JsonNode body) {
        JsonNode messages = body.path("messages");
        if (!messages.isArray()) {
            return BedrockError.validation("1 validation error detected: Value null at 'messages' failed to satisfy"
                    + " constraint: Member must not be null");
        }
        if (messages.isEmpty()) {
            return BedrockError.validation("A conversation must start with a user message. Try again with a"
                    + " conversation that starts with a user message.");
        }
        String previousRole = null;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String role = message.path("role").asText("");
            if (!role.equals("user") && !role.equals("assistant")) {
                return BedrockError.validation("1 validation error detected: Value '" + role + "' at 'messages."
                        + (i + 1) + ".member.role' failed to satisfy constraint: Member must satisfy enum value set:"
                        + " [user, assistant]");
            }
            if (i == 0 && !role.equals("user")) {
                return BedrockError.validation("A conversation must start with a user message. Try again with a"
                        + " conversation that starts with a user message.");
            }
            if (role.equals(previousRole)) {
                return BedrockError.validation("A conversation must alternate between user and assistant roles."
                        + " Make sure the conversation alternates between user and assistant roles and try again.");
            }
            previousRole = role;
            BedrockError contentError = checkContent(message.path("content"), "messages." + i, "Message", "ContentBlock");
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
            return BedrockError.validation("1 validation error detected: Value '" + maxTokens.asLong()
                    + "' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater"
                    + " than or equal to 1");
        }
        return null;
    }

    private static BedrockError checkContent(JsonNode content, String path, String owner, String blockType) {
        if (!content.isArray() || content.isEmpty()) {
            return BedrockError.validation("The content field in the " + owner + " object at " + path
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
        return BedrockError.validation("The text field in the " + blockType + " object at " + path
                + " is blank. Add text to the text field, and try again.");
    }
}
