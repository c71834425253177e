package io.github.bedrockgateway.converse;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;

/**
 * Carries Claude's signed reasoning from one turn to the next inside the OpenAI tool-call id, so a
 * plain OpenAI client (which echoes back only {@code content} and {@code tool_calls}) continues a
 * tool-use loop with extended thinking on, and any gateway replica can rebuild the turn: nothing is
 * stored.
 *
 * <p>Why: with thinking enabled, Bedrock requires the assistant turn that called a tool to start
 * with the reasoning block exactly as the model produced it (text and signature, or the redacted
 * bytes), and OpenAI has no field for it. So the id of a tool call that follows reasoning is {@code
 * <toolUseId>.rs1.<payload>}, the payload being the reasoning blocks as JSON, deflated and
 * base64url-encoded. On the way back the gateway splits the id: Bedrock gets the original {@code
 * toolUseId} (its ids allow no dots) and, in front of the turn, the reasoning blocks. The signature
 * makes tampering pointless: Bedrock rejects reasoning that is not the model's own.
 *
 * <p>Ids that do not have this shape (a client's own ids, ids from a request without thinking) are
 * passed on; ids Bedrock would refuse ({@code [a-zA-Z0-9_-]{1,64}}) are replaced by a stable hash.
 *
 * <p>The Responses API has a field for it: a reasoning item's {@code encrypted_content}, which
 * carries the same payload ({@link #seal}, {@link #unseal}).
 */
public final class SignedReasoning {

  private static final String MARKER = ".rs1.";
  private static final String SEALED_PREFIX = "rs1.";
  private static final Pattern PAYLOAD = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern ENCODED =
      Pattern.compile("([A-Za-z0-9_-]{1,64})\\.rs1\\.([A-Za-z0-9_-]+)");
  private static final Pattern BEDROCK_TOOL_USE_ID = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  /** A decoded payload larger than this is refused (a deflate bomb must not cost memory). */
  private static final int MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

  /** A tool-call id taken apart: the id for Bedrock and the reasoning that came before the call. */
  public record Decoded(String toolUseId, List<ReasoningContentBlock> reasoning) {}

  private SignedReasoning() {}

  /**
   * The OpenAI id of a tool call that followed {@code reasoning} (the plain id when there is none).
   */
  public static String encode(String toolUseId, List<ReasoningContentBlock> reasoning) {
    if (toolUseId == null || !BEDROCK_TOOL_USE_ID.matcher(toolUseId).matches()) {
      return toolUseId;
    }
    String payload = payloadOf(reasoning);
    return payload == null ? toolUseId : toolUseId + MARKER + payload;
  }

  /**
   * The signed reasoning blocks as one opaque string, or null when none of them is signed: the
   * Responses API carries it in a reasoning item's {@code encrypted_content}.
   */
  public static String seal(List<ReasoningContentBlock> reasoning) {
    String payload = payloadOf(reasoning);
    return payload == null ? null : SEALED_PREFIX + payload;
  }

  /** The reasoning blocks of a string {@link #seal} made, or null when it is not one of ours. */
  public static List<ReasoningContentBlock> unseal(String sealed) {
    if (sealed == null || !sealed.startsWith(SEALED_PREFIX)) {
      return null;
    }
    String payload = sealed.substring(SEALED_PREFIX.length());
    return PAYLOAD.matcher(payload).matches() ? payload(payload) : null;
  }

  private static String payloadOf(List<ReasoningContentBlock> reasoning) {
    // Only signed (or redacted) reasoning is worth carrying: Bedrock takes no other back.
    ArrayNode blocks = Json.MAPPER.createArrayNode();
    for (ReasoningContentBlock block : reasoning) {
      if (block.redactedContent() != null) {
        blocks
            .addObject()
            .put(
                "r",
                Base64.getEncoder().encodeToString(block.redactedContent().asByteArrayUnsafe()));
      } else if (block.reasoningText() != null && block.reasoningText().signature() != null) {
        ObjectNode b = blocks.addObject();
        b.put("t", block.reasoningText().text() == null ? "" : block.reasoningText().text());
        b.put("s", block.reasoningText().signature());
      }
    }
    if (blocks.isEmpty()) {
      return null;
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(deflate(blocks.toString()));
  }

  /**
   * Splits an id the gateway issued; any other id comes back as is (made Bedrock-safe), with no
   * reasoning.
   */
  public static Decoded decode(String id) {
    Matcher m = ENCODED.matcher(id);
    if (m.matches()) {
      List<ReasoningContentBlock> reasoning = payload(m.group(2));
      if (reasoning != null) {
        return new Decoded(m.group(1), reasoning);
      }
    }
    return new Decoded(bedrockSafe(id), List.of());
  }

  /**
   * Bedrock takes tool-use ids of {@code [a-zA-Z0-9_-]{1,64}}; OpenAI ids are free strings. An id
   * outside that shape becomes {@code call_} and a hash of it, the same for the assistant's call
   * and the tool's answer, so they still pair up.
   */
  public static String bedrockSafe(String id) {
    if (BEDROCK_TOOL_USE_ID.matcher(id).matches()) {
      return id;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(UTF_8));
      return "call_"
          + Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 40);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static List<ReasoningContentBlock> payload(String base64) {
    try {
      JsonNode blocks = Json.MAPPER.readTree(inflate(Base64.getUrlDecoder().decode(base64)));
      if (blocks == null || !blocks.isArray() || blocks.isEmpty()) {
        return null;
      }
      List<ReasoningContentBlock> out = new ArrayList<>(blocks.size());
      for (JsonNode b : blocks) {
        if (b.path("r").isTextual()) {
          out.add(
              ReasoningContentBlock.fromRedactedContent(
                  SdkBytes.fromByteArrayUnsafe(Base64.getDecoder().decode(b.get("r").asText()))));
        } else if (b.path("t").isTextual()) {
          ReasoningTextBlock.Builder text = ReasoningTextBlock.builder().text(b.get("t").asText());
          if (b.path("s").isTextual()) {
            text.signature(b.get("s").asText());
          }
          out.add(ReasoningContentBlock.fromReasoningText(text.build()));
        } else {
          return null;
        }
      }
      return out;
    } catch (IOException | IllegalArgumentException | DataFormatException e) {
      return null; // not one of ours after all: the id is passed on unchanged
    }
  }

  private static byte[] deflate(String json) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    try {
      deflater.setInput(json.getBytes(UTF_8));
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(json.length() / 2 + 16);
      byte[] buffer = new byte[4096];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static byte[] inflate(byte[] compressed) throws DataFormatException {
    Inflater inflater = new Inflater(true);
    try {
      // raw deflate ("nowrap") wants one byte past the end of the data
      inflater.setInput(java.util.Arrays.copyOf(compressed, compressed.length + 1));
      ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 3);
      byte[] buffer = new byte[4096];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new DataFormatException("truncated payload");
        }
        out.write(buffer, 0, n);
        if (out.size() > MAX_PAYLOAD_BYTES) {
          throw new DataFormatException("payload too large");
        }
      }
      return out.toByteArray();
    } finally {
      inflater.end();
    }
  }
}
