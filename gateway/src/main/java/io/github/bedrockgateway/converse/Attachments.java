package io.github.bedrockgateway.converse;

import static io.github.bedrockgateway.error.GatewayException.invalid;
import static io.github.bedrockgateway.error.GatewayException.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentFormat;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentSource;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;

/**
 * Attachments of user messages: {@code image_url} parts with a data URL become Converse image
 * blocks, those with an {@code http(s)://} URL placeholders for the route to download ({@link
 * PendingImage}); {@code file} parts with {@code file_data} become document blocks. Sizes are
 * checked from the base64 length before decoding, so an oversized attachment costs no memory.
 */
public final class Attachments {

  /** Converse: at most 20 images per request, each at most 3.75 MB. */
  public static final int MAX_IMAGES = 20;

  public static final int MAX_IMAGE_BYTES = 3_932_160;

  /** Converse: at most 5 documents per request, each at most 4.5 MB. */
  public static final int MAX_DOCUMENTS = 5;

  public static final int MAX_DOCUMENT_BYTES = 4_718_592;

  /** Converse document names: 1 to 200 characters. */
  public static final int MAX_DOCUMENT_NAME = 200;

  private static final Map<String, DocumentFormat> DOCUMENT_MEDIA_TYPES =
      Map.ofEntries(
          Map.entry("application/pdf", DocumentFormat.PDF),
          Map.entry("text/csv", DocumentFormat.CSV),
          Map.entry("application/msword", DocumentFormat.DOC),
          Map.entry(
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              DocumentFormat.DOCX),
          Map.entry("application/vnd.ms-excel", DocumentFormat.XLS),
          Map.entry(
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              DocumentFormat.XLSX),
          Map.entry("text/html", DocumentFormat.HTML),
          Map.entry("text/plain", DocumentFormat.TXT),
          Map.entry("text/markdown", DocumentFormat.MD),
          Map.entry("text/x-markdown", DocumentFormat.MD));
  private static final Map<String, DocumentFormat> DOCUMENT_EXTENSIONS =
      Map.of(
          "pdf",
          DocumentFormat.PDF,
          "csv",
          DocumentFormat.CSV,
          "doc",
          DocumentFormat.DOC,
          "docx",
          DocumentFormat.DOCX,
          "xls",
          DocumentFormat.XLS,
          "xlsx",
          DocumentFormat.XLSX,
          "html",
          DocumentFormat.HTML,
          "htm",
          DocumentFormat.HTML,
          "txt",
          DocumentFormat.TXT,
          "md",
          DocumentFormat.MD);

  /** Media types that say nothing about the format, so the file name's extension decides. */
  private static final Set<String> GENERIC_MEDIA_TYPES =
      Set.of("", "application/octet-stream", "binary/octet-stream");

  /** Characters Converse refuses in a document name. */
  private static final Pattern NAME_REFUSED = Pattern.compile("[^A-Za-z0-9\\s\\-()\\[\\]]+");

  private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+");

  private Attachments() {}

  /** Counts attachments across one request, and keeps its remote images. */
  public static final class Counter {
    int images;
    int documents;
    final Set<String> documentNames = new HashSet<>();
    final List<PendingImage> remoteImages = new ArrayList<>();

    /** The request's {@code http(s)://} images, in order: placeholders so far. */
    public List<PendingImage> remoteImages() {
      return List.copyOf(remoteImages);
    }
  }

