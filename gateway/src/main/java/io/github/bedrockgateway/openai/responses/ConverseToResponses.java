package io.github.bedrockgateway.openai.responses;

import io.github.bedrockgateway.converse.Documents;
import io.github.bedrockgateway.converse.SignedReasoning;
import io.github.bedrockgateway.json.Json;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Converse response -> OpenAI Responses API response object, plus the rules the stream translator
 * shares with it (how a stop reason ends a response, item ids, custom tool inputs). Pure functions.
 *
 * <p>Each Converse content block becomes one output item, in order: reasoning -> {@code reasoning}
 * (its signed blocks sealed into {@code encrypted_content}), text -> {@code message}, a tool call
 * -> {@code function_call}, or {@code custom_tool_call} for a free-form tool. The structured-output
 * tool's input is the text of a {@code message}; text written beside it is dropped, and when it was
 * not called that text becomes one message after the other items, as the stream sends it.
 */
public final class ConverseToResponses {

  /** How a response ends, from Bedrock's stop reason. */
  enum Ending {
    COMPLETED("completed", null),
    MAX_OUTPUT_TOKENS("incomplete", "max_output_tokens"),
    CONTENT_FILTER("incomplete", "content_filter");

    final String status;
    final String incompleteReason;

    Ending(String status, String incompleteReason) {
      this.status = status;
      this.incompleteReason = incompleteReason;
    }
  }

  /** The answer as JSON and its output items (for the store). */
  public record Result(byte[] json, List<OutputItem> output) {}

  private ConverseToResponses() {}

  /**
   * Maps every Bedrock stop reason to how the response ends. Exhaustive on purpose: a test walks
   * {@code StopReason.values()} so a value added to the SDK cannot slip through unmapped.
   */
  static Ending ending(StopReason reason) {
    if (reason == null) {
      return Ending.COMPLETED;
    }
    return switch (reason) {
      case END_TURN, STOP_SEQUENCE, TOOL_USE -> Ending.COMPLETED;
      // The context window filled up while the model was writing: OpenAI's closest reason.
      case MAX_TOKENS, MODEL_CONTEXT_WINDOW_EXCEEDED -> Ending.MAX_OUTPUT_TOKENS;
      case GUARDRAIL_INTERVENED, CONTENT_FILTERED -> Ending.CONTENT_FILTER;
      // The model ended its turn with output Bedrock could not parse: what it produced is returned
      // as is.
      case MALFORMED_MODEL_OUTPUT, MALFORMED_TOOL_USE -> Ending.COMPLETED;
      case UNKNOWN_TO_SDK_VERSION -> Ending.COMPLETED;
    };
  }

  /**
   * The id of the output item at {@code index}: the response's own suffix, so items are traceable.
   */
  static String itemId(String responseId, String prefix, int index) {
    int underscore = responseId.indexOf('_');
    return prefix + "_" + responseId.substring(underscore + 1) + "_" + index;
  }

  /** A free-form tool's raw input from the call's JSON input {@code {"input": "..."}}. */
  static String customInput(Document input) {
    if (input != null && input.isMap()) {
      Document value = input.asMap().get(ResponsesToConverse.CUSTOM_TOOL_INPUT);
      if (value != null && value.isString()) {
        return value.asString();
      }
    }
    // The model did not follow the one-string schema: the client gets what it wrote.
    return Documents.toJsonString(input);
  }

  /** {@link #customInput(Document)} for a streamed call's accumulated JSON text. */
  static String customInput(String json) {
    try {
      return customInput(Documents.fromJson(Json.MAPPER.readTree(json.isBlank() ? "{}" : json)));
    } catch (java.io.IOException e) {
      return json;
    }
  }

  /**
   * The Responses API response object for a Converse response to {@code request}.
   *
   * @param id the response id ({@code resp_...})
   * @param createdAt the gateway's clock, epoch seconds
   */
  public static Result response(
      ConverseResponse response, ResponsesRequest request, String id, long createdAt) {
    List<ContentBlock> blocks =
        response.output() != null && response.output().message() != null
            ? response.output().message().content()
            : List.of();
    Ending ending = ending(response.stopReason());
    String structuredTool = request.structuredOutputTool();
    List<OutputItem> output = new ArrayList<>();
    StringBuilder heldText = structuredTool == null ? null : new StringBuilder();
    boolean structuredCalled = false;
    long reasoningCharacters = 0;
    for (ContentBlock b : blocks) {
      int index = output.size();
      if (b.text() != null) {
        if (heldText != null) {
          heldText.append(b.text());
        } else if (!b.text().isEmpty()) {
          output.add(new OutputItem.Message(itemId(id, "msg", index), b.text(), false));
        }
      } else if (b.reasoningContent() != null) {
        ReasoningContentBlock r = b.reasoningContent();
        String text = r.reasoningText() != null ? r.reasoningText().text() : null;
        reasoningCharacters += text == null ? 0 : text.length();
        output.add(
            new OutputItem.Reasoning(
                itemId(id, "rs", index),
                request.summaryRequested() ? text : null,
                SignedReasoning.seal(List.of(r))));
      } else if (b.toolUse() != null) {
        ToolUseBlock t = b.toolUse();
        if (t.name() != null && t.name().equals(structuredTool)) {
          if (!structuredCalled) {
            structuredCalled = true;
            output.add(
                new OutputItem.Message(
                    itemId(id, "msg", index), Documents.toJsonString(t.input()), false));
          }
        } else if (request.customTools().contains(t.name())) {
          output.add(
              new OutputItem.CustomToolCall(
                  itemId(id, "ctc", index), t.toolUseId(), t.name(), customInput(t.input())));
        } else {
          output.add(
              new OutputItem.FunctionCall(
                  itemId(id, "fc", index),
                  t.toolUseId(),
                  t.name(),
                  Documents.toJsonString(t.input())));
        }
      }
    }
    if (heldText != null && !structuredCalled && heldText.length() > 0) {
      output.add(
          new OutputItem.Message(itemId(id, "msg", output.size()), heldText.toString(), false));
    }
    markIncomplete(output, ending);
    String tier = response.serviceTier() != null ? response.serviceTier().typeAsString() : null;
    ResponseJson.State state =
        new ResponseJson.State(
            ending.status,
            ending.incompleteReason,
            null,
            response.usage(),
            reasoningCharacters,
            tier);
    return new Result(ResponseJson.response(id, createdAt, request, state, output), output);
  }

  /** A response cut short leaves its last message incomplete. */
  static void markIncomplete(List<OutputItem> output, Ending ending) {
    if (ending != Ending.COMPLETED
        && !output.isEmpty()
        && output.get(output.size() - 1) instanceof OutputItem.Message m) {
      output.set(output.size() - 1, new OutputItem.Message(m.id(), m.text(), true));
    }
  }
}
