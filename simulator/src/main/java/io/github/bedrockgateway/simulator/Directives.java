package io.github.bedrockgateway.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code @sim} directives found in the last user message, and the text left once they are
 * stripped. Parsing only: {@link ReplyScript} decides what they mean together.
 *
 * <p>A directive is a whole line {@code @sim name} or {@code @sim name=value} (the value runs to
 * the end of the line). Unknown names and malformed values are refused, so a typo in a test fails
 * loudly instead of silently echoing.
 */
final class Directives {

  /** Raised for a directive the simulator cannot honour; answered as a 400 ValidationException. */
  static final class InvalidDirectiveException extends Exception {
    InvalidDirectiveException(String message) {
      super(message);
    }
  }

  /** One {@code @sim tool=NAME {json}} line. */
  record ToolDirective(String name, JsonNode input) {}

  /** Converse's stop reasons. */
  static final Set<String> STOP_REASONS =
      Set.of(
          "end_turn",
          "tool_use",
          "max_tokens",
          "stop_sequence",
          "guardrail_intervened",
          "content_filtered",
          "malformed_model_output",
          "malformed_tool_use",
          "model_context_window_exceeded");

  /**
   * Anthropic's stop reasons Converse lacks, for the InvokeModel routes (Converse passes them
   * through verbatim; the SDK reads them as {@code UNKNOWN_TO_SDK_VERSION}).
   */
  static final Set<String> ANTHROPIC_STOP_REASONS = Set.of("refusal", "pause_turn");

  static final List<String> NAMES =
      List.of(
          "echo",
          "reply",
          "tokens",
          "tool",
          "reasoning",
          "thinking",
          "redacted-thinking",
          "stop",
          "error",
          "error-message",
          "stream-error",
          "stream-error-after",
          "stream-error-message",
          "latency",
          "chunk-delay",
          "hold",
          "cache-read",
          "cache-write",
          "stream-fault");

  /** What {@code @sim redacted-thinking} hides when it is given no value. */
  static final String DEFAULT_REDACTED = "The simulator's hidden reasoning.";

  private static final Pattern LINE =
      Pattern.compile("^\\s*@sim\\s+([A-Za-z][A-Za-z-]*)(?:=(.*))?$");
  private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final ObjectMapper JSON = new ObjectMapper();

  String remainingText = "";
  boolean echo;
  final List<String> replies = new ArrayList<>();
  Integer tokens;
  final List<ToolDirective> tools = new ArrayList<>();
  final List<String> reasoning = new ArrayList<>();

  /** The text hidden in a redacted reasoning block, or null for none. */
  String redacted;

  String stop;
  String error;
  String errorMessage;
  BedrockErrorType streamError;
  int streamErrorAfter;

  /**
   * {@code cut}: the stream ends after {@code stream-error-after} deltas with no messageStop;
   * {@code corrupt}: a frame with a bad CRC follows them.
   */
  String streamFault;

  String streamErrorMessage;
  long latencyMs;
  Long chunkDelayMs;
  String hold;
  int cacheRead;
  int cacheWrite;

  private Directives() {}

  static Directives parse(String text) throws InvalidDirectiveException {
    Directives directives = new Directives();
    StringBuilder remaining = new StringBuilder();
    for (String line : text.split("\r?\n", -1)) {
      Matcher matcher = LINE.matcher(line);
      if (!matcher.matches()) {
        if (remaining.length() > 0) {
          remaining.append('\n');
        }
        remaining.append(line);
        continue;
      }
      String name = matcher.group(1).toLowerCase(Locale.ROOT);
      String value = matcher.group(2) == null ? null : matcher.group(2).stripTrailing();
      directives.apply(name, value);
    }
    directives.remainingText = remaining.toString().strip();
    return directives;
  }

