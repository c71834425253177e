package io.github.bedrockgateway.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The one Jackson setup the translation uses (thread-safe, shared). */
public final class Json {

  /** Nesting is bounded so a hostile body cannot exhaust the stack while it is parsed. */
  public static final int MAX_NESTING_DEPTH = 64;

  public static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING_DEPTH)
                  // A string is bounded by the request body size limit
                  // (gateway.http.max-body-size), which is
                  // the limit a client is told about; Jackson's own default (20 M chars) would
                  // refuse a large
                  // base64 image below that limit with a confusing error.
                  .maxStringLength(Integer.MAX_VALUE)
                  .build())
          .build();

  public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private Json() {}

  /**
   * A body that is not one well-formed UTF-8 JSON value; the message is meant for the API client.
   */
  public static final class MalformedDocumentException extends JsonParseException {

    MalformedDocumentException(String message, JsonLocation at) {
      super(null, message, at);
    }
  }

  /**
   * Parses a request body that must be exactly one JSON value in UTF-8 (RFC 8259), more strictly
   * than Jackson's defaults: bytes that are not UTF-8 (overlong forms such as {@code C0 AF},
   * surrogates, truncated sequences) and anything but whitespace after the value are refused, so
   * that what the gateway forwards is exactly what the client meant.
   *
   * @return the value, or {@code null} for a body with no value at all (empty or blank)
   * @throws MalformedDocumentException for invalid UTF-8 or trailing content
   * @throws IOException any other parse failure (a {@link JsonParseException}, or a {@link
   *     com.fasterxml.jackson.core.exc.StreamConstraintsException})
   */
  public static JsonNode readDocument(byte[] body) throws IOException {
    checkUtf8(body);
    try (JsonParser parser = FACTORY.createParser(body)) {
      JsonNode node = MAPPER.readTree(parser);
      if (node == null) {
        return null;
      }
      if (parser.nextToken() != null) {
        JsonLocation at = parser.currentTokenLocation();
        throw new MalformedDocumentException(
            "unexpected content after the JSON value: a request body is"
                + " one JSON value and nothing else",
            at);
      }
      return node;
    }
  }

  /**
   * Checks that {@code bytes} are well-formed UTF-8 without keeping the decoded text. Java's
   * decoder is strict where Jackson's byte parser is lenient (it accepts overlong two-byte forms).
   */
  static void checkUtf8(byte[] bytes) throws MalformedDocumentException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(8192);
    CoderResult result;
    do {
      out.clear();
      result = decoder.decode(in, out, true);
      if (result.isError()) {
        throw malformedUtf8(in.position());
      }
    } while (result.isOverflow());
    // UTF-8 keeps no state to flush: a sequence cut short at the end is reported by decode above
  }

  private static MalformedDocumentException malformedUtf8(int offset) {
    return new MalformedDocumentException(
        "the body is not valid UTF-8 (at byte offset " + offset + "): JSON must be sent as UTF-8",
        new JsonLocation(ContentReference.unknown(), offset, -1, -1, -1));
  }
}
