package io.github.bedrockgateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Bedrock's wording when an InvokeModel body fails the model's JSON schema: every problem as {@code
 * #/path: ...}, joined into one {@code Malformed input request: ..., please reformat your input and
 * try again.} (as in {@code #: extraneous key [stream] is not permitted}).
 */
final class SchemaErrors {

  private SchemaErrors() {}

  /**
   * {@code #: extraneous key [name] is not permitted} for each top-level key not in {@code
   * allowed}.
   */
  static List<String> unknownKeys(JsonNode body, Set<String> allowed) {
    List<String> problems = new ArrayList<>();
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        problems.add("#: extraneous key [" + name + "] is not permitted");
      }
    }
    return problems;
  }

  /** The one ValidationException listing all the problems. */
  static BedrockError malformed(List<String> problems) {
    return BedrockError.validation(
        "Malformed input request: "
            + String.join(", ", problems)
            + ", please reformat your input and try again.");
  }

  /** The type name the schema validator reports in {@code expected type: X, found: Y}. */
  static String typeName(JsonNode value) {
    return value.isTextual()
        ? "String"
        : value.isArray()
            ? "JSONArray"
            : value.isObject()
                ? "JSONObject"
                : value.isBoolean() ? "Boolean" : value.isNumber() ? "BigDecimal" : "Null";
  }
}
