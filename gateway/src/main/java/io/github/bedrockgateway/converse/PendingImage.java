package io.github.bedrockgateway.converse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;

/**
 * An image given by an {@code http(s)://} URL. The translators do no I/O: where such an image goes
 * they put {@link #placeholder} in the Converse request and record this, so the request is
 * translated once, with every other check done; the route then downloads the images ({@code
 * images.ImageInliner}) and {@link #fill} puts their bytes in place of the placeholders.
 *
 * @param url the URL as the client sent it
 * @param param the parameter that errors about this image name
 * @param placeholder the block that stands in for the image; found again by identity
 * @param holder the JSON object that holds the URL, under {@code field}: where a stored
 *     conversation keeps the downloaded image
 * @param field the name of the URL's field in {@code holder}
 */
public record PendingImage(
    String url, String param, ImageBlock placeholder, ObjectNode holder, String field) {

  /** A new pending image with its own placeholder block. */
  static PendingImage of(String url, String param, ObjectNode holder, String field) {
    ImageBlock placeholder =
        ImageBlock.builder()
            .format(ImageFormat.PNG)
            .source(ImageSource.fromBytes(SdkBytes.fromByteArrayUnsafe(new byte[0])))
            .build();
    return new PendingImage(url, param, placeholder, holder, field);
  }

  /** Whether an image URL is one the gateway downloads ({@code http://} or {@code https://}). */
  public static boolean isRemote(String url) {
    String u = url.stripLeading().toLowerCase(Locale.ROOT);
    return u.startsWith("http://") || u.startsWith("https://");
  }

  /**
   * The image block of this image's downloaded bytes (not copied), checked against Converse's
   * limits like an inline image.
   */
  public ImageBlock image(ImageFormat format, byte[] bytes) {
    Attachments.checkImageSize(bytes.length, param);
    return ImageBlock.builder()
        .format(format)
        .source(ImageSource.fromBytes(SdkBytes.fromByteArrayUnsafe(bytes)))
        .build();
  }

  /**
   * The request with each pending image's placeholder replaced by its image ({@code images}, in the
   * same order), in the messages and in tool results; everything else is kept as it is.
   *
   * @throws IllegalStateException when a placeholder is not in the request
   */
  public static ConverseRequest fill(
      ConverseRequest request, List<PendingImage> pending, List<ImageBlock> images) {
    if (pending.size() != images.size()) {
      throw new IllegalArgumentException(
          pending.size() + " pending images but " + images.size() + " images");
    }
    if (pending.isEmpty()) {
      return request;
    }
    Map<ImageBlock, ImageBlock> byPlaceholder = new IdentityHashMap<>();
    for (int i = 0; i < pending.size(); i++) {
      byPlaceholder.put(pending.get(i).placeholder(), images.get(i));
    }
    Filler filler = new Filler(byPlaceholder);
    List<Message> messages = new ArrayList<>(request.messages().size());
    for (Message m : request.messages()) {
      List<ContentBlock> content = filler.blocks(m.content());
      messages.add(content == m.content() ? m : m.toBuilder().content(content).build());
    }
    if (filler.filled != byPlaceholder.size()) {
      throw new IllegalStateException(
          "only " + filler.filled + " of " + byPlaceholder.size() + " placeholders were found");
    }
    return request.toBuilder().messages(messages).build();
  }

  /** Replaces placeholders, copying a list only when something in it changes. */
  private static final class Filler {
    final Map<ImageBlock, ImageBlock> images;
    int filled;

    Filler(Map<ImageBlock, ImageBlock> images) {
      this.images = images;
    }

    List<ContentBlock> blocks(List<ContentBlock> blocks) {
      List<ContentBlock> out = blocks;
      for (int i = 0; i < blocks.size(); i++) {
        ContentBlock b = blocks.get(i);
        ContentBlock replaced = block(b);
        if (replaced != b) {
          if (out == blocks) {
            out = new ArrayList<>(blocks);
          }
          out.set(i, replaced);
        }
      }
      return out;
    }

    private ContentBlock block(ContentBlock b) {
      if (b.image() != null) {
        ImageBlock image = take(b.image());
        return image == null ? b : ContentBlock.fromImage(image);
      }
      ToolResultBlock result = b.toolResult();
      if (result == null || !result.hasContent()) {
        return b;
      }
      List<ToolResultContentBlock> parts = result.content();
      for (int i = 0; i < parts.size(); i++) {
        ImageBlock image = parts.get(i).image() == null ? null : take(parts.get(i).image());
        if (image != null) {
          if (parts == result.content()) {
            parts = new ArrayList<>(parts);
          }
          parts.set(i, ToolResultContentBlock.fromImage(image));
        }
      }
      return parts == result.content()
          ? b
          : ContentBlock.fromToolResult(result.toBuilder().content(parts).build());
    }

    private ImageBlock take(ImageBlock placeholder) {
      ImageBlock image = images.get(placeholder);
      if (image != null) {
        filled++;
      }
      return image;
    }
  }
}