  /**
   * An {@code image_url} part ({@code pp} its parameter path): a data URL becomes an image block,
   * an {@code http(s)://} URL a placeholder block recorded in {@code counter} for the route to
   * download.
   */
  public static ContentBlock image(JsonNode part, String pp, Counter counter) {
    JsonNode imageUrl = part.get("image_url");
    String url;
    String up;
    ObjectNode holder;
    String field;
    if (imageUrl != null && imageUrl.isTextual()) {
      url = imageUrl.asText();
      up = pp + ".image_url";
      holder = (ObjectNode) part;
      field = "image_url";
    } else if (imageUrl != null && imageUrl.isObject()) {
      url = Fields.requiredString(imageUrl, "url", pp + ".image_url.url");
      up = pp + ".image_url.url";
      holder = (ObjectNode) imageUrl;
      field = "url";
    } else {
      throw invalid(pp + ".image_url", "Missing required parameter: '" + pp + ".image_url'.");
    }
    if (++counter.images > MAX_IMAGES) {
      throw invalid(up, "Too many images: Bedrock accepts at most " + MAX_IMAGES + " per request.");
    }
    if (PendingImage.isRemote(url)) {
      PendingImage remote = PendingImage.of(url, up, holder, field);
      counter.remoteImages.add(remote);
      return ContentBlock.fromImage(remote.placeholder());
    }
    if (!url.startsWith("data:")) {
      throw unsupported(
          up, "Only base64 data URLs (data:image/png;base64,...) are supported for images yet.");
    }
    int comma = url.indexOf(',');
    String header = comma < 0 ? "" : url.substring(5, comma).toLowerCase(Locale.ROOT);
    if (comma < 0 || !header.endsWith(";base64")) {
      throw invalid(up, "Invalid image data URL: expected data:image/<format>;base64,<data>.");
    }
    String mediaType = header.substring(0, header.length() - ";base64".length());
    ImageFormat format =
        switch (mediaType) {
          case "image/png" -> ImageFormat.PNG;
          case "image/jpeg", "image/jpg" -> ImageFormat.JPEG;
          case "image/gif" -> ImageFormat.GIF;
          case "image/webp" -> ImageFormat.WEBP;
          default ->
              throw invalid(
                  up,
                  "Unsupported image type '"
                      + mediaType
                      + "': Bedrock accepts image/png, image/jpeg, image/gif and image/webp.");
        };
    byte[] bytes = decode(url.substring(comma + 1), MAX_IMAGE_BYTES, up, "Image", "3.75 MB");
    return ContentBlock.fromImage(
        ImageBlock.builder()
            .format(format)
            .source(s -> s.bytes(SdkBytes.fromByteArrayUnsafe(bytes)))
            .build());
  }

  /**
   * A {@code {type: file, file: {file_data, filename}}} part. {@code file_data} is a data URL
   * ({@code data:application/pdf;base64,...}) or bare base64; the format comes from the media type,
   * or from the file name's extension when the media type is absent or generic.
   */
  public static ContentBlock document(JsonNode part, String pp, Counter counter) {
    JsonNode file = part.get("file");
    if (file == null || !file.isObject()) {
      throw invalid(pp + ".file", "Missing required parameter: '" + pp + ".file'.");
    }
    return file(file, pp + ".file", counter);
  }

  /**
   * A file object {@code {file_data, filename}}: chat's {@code file} member, the Responses API's
   * {@code input_file} part itself; {@code fp} is its parameter path.
   */
  public static ContentBlock file(JsonNode file, String fp, Counter counter) {
    if (file.hasNonNull("file_id") && !file.hasNonNull("file_data")) {
      throw unsupported(
          fp + ".file_id",
          "file_id refers to the OpenAI Files API, which Bedrock does not have;"
              + " send the file inline as file_data (a base64 data URL).");
    }
    String data = Fields.requiredString(file, "file_data", fp + ".file_data");
    String filename = Fields.optionalString(file, "filename", fp + ".filename");
    String dp = fp + ".file_data";
    if (++counter.documents > MAX_DOCUMENTS) {
      throw invalid(
          dp, "Too many documents: Bedrock accepts at most " + MAX_DOCUMENTS + " per request.");
    }
    String mediaType = "";
    String base64 = data;
    if (data.startsWith("data:")) {
      int comma = data.indexOf(',');
      String header = comma < 0 ? "" : data.substring(5, comma).toLowerCase(Locale.ROOT);
      if (comma < 0 || !header.endsWith(";base64")) {
        throw invalid(dp, "Invalid file data URL: expected data:<media type>;base64,<data>.");
      }
      mediaType = header.substring(0, header.length() - ";base64".length()).split(";", 2)[0].trim();
      base64 = data.substring(comma + 1);
    }
    DocumentFormat format = DOCUMENT_MEDIA_TYPES.get(mediaType);
    if (format == null && GENERIC_MEDIA_TYPES.contains(mediaType)) {
      format = DOCUMENT_EXTENSIONS.get(extension(filename));
    }
    if (format == null) {
      throw invalid(
          dp,
          "Unsupported document type '"
              + (mediaType.isEmpty() ? extension(filename) : mediaType)
              + "': Bedrock accepts pdf, csv, doc, docx, xls, xlsx, html, txt and md documents"
              + " (give the media type in the data URL or a file name with its extension).");
    }
    byte[] bytes = decode(base64, MAX_DOCUMENT_BYTES, dp, "Document", "4.5 MB");
    String name = uniqueName(documentName(filename, counter.documents), counter);
    return ContentBlock.fromDocument(
        DocumentBlock.builder()
            .format(format)
            .name(name)
            .source(DocumentSource.fromBytes(SdkBytes.fromByteArrayUnsafe(bytes)))
            .build());
  }

