package io.github.bedrockgateway.translate;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;

/**
 * Turns ConverseStream events into OpenAI {@code chat.completion.chunk} server-sent events.
 * <p>
 * One per request, not thread-safe: it holds the stream's state (role sent, which Bedrock content
 * block is which OpenAI tool call, the stop reason and usage seen so far). Each method appends zero or
 * more complete SSE events ({@code data: ...\n\n}) to the given builder, so one upstream event becomes
 * one write to the client.
 */
public final class ConverseStreamTranslator {

    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();
    private static final String CHOICE_END_OPEN = ",\"logprobs\":null,\"finish_reason\":null}]";

    private final String chunkPrefix;
    private final String usagePrefix;
    private final boolean includeUsage;
    /** Bedrock content-block index -> OpenAI tool-call index (dense, from 0, in order of appearance). */
    private final Map<Integer, Integer> toolCallIndex = new HashMap<>(4);
    private boolean roleSent;
    private boolean finished;
    private boolean usageSent;
    private StopReason stopReason;
    private TokenUsage usage;

    public ConverseStreamTranslator(String id, long created, String model, boolean includeUsage) {
        this.includeUsage = includeUsage;
        String head = "data: {\"id\":" + quote(id) + ",\"object\":\"chat.completion.chunk\",\"created\":" + created
                + ",\"model\":" + quote(model) + ",";
        this.chunkPrefix = head + "\"choices\":[{\"index\":0,\"delta\":";
        this.usagePrefix = head + "\"choices\":[],\"usage\":";
    }

    /** Appends the chunks one Bedrock event turns into. */
    public void onEvent(ConverseStreamOutput event, StringBuilder out) {
        switch (event.sdkEventType()) {
            case MESSAGE_START -> ensureRole(out);
            case CONTENT_BLOCK_START -> onBlockStart((ContentBlockStartEvent) event, out);
            case CONTENT_BLOCK_DELTA -> onBlockDelta((ContentBlockDeltaEvent) event, out);
            case MESSAGE_STOP -> onMessageStop((MessageStopEvent) event, out);
            case METADATA -> onMetadata((ConverseStreamMetadataEvent) event, out);
            default -> {
                // contentBlockStop carries nothing a client needs; unknown future events are skipped.
            }
        }
    }

    /**
     * Appends what ends a stream that Bedrock completed: the usage chunk if it was asked for and has not
     * gone out yet, then {@code [DONE]}. Returns false, appending nothing, when Bedrock closed the stream
     * before its {@code messageStop}: the caller must then send an error event, never a {@code [DONE]}
     * that would make a truncated answer look complete.
     */
    public boolean complete(StringBuilder out) {
        if (!finished) {
            return false;
        }
        if (includeUsage && !usageSent) {
            appendUsage(out);
        }
        out.append("data: [DONE]\n\n");
        return true;
    }

    /** Whether any chunk has been produced (after that, errors travel in the stream). */
    public boolean started() {
        return roleSent;
    }

    public StopReason stopReason() {
        return stopReason;
    }

    public TokenUsage usage() {
        return usage;
    }

    private void ensureRole(StringBuilder out) {
        if (!roleSent) {
            roleSent = true;
            chunk(out, "{\"role\":\"assistant\",\"content\":\"\"}", null);
        }
    }

    private void onBlockStart(ContentBlockStartEvent e, StringBuilder out) {
        ToolUseBlockStart toolUse = e.start() == null ? null : e.start().toolUse();
        if (toolUse == null) {
            return;
        }
        ensureRole(out);
        int index = toolCallIndex.size();
        toolCallIndex.put(e.contentBlockIndex(), index);
        chunk(out, "{\"tool_calls\":[{\"index\":" + index + ",\"id\":" + quote(toolUse.toolUseId())
                + ",\"type\":\"function\",\"function\":{\"name\":" + quote(toolUse.name())
                + ",\"arguments\":\"\"}}]}", null);
    }

    private void onBlockDelta(ContentBlockDeltaEvent e, StringBuilder out) {
        ContentBlockDelta delta = e.delta();
        if (delta == null) {
            return;
        }
        if (delta.text() != null) {
            ensureRole(out);
            if (!delta.text().isEmpty()) {
                chunk(out, "{\"content\":" + quote(delta.text()) + "}", null);
            }
            return;
        }
        ToolUseBlockDelta toolUse = delta.toolUse();
        if (toolUse != null) {
            Integer index = toolCallIndex.get(e.contentBlockIndex());
            if (index != null && toolUse.input() != null && !toolUse.input().isEmpty()) {
                chunk(out, "{\"tool_calls\":[{\"index\":" + index + ",\"function\":{\"arguments\":"
                        + quote(toolUse.input()) + "}}]}", null);
            }
            return;
        }
        ReasoningContentBlockDelta reasoning = delta.reasoningContent();
        if (reasoning != null && reasoning.text() != null && !reasoning.text().isEmpty()) {
            ensureRole(out);
            chunk(out, "{\"reasoning_content\":" + quote(reasoning.text()) + "}", null);
        }
    }

    private void onMessageStop(MessageStopEvent e, StringBuilder out) {
        ensureRole(out);
        stopReason = e.stopReason();
        finished = true;
        chunk(out, "{}", ConverseToOpenAi.finishReason(stopReason));
    }

    private void onMetadata(ConverseStreamMetadataEvent e, StringBuilder out) {
        usage = e.usage();
        if (includeUsage && finished && !usageSent) {
            appendUsage(out);
        }
    }

    private void appendUsage(StringBuilder out) {
        usageSent = true;
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
            ConverseToOpenAi.writeUsage(g, usage);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        out.append(usagePrefix).append(w).append("}\n\n");
    }

    private void chunk(StringBuilder out, String delta, String finishReason) {
        out.append(chunkPrefix).append(delta);
        if (finishReason == null) {
            out.append(CHOICE_END_OPEN);
        } else {
            out.append(",\"logprobs\":null,\"finish_reason\":\"").append(finishReason).append("\"}]");
        }
        if (includeUsage) {
            out.append(",\"usage\":null");
        }
        out.append("}\n\n");
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        ENCODER.quoteAsString(s, b);
        return b.append('"').toString();
    }
}
