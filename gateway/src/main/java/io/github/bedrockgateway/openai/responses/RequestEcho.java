package io.github.bedrockgateway.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The request settings a Responses API response object repeats, as the client sent them (or
 * OpenAI's defaults when it sent none).
 *
 * @param instructions {@code instructions}, or null
 * @param tools {@code tools} as sent (an array, empty when none)
 * @param toolChoice {@code tool_choice} as sent ({@code "auto"} when none)
 * @param textFormat {@code text.format} as sent ({@code {"type": "text"}} when none)
 * @param verbosity {@code text.verbosity}, or null
 * @param metadata {@code metadata} as sent (an object, empty when none)
 * @param serviceTier {@code service_tier} as sent, or null
 * @param truncation {@code truncation} ({@code disabled} when none)
 */
record RequestEcho(
    String instructions,
    JsonNode tools,
    JsonNode toolChoice,
    boolean parallelToolCalls,
    Double temperature,
    Double topP,
    Integer maxOutputTokens,
    Integer maxToolCalls,
    String reasoningEffort,
    String reasoningSummary,
    JsonNode textFormat,
    String verbosity,
    JsonNode metadata,
    String serviceTier,
    String truncation,
    String user,
    String safetyIdentifier,
    String promptCacheKey,
    boolean store,
    String previousResponseId,
    int topLogprobs) {}
