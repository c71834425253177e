package io.github.bedrockgateway.converse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;

/**
 * Converts between Jackson trees and the SDK's {@link Document}, the type Converse uses for free
 * JSON (tool schemas, tool inputs, additional model fields).
 */
public final class Documents {

  private Documents() {}

  public static Document fromJson(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Document.fromNull();
    }
    if (node.isObject()) {
      Map<String, Document> map = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        map.put(e.getKey(), fromJson(e.getValue()));
      }
      return Document.fromMap(map);
    }
    if (node.isArray()) {
      List<Document> list = new ArrayList<>(node.size());
      for (JsonNode item : node) {
        list.add(fromJson(item));
      }
      return Document.fromList(list);
    }
    if (node.isBoolean()) {
      return Document.fromBoolean(node.booleanValue());
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong()
          ? Document.fromNumber(node.longValue())
          : Document.fromNumber(SdkNumber.fromBigInteger(node.bigIntegerValue()));
    }
    if (node.isNumber()) {
      return Document.fromNumber(SdkNumber.fromBigDecimal(node.decimalValue()));
    }
    return Document.fromString(node.asText());
  }

  /** Writes a document as JSON. */
  public static void write(Document doc, JsonGenerator gen) throws IOException {
    if (doc == null || doc.isNull()) {
      gen.writeNull();
    } else if (doc.isMap()) {
      gen.writeStartObject();
      for (Map.Entry<String, Document> e : doc.asMap().entrySet()) {
        gen.writeFieldName(e.getKey());
        write(e.getValue(), gen);
      }
      gen.writeEndObject();
    } else if (doc.isList()) {
      gen.writeStartArray();
      for (Document d : doc.asList()) {
        write(d, gen);
      }
      gen.writeEndArray();
    } else if (doc.isBoolean()) {
      gen.writeBoolean(doc.asBoolean());
    } else if (doc.isNumber()) {
      // the number's own text keeps integers integral and decimals exact
      gen.writeNumber(doc.asNumber().stringValue());
    } else {
      gen.writeString(doc.asString());
    }
  }

  /** A document as compact JSON text (tool-call arguments are a JSON string in OpenAI). */
  public static String toJsonString(Document doc) {
    if (doc == null || doc.isNull()) {
      return "{}";
    }
    try {
      java.io.StringWriter w = new java.io.StringWriter();
      try (JsonGenerator gen = Json.FACTORY.createGenerator(w)) {
        write(doc, gen);
      }
      return w.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
