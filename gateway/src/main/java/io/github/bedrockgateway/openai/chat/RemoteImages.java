package io.github.bedrockgateway.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.images.ImageFetcher;
import io.github.bedrockgateway.images.ImageInliner;
import io.github.bedrockgateway.images.ImagesConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Resolves remote {@code image_url} parts of chat requests before translation (see {@link
 * ImageInliner}): every {@code http(s)://} URL in a user message is downloaded and replaced by a
 * {@code data:} URL of the bytes, after the request has been validated with placeholders.
 */
@Singleton
public class RemoteImages {

  private final ImageInliner inliner;

  @Inject
  RemoteImages(ImagesConfig images, Vertx vertx) {
    this(vertx, images.remoteEnabled(), ImageInliner.options(images));
  }

  /** For tests and embedding: a resolver with explicit options. */
  public RemoteImages(Vertx vertx, boolean enabled, ImageFetcher.Options options) {
    this.inliner = new ImageInliner(vertx, enabled, options);
  }

  @PreDestroy
  void close() {
    inliner.close();
  }

  /**
   * The request body with every remote image replaced by a data URL of its bytes; the body itself
   * when it has none. Fails with a {@code GatewayException} (400 naming the image's param) when a
   * download is refused or fails, or when the request is invalid for any other reason.
   */
  public Future<JsonNode> inline(JsonNode body) {
    return inliner.inline(
        body, RemoteImages::find, b -> OpenAiToConverse.translate(b, UnaryOperator.identity()));
  }

  /**
   * The remote image URLs of user messages, in the shapes the translator accepts: {@code {"type":
   * "image_url", "image_url": {"url": ...}}} and the string form {@code "image_url": "..."}.
   * Anything malformed is left for the translator to refuse.
   */
  private static List<ImageInliner.Ref> find(JsonNode body) {
    List<ImageInliner.Ref> out = new ArrayList<>();
    JsonNode messages = body == null ? null : body.get("messages");
    if (messages == null || !messages.isArray()) {
      return out;
    }
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      JsonNode content = m.get("content");
      if (!m.isObject()
          || !"user".equals(m.path("role").asText())
          || content == null
          || !content.isArray()) {
        continue;
      }
      for (int j = 0; j < content.size(); j++) {
        JsonNode part = content.get(j);
        if (!part.isObject() || !"image_url".equals(part.path("type").asText())) {
          continue;
        }
        String p = "messages[" + i + "].content[" + j + "].image_url";
        JsonNode imageUrl = part.get("image_url");
        if (imageUrl != null && imageUrl.isTextual() && ImageInliner.isRemote(imageUrl.asText())) {
          out.add(new ImageInliner.Ref((ObjectNode) part, "image_url", imageUrl.asText(), p));
        } else if (imageUrl != null
            && imageUrl.isObject()
            && imageUrl.path("url").isTextual()
            && ImageInliner.isRemote(imageUrl.get("url").asText())) {
          out.add(
              new ImageInliner.Ref(
                  (ObjectNode) imageUrl, "url", imageUrl.get("url").asText(), p + ".url"));
        }
      }
    }
    return out;
  }
}
