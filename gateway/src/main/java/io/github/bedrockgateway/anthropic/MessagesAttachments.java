package io.github.bedrockgateway.anthropic;

import static io.github.bedrockgateway.error.GatewayException.invalid;
import static io.github.bedrockgateway.error.GatewayException.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.converse.Attachments;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentFormat;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentSource;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;

/**
 * The image and document blocks of one Messages request for Converse, counted against Bedrock's
 * per-request limits ({@link Attachments}); document names are made unique, as Converse requires.
 * One per request; part of {@link AnthropicToConverse}, pure.
 */
final class MessagesAttachments {

  private final Set<String> documentNames = new HashSet<>();
  private int images;
  private int documents;

  /** An {@code image} block (base64 source only), at {@code bp}. */
  ImageBlock image(JsonNode block, String bp) {
    JsonNode source = block.get("source");
    String sp = bp + ".source";
    if (source == null || !source.isObject()) {
      throw invalid(sp, sp + ": Field required");
    }
    if (++images > Attachments.MAX_IMAGES) {
      throw invalid(
          sp, sp + ": Bedrock accepts at most " + Attachments.MAX_IMAGES + " images per request");
    }
    String sourceType = source.path("type").asText("");
    if (!sourceType.equals("base64")) {
      throw unsupported(
          sp + ".type",
          sp
              + ".type: only base64 image sources are supported for this model (send the image"
              + " bytes, not a '"
              + sourceType
              + "' reference)");
    }
    String mediaType = source.path("media_type").asText("");
    ImageFormat format =
        switch (mediaType) {
          case "image/png" -> ImageFormat.PNG;
          case "image/jpeg" -> ImageFormat.JPEG;
          case "image/gif" -> ImageFormat.GIF;
          case "image/webp" -> ImageFormat.WEBP;
          default ->
              throw invalid(
                  sp + ".media_type",
                  sp
                      + ".media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or"
                      + " 'image/webp'");
        };
    byte[] bytes = base64(source, sp + ".data", Attachments.MAX_IMAGE_BYTES, "3.75 MB");
    return ImageBlock.builder()
        .format(format)
        .source(s -> s.bytes(SdkBytes.fromByteArrayUnsafe(bytes)))
        .build();
  }

  /** A {@code document} block (a base64 PDF or plain text), at {@code bp}. */
  ContentBlock document(JsonNode block, String bp) {
    JsonNode source = block.get("source");
    String sp = bp + ".source";
    if (source == null || !source.isObject()) {
      throw invalid(sp, sp + ": Field required");
    }
    if (++documents > Attachments.MAX_DOCUMENTS) {
      throw invalid(
          sp,
          sp + ": Bedrock accepts at most " + Attachments.MAX_DOCUMENTS + " documents per request");
    }
    String sourceType = source.path("type").asText("");
    DocumentFormat format;
    byte[] bytes;
    switch (sourceType) {
      case "base64" -> {
        if (!"application/pdf".equals(source.path("media_type").asText())) {
          throw invalid(sp + ".media_type", sp + ".media_type: Input should be 'application/pdf'");
        }
        format = DocumentFormat.PDF;
        bytes = base64(source, sp + ".data", Attachments.MAX_DOCUMENT_BYTES, "4.5 MB");
      }
      case "text" -> {
        JsonNode data = source.get("data");
        if (data == null || !data.isTextual() || data.asText().isEmpty()) {
          throw invalid(sp + ".data", sp + ".data: Input should be a non-empty string");
        }
        format = DocumentFormat.TXT;
        bytes = data.asText().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Attachments.MAX_DOCUMENT_BYTES) {
          throw invalid(sp + ".data", sp + ".data: documents of at most 4.5 MB are accepted");
        }
      }
      default ->
          throw unsupported(
              sp + ".type",
              sp
                  + ".type: only 'base64' (PDF) and 'text' document sources are supported for this"
                  + " model");
    }
    JsonNode title = block.get("title");
    String name =
        Attachments.documentName(
            title != null && title.isTextual() ? title.asText() : null, documents);
    String unique = name;
    for (int n = 2; !documentNames.add(unique.toLowerCase(Locale.ROOT)); n++) {
      unique = name + " (" + n + ")";
    }
    return ContentBlock.fromDocument(
        DocumentBlock.builder()
            .format(format)
            .name(unique)
            .source(DocumentSource.fromBytes(SdkBytes.fromByteArrayUnsafe(bytes)))
            .build());
  }

  private static byte[] base64(JsonNode source, String dp, int maxBytes, String limit) {
    JsonNode data = source.get("data");
    if (data == null || !data.isTextual()) {
      throw invalid(dp, dp + ": Field required");
    }
    String text = data.asText();
    if (text.length() * 3L / 4 > maxBytes + 2) {
      throw invalid(dp, dp + ": Bedrock accepts at most " + limit + " here");
    }
    byte[] bytes;
    try {
      bytes = Base64.getMimeDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw invalid(dp, dp + ": Input is not valid base64");
    }
    if (bytes.length == 0 || bytes.length > maxBytes) {
      throw invalid(dp, dp + ": Bedrock accepts 1 byte to " + limit + " here");
    }
    return bytes;
  }
}