  private void apply(String name, String value) throws InvalidDirectiveException {
    switch (name) {
      case "echo" -> echo = true;
      case "reply" -> replies.add(required(name, value));
      case "tokens" -> tokens = (int) number(name, value, 100_000);
      case "tool" -> tools.add(tool(required(name, value)));
      // "thinking" is Anthropic's word for the same block; both routes honour both names.
      case "reasoning", "thinking" -> reasoning.add(required(name, value));
      case "redacted-thinking" ->
          redacted = value == null || value.isBlank() ? DEFAULT_REDACTED : value;
      case "stop" -> stop = stopReason(required(name, value));
      case "error" -> error = required(name, value).trim();
      case "error-message" -> errorMessage = required(name, value);
      case "stream-error" -> streamError = streamErrorType(required(name, value));
      case "stream-error-after" -> streamErrorAfter = (int) number(name, value, 1_000_000);
      case "stream-error-message" -> streamErrorMessage = required(name, value);
      case "stream-fault" -> {
        streamFault = required(name, value).trim();
        if (!streamFault.equals("cut") && !streamFault.equals("corrupt")) {
          throw new InvalidDirectiveException(
              "@sim stream-fault must be 'cut' or 'corrupt', not '" + streamFault + "'.");
        }
      }
      case "latency" -> latencyMs = number(name, value, 600_000);
      case "chunk-delay" -> chunkDelayMs = number(name, value, 60_000);
      case "hold" -> hold = required(name, value).trim();
      case "cache-read" -> cacheRead = (int) number(name, value, 10_000_000);
      case "cache-write" -> cacheWrite = (int) number(name, value, 10_000_000);
      default ->
          throw new InvalidDirectiveException(
              "Unknown simulator directive '@sim "
                  + name
                  + "'. Known directives: "
                  + String.join(", ", NAMES)
                  + ".");
    }
  }

  private static String required(String name, String value) throws InvalidDirectiveException {
    if (value == null || value.isBlank()) {
      throw new InvalidDirectiveException(
          "Simulator directive '@sim " + name + "' needs a value: '@sim " + name + "=...'.");
    }
    return value;
  }

  private static long number(String name, String value, long max) throws InvalidDirectiveException {
    String digits = required(name, value).trim();
    try {
      long parsed = Long.parseLong(digits);
      if (parsed < 0 || parsed > max) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new InvalidDirectiveException(
          "Simulator directive '@sim "
              + name
              + "' needs a whole number from 0 to "
              + max
              + ", got '"
              + digits
              + "'.");
    }
  }

  private static ToolDirective tool(String value) throws InvalidDirectiveException {
    String trimmed = value.trim();
    int space = indexOfWhitespace(trimmed);
    String name = space < 0 ? trimmed : trimmed.substring(0, space);
    String args = space < 0 ? "" : trimmed.substring(space).trim();
    if (!TOOL_NAME.matcher(name).matches()) {
      throw new InvalidDirectiveException(
          "Simulator directive '@sim tool' needs a tool name matching"
              + " [a-zA-Z0-9_-]{1,64}, got '"
              + name
              + "'.");
    }
    if (args.isEmpty()) {
      return new ToolDirective(name, JSON.createObjectNode());
    }
    try {
      JsonNode input = JSON.readTree(args);
      if (input == null || !input.isObject()) {
        throw new InvalidDirectiveException(
            "Simulator directive '@sim tool="
                + name
                + "' needs a JSON object as arguments, got '"
                + args
                + "'.");
      }
      return new ToolDirective(name, input);
    } catch (JsonProcessingException e) {
      throw new InvalidDirectiveException(
          "Simulator directive '@sim tool="
              + name
              + "' has arguments that are not valid JSON: '"
              + args
              + "'.");
    }
  }

  private static int indexOfWhitespace(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static String stopReason(String value) throws InvalidDirectiveException {
    String reason = value.trim();
    if (!STOP_REASONS.contains(reason) && !ANTHROPIC_STOP_REASONS.contains(reason)) {
      Set<String> known = new TreeSet<>(STOP_REASONS);
      known.addAll(ANTHROPIC_STOP_REASONS);
      throw new InvalidDirectiveException(
          "Simulator directive '@sim stop' needs one of "
              + String.join(", ", known)
              + ", got '"
              + reason
              + "'.");
    }
    return reason;
  }

  private static BedrockErrorType streamErrorType(String value) throws InvalidDirectiveException {
    return BedrockErrorType.fromName(value)
        .filter(BedrockErrorType::inStream)
        .orElseThrow(
            () ->
                new InvalidDirectiveException(
                    "Simulator directive '@sim stream-error' needs one of"
                        + " internalServerException, modelStreamErrorException, validationException,"
                        + " throttlingException, serviceUnavailableException, got '"
                        + value.trim()
                        + "'."));
  }
}
