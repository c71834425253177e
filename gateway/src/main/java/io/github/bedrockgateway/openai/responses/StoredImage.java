package io.github.bedrockgateway.openai.responses;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import io.github.bedrockgateway.converse.PendingImage;
import java.io.IOException;
import java.util.Base64;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;

/**
 * A downloaded image in the request's JSON, where its URL was: the stored conversation ({@code
 * previous_response_id}) keeps the image itself, as a {@code data:} URL, so continuing it neither
 * downloads the image again nor depends on the URL still working. The data URL is written only when
 * the conversation is serialized, that is when the response is stored; the request itself was
 * translated once, with the bytes as they came.
 */
final class StoredImage implements JsonSerializable {

  private final ImageBlock image;

  private StoredImage(ImageBlock image) {
    this.image = image;
  }

  /** Puts {@code image} in place of {@code pending}'s URL in the request JSON. */
  static void keep(PendingImage pending, ImageBlock image) {
    pending.holder().putPOJO(pending.field(), new StoredImage(image));
  }

  /** {@code data:image/<format>;base64,<bytes>}: what the translator reads back. */
  String dataUrl() {
    return "data:image/"
        + image.formatAsString()
        + ";base64,"
        + Base64.getEncoder().encodeToString(image.source().bytes().asByteArrayUnsafe());
  }

  @Override
  public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
    gen.writeString(dataUrl());
  }

  /** A string in any case: JSON trees carry no type ids. */
  @Override
  public void serializeWithType(
      JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
      throws IOException {
    serialize(gen, serializers);
  }
}
