package io.github.bedrockgateway.openai.responses;

/**
 * One item of a response's {@code output}, built from Converse content blocks the same way streamed
 * and not: each Converse block becomes one item, in order.
 */
sealed interface OutputItem {

  /** The item's id ({@code msg_...}, {@code fc_...}, {@code ctc_...}, {@code rs_...}). */
  String id();

  /**
   * An assistant message with one {@code output_text} part.
   *
   * @param incomplete the answer was cut (token limit, content filter): status {@code incomplete}
   */
  record Message(String id, String text, boolean incomplete) implements OutputItem {}

  /** A call of one of the client's function tools; {@code callId} is Bedrock's toolUseId. */
  record FunctionCall(String id, String callId, String name, String arguments)
      implements OutputItem {}

  /** A call of one of the client's free-form ({@code custom}) tools, with its raw input text. */
  record CustomToolCall(String id, String callId, String name, String input)
      implements OutputItem {}

  /**
   * Claude's reasoning.
   *
   * @param summary the reasoning text, shown as a summary when the client asked for one; null when
   *     not
   * @param sealed the signed blocks, sealed ({@code encrypted_content}); null when nothing is
   *     signed
   */
  record Reasoning(String id, String summary, String sealed) implements OutputItem {}
}
