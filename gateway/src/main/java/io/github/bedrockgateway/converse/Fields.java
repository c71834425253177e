package io.github.bedrockgateway.converse;

import static io.github.bedrockgateway.error.GatewayException.invalid;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed access to request fields; every wrong type is a 400 naming the parameter. */
public final class Fields {

  private Fields() {}

  /**
   * The {@code type} of a content part, which must be an object with a string {@code type}.
   *
   * @param pp the part's parameter path
   */
  public static String partType(JsonNode part, String pp) {
    if (!part.isObject()) {
      throw invalid(pp, "Each content part must be an object.");
    }
    JsonNode type = part.get("type");
    if (type == null || !type.isTextual()) {
      throw invalid(pp + ".type", "Missing required parameter: '" + pp + ".type'.");
    }
    return type.asText();
  }

  public static String requiredString(JsonNode node, String field) {
    return requiredString(node, field, field);
  }

  public static String requiredString(JsonNode node, String field, String param) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw invalid(param, "Missing required parameter: '" + param + "'.");
    }
    if (!v.isTextual()) {
      throw invalid(param, param + " must be a string.");
    }
    return v.asText();
  }

  public static String optionalString(JsonNode node, String field) {
    return optionalString(node, field, field);
  }

  public static String optionalString(JsonNode node, String field, String param) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw invalid(param, param + " must be a string.");
    }
    return v.asText();
  }

  public static boolean optionalBoolean(JsonNode node, String field, boolean dflt) {
    return optionalBoolean(node, field, field, dflt);
  }

  public static boolean optionalBoolean(JsonNode node, String field, String param, boolean dflt) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw invalid(param, param + " must be a boolean.");
    }
    return v.booleanValue();
  }

  public static Integer optionalPositiveInt(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
      throw invalid(field, field + " must be an integer of at least 1.");
    }
    return v.intValue();
  }

  public static Double optionalNumber(JsonNode node, String field, double min, double max) {
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

  /** An optional JSON object; anything else but null is a 400. */
  public static JsonNode optionalObject(JsonNode node, String field, String param) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw invalid(param, param + " must be an object.");
    }
    return v;
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
