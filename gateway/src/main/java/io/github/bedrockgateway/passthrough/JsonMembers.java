package io.github.bedrockgateway.passthrough;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.github.bedrockgateway.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The top-level members of a JSON object body, located by byte offset without building a tree, so
 * that the pass-through can change one member (add {@code requestMetadata}, filter {@code
 * anthropic_beta}) and copy every other byte as it came. One streaming pass; nested values are
 * skipped, except the arrays whose length a caller asks for (to enforce the message and tool
 * limits).
 */
final class JsonMembers {

  /**
   * One top-level member: {@code body[nameStart, valueStart)} is its name, colon and the whitespace
   * around them, {@code body[valueStart, valueEnd)} its value.
   */
  record Member(String name, int nameStart, int valueStart, int valueEnd, JsonToken valueToken) {}

  /**
   * A scanned object.
   *
   * @param body the bytes scanned
   * @param objectStart offset of the opening brace
   * @param members the members in order (a repeated name appears repeatedly)
   * @param arrayLengths lengths of the counted arrays found ({@code messages}, {@code
   *     toolConfig.tools}...)
   */
  record Scan(
      byte[] body, int objectStart, List<Member> members, Map<String, Integer> arrayLengths) {

    /** The first member of that name, or null. */
    Member member(String name) {
      for (Member m : members) {
        if (m.name().equals(name)) {
          return m;
        }
      }
      return null;
    }

    /** The value's bytes. */
    byte[] value(Member m) {
      byte[] out = new byte[m.valueEnd() - m.valueStart()];
      System.arraycopy(body, m.valueStart(), out, 0, out.length);
      return out;
    }
  }

  /** Why a body is not a JSON object. */
  static final class NotAnObject extends Exception {
    NotAnObject(String message) {
      super(message, null, false, false);
    }
  }

  private JsonMembers() {}

  /**
   * Locates the members of {@code body}.
   *
   * @param counted paths of arrays to count: a member name ({@code messages}), or a member of a
   *     top-level object ({@code toolConfig.tools})
   * @throws NotAnObject when the body is not exactly one JSON object
   */
  static Scan scan(byte[] body, Set<String> counted) throws NotAnObject {
    try (JsonParser p = Json.FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new NotAnObject("The request body must be a JSON object.");
      }
      int objectStart = (int) p.currentTokenLocation().getByteOffset();
      List<Member> members = new ArrayList<>();
      Map<String, Integer> lengths = new HashMap<>();
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        int nameStart = (int) p.currentTokenLocation().getByteOffset();
        JsonToken value = p.nextToken();
        int valueStart = (int) p.currentTokenLocation().getByteOffset();
        if (value == JsonToken.START_ARRAY && counted.contains(name)) {
          lengths.put(name, countElements(p));
        } else if (value == JsonToken.START_OBJECT && hasChildPath(counted, name)) {
          countInObject(p, name, counted, lengths);
        } else if (value.isStructStart()) {
          p.skipChildren();
        } else {
          // a scalar's end is only known once it has been read to its last byte
          p.finishToken();
        }
        int valueEnd = (int) p.currentLocation().getByteOffset();
        members.add(new Member(name, nameStart, valueStart, valueEnd, value));
      }
      if (t != JsonToken.END_OBJECT) {
        throw new NotAnObject("The request body must be a JSON object.");
      }
      if (p.nextToken() != null) {
        throw new NotAnObject("The request body holds more than one JSON value.");
      }
      return new Scan(body, objectStart, List.copyOf(members), Map.copyOf(lengths));
    } catch (StreamConstraintsException e) {
      throw new NotAnObject(
          "The request body nests JSON deeper than " + Json.MAX_NESTING_DEPTH + " levels.");
    } catch (JsonProcessingException e) {
      throw new NotAnObject(
          "The request body is not valid JSON: "
              + e.getOriginalMessage()
              + " (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ").");
    } catch (IOException e) {
      throw new NotAnObject("The request body could not be read as JSON.");
    }
  }

  private static boolean hasChildPath(Set<String> counted, String name) {
    for (String path : counted) {
      if (path.startsWith(name + ".")) {
        return true;
      }
    }
    return false;
  }

  private static void countInObject(
      JsonParser p, String parent, Set<String> counted, Map<String, Integer> lengths)
      throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String path = parent + "." + p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.START_ARRAY && counted.contains(path)) {
        lengths.put(path, countElements(p));
      } else {
        p.skipChildren();
      }
    }
  }

  private static int countElements(JsonParser p) throws IOException {
    int n = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      p.skipChildren();
      n++;
    }
    return n;
  }

  /**
   * The body with members replaced, removed or added; every other byte is copied as it was (a kept
   * member keeps the separator and whitespace before it, an added member is appended after the last
   * one).
   *
   * @param replace members whose value becomes these bytes (every occurrence of the name); a null
   *     value removes the member
   * @param add members appended, in order, when the body does not have them
   */
  static byte[] edit(Scan scan, Map<String, byte[]> replace, LinkedHashMap<String, byte[]> add) {
    byte[] body = scan.body();
    List<Member> members = scan.members();
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 256);
    out.write(body, 0, scan.objectStart() + 1);
    boolean first = true;
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get(i);
      byte[] value = replace.containsKey(m.name()) ? replace.get(m.name()) : null;
      if (replace.containsKey(m.name()) && value == null) {
        continue;
      }
      if (first) {
        // the whitespace after the brace, whichever member now comes first
        int lead = members.get(0).nameStart();
        out.write(body, scan.objectStart() + 1, lead - scan.objectStart() - 1);
      } else {
        // the comma and whitespace that preceded this member
        int from = members.get(i - 1).valueEnd();
        out.write(body, from, m.nameStart() - from);
      }
      first = false;
      if (value == null) {
        out.write(body, m.nameStart(), m.valueEnd() - m.nameStart());
      } else {
        out.write(body, m.nameStart(), m.valueStart() - m.nameStart());
        out.write(value, 0, value.length);
      }
    }
    for (Map.Entry<String, byte[]> a : add.entrySet()) {
      if (scan.member(a.getKey()) == null) {
        if (!first) {
          out.write(',');
        }
        first = false;
        byte[] name = quoted(a.getKey());
        out.write(name, 0, name.length);
        out.write(':');
        out.write(a.getValue(), 0, a.getValue().length);
      }
    }
    int tail =
        members.isEmpty() ? scan.objectStart() + 1 : members.get(members.size() - 1).valueEnd();
    out.write(body, tail, body.length - tail);
    return out.toByteArray();
  }

  private static byte[] quoted(String name) {
    try {
      return Json.MAPPER.writeValueAsBytes(name);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
