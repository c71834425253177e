package io.github.bedrockgateway.images;

import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;

/**
 * The image formats Bedrock accepts (PNG, JPEG, GIF, WebP), recognised from a {@code Content-Type}
 * or, when that says nothing useful, from the file's first bytes.
 */
public final class ImageFormats {

  /** A format Bedrock accepts, with its media type and its Converse name. */
  public enum Format {
    PNG("image/png", ImageFormat.PNG),
    JPEG("image/jpeg", ImageFormat.JPEG),
    GIF("image/gif", ImageFormat.GIF),
    WEBP("image/webp", ImageFormat.WEBP);

    private final String mediaType;
    private final ImageFormat bedrock;

    Format(String mediaType, ImageFormat bedrock) {
      this.mediaType = mediaType;
      this.bedrock = bedrock;
    }

    public String mediaType() {
      return mediaType;
    }

    /** The Converse image format. */
    public ImageFormat bedrock() {
      return bedrock;
    }
  }

  private ImageFormats() {}

  /**
   * The format a {@code Content-Type} header names, ignoring parameters and case; empty for
   * anything else.
   */
  public static Optional<Format> fromContentType(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "image/png", "image/x-png", "image/apng" -> Optional.of(Format.PNG);
      case "image/jpeg", "image/jpg", "image/pjpeg" -> Optional.of(Format.JPEG);
      case "image/gif" -> Optional.of(Format.GIF);
      case "image/webp" -> Optional.of(Format.WEBP);
      default -> Optional.empty();
    };
  }

  /** The format the file's signature (magic bytes) shows; empty when it is none of the four. */
  public static Optional<Format> sniff(byte[] bytes) {
    if (startsWith(bytes, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return Optional.of(Format.PNG);
    }
    if (startsWith(bytes, 0, 0xFF, 0xD8, 0xFF)) {
      return Optional.of(Format.JPEG);
    }
    if (startsWith(bytes, 0, 'G', 'I', 'F', '8', '7', 'a')
        || startsWith(bytes, 0, 'G', 'I', 'F', '8', '9', 'a')) {
      return Optional.of(Format.GIF);
    }
    if (startsWith(bytes, 0, 'R', 'I', 'F', 'F') && startsWith(bytes, 8, 'W', 'E', 'B', 'P')) {
      return Optional.of(Format.WEBP);
    }
    return Optional.empty();
  }

  private static boolean startsWith(byte[] bytes, int offset, int... signature) {
    if (bytes.length < offset + signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((bytes[offset + i] & 0xff) != signature[i]) {
        return false;
      }
    }
    return true;
  }
}
