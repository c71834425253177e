package io.github.bedrockgateway.simulator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A deterministic JSON value that conforms to a JSON Schema, as a model constrained by the schema
 * would produce: every property present, the first {@code enum} / {@code const} / {@code anyOf}
 * choice, {@code "sample"} for strings, {@code minimum} (or 1) for integers, one item per array.
 * Used for structured output ({@code outputConfig}) and forced tool calls.
 */
final class SchemaSample {

  private static final int MAX_DEPTH = 8;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SchemaSample() {}

  static JsonNode of(JsonNode schema) {
    return sample(schema, 0);
  }

  /**
   * The value as JSON text with a space after each {@code :} and {@code ,}, so it streams word by
   * word.
   */
  static String text(JsonNode value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static JsonNode sample(JsonNode schema, int depth) {
    if (schema == null || !schema.isObject() || depth > MAX_DEPTH) {
      return NODES.objectNode();
    }
    if (schema.has("const")) {
      return schema.get("const");
    }
    if (schema.path("enum").isArray() && !schema.get("enum").isEmpty()) {
      return schema.get("enum").get(0);
    }
    for (String choice : new String[] {"anyOf", "oneOf", "allOf"}) {
      JsonNode options = schema.path(choice);
      if (options.isArray() && !options.isEmpty()) {
        for (JsonNode option : options) {
          if (!"null".equals(option.path("type").asText())) {
            return sample(option, depth + 1);
          }
        }
        return NODES.nullNode();
      }
    }
    String type = type(schema);
    switch (type) {
      case "object" -> {
        ObjectNode object = NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
        while (properties.hasNext()) {
          Map.Entry<String, JsonNode> property = properties.next();
          object.set(property.getKey(), sample(property.getValue(), depth + 1));
        }
        return object;
      }
      case "array" -> {
        return NODES.arrayNode().add(sample(schema.path("items"), depth + 1));
      }
      case "string" -> {
        return NODES.textNode(
            switch (schema.path("format").asText("")) {
              case "date" -> "2024-01-01";
              case "date-time" -> "2024-01-01T00:00:00Z";
              case "email" -> "sample@example.com";
              case "uri" -> "https://example.com";
              default -> "sample";
            });
      }
      case "integer" -> {
        return schema.path("minimum").canConvertToInt()
            ? NODES.numberNode(schema.get("minimum").intValue())
            : NODES.numberNode(1);
      }
      case "number" -> {
        return NODES.numberNode(
            schema.path("minimum").isNumber() ? schema.get("minimum").doubleValue() : 1.5);
      }
      case "boolean" -> {
        return NODES.booleanNode(true);
      }
      case "null" -> {
        return NODES.nullNode();
      }
      default -> {
        return NODES.objectNode();
      }
    }
  }

  private static String type(JsonNode schema) {
    JsonNode type = schema.get("type");
    if (type != null && type.isArray()) {
      for (JsonNode t : type) {
        if (!"null".equals(t.asText())) {
          return t.asText();
        }
      }
      return "null";
    }
    if (type != null && type.isTextual()) {
      return type.asText();
    }
    return schema.has("properties") ? "object" : schema.has("items") ? "array" : "object";
  }

  private static void write(JsonNode value, StringBuilder out) {
    if (value.isObject()) {
      out.append('{');
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      boolean first = true;
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        out.append(first ? "" : ", ");
        first = false;
        quote(field.getKey(), out);
        out.append(": ");
        write(field.getValue(), out);
      }
      out.append('}');
    } else if (value.isArray()) {
      out.append('[');
      for (int i = 0; i < value.size(); i++) {
        out.append(i == 0 ? "" : ", ");
        write(value.get(i), out);
      }
      out.append(']');
    } else if (value.isTextual()) {
      quote(value.asText(), out);
    } else {
      out.append(value.toString());
    }
  }

  private static void quote(String text, StringBuilder out) {
    out.append('"');
    JsonStringEncoder.getInstance().quoteAsString(text, out);
    out.append('"');
  }
}