  /**
   * A name Converse accepts, from the client's file name: the extension is dropped (the format says
   * it), characters outside letters, digits, single spaces, hyphens, parentheses and square
   * brackets become hyphens, and the result is cut to 200 characters. No usable name gives {@code
   * document-N}.
   */
  public static String documentName(String filename, int position) {
    String base = filename == null ? "" : filename.replaceAll(".*[/\\\\]", "");
    int dot = base.lastIndexOf('.');
    if (dot > 0) {
      base = base.substring(0, dot);
    }
    String name = NAME_REFUSED.matcher(base).replaceAll("-");
    name = WHITESPACE_RUN.matcher(name).replaceAll(" ").strip();
    name = name.replaceAll("^-+|-+$", "").strip();
    if (name.length() > MAX_DOCUMENT_NAME - 5) {
      name = name.substring(0, MAX_DOCUMENT_NAME - 5).strip();
    }
    return name.isEmpty() ? "document-" + position : name;
  }

  /**
   * Bedrock tells documents apart by name, so a repeated name gets a counter: {@code report (2)}.
   */
  private static String uniqueName(String name, Counter counter) {
    String candidate = name;
    for (int n = 2; !counter.documentNames.add(candidate.toLowerCase(Locale.ROOT)); n++) {
      candidate = name + " (" + n + ")";
    }
    return candidate;
  }

  private static String extension(String filename) {
    if (filename == null) {
      return "";
    }
    int dot = filename.lastIndexOf('.');
    return dot < 0 ? "" : filename.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** Refuses image bytes Converse would refuse: none, or more than {@link #MAX_IMAGE_BYTES}. */
  static void checkImageSize(int length, String param) {
    if (length == 0) {
      throw invalid(param, "Invalid image data: it is empty.");
    }
    if (length > MAX_IMAGE_BYTES) {
      throw invalid(param, "Image too large: Bedrock accepts images of at most 3.75 MB.");
    }
  }

  private static byte[] decode(
      String base64, int maxBytes, String param, String what, String limit) {
    // Base64 length gives the decoded size before decoding.
    long approxBytes = base64.length() * 3L / 4;
    if (approxBytes > maxBytes + 2) {
      throw invalid(
          param,
          what
              + " too large: Bedrock accepts "
              + what.toLowerCase(Locale.ROOT)
              + "s of at most "
              + limit
              + ".");
    }
    byte[] bytes;
    try {
      bytes = Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw invalid(
          param, "Invalid " + what.toLowerCase(Locale.ROOT) + " data: it is not valid base64.");
    }
    if (bytes.length == 0) {
      throw invalid(param, "Invalid " + what.toLowerCase(Locale.ROOT) + " data: it is empty.");
    }
    if (bytes.length > maxBytes) {
      throw invalid(
          param,
          what
              + " too large: Bedrock accepts "
              + what.toLowerCase(Locale.ROOT)
              + "s of at most "
              + limit
              + ".");
    }
    return bytes;
  }
}
