package io.github.bedrockgateway.openai.chat;

import io.github.bedrockgateway.converse.PendingImage;
import io.github.bedrockgateway.images.ImageFetcher;
import io.github.bedrockgateway.images.ImageInliner;
import io.github.bedrockgateway.images.ImagesConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;

/**
 * Downloads the remote {@code image_url} parts of translated chat requests (see {@link
 * ImageInliner}): {@link OpenAiToConverse} leaves a placeholder for each {@code http(s)://} URL in
 * a user message, listed in {@link ChatRequest#remoteImages()}, and {@link ChatRequest#withImages}
 * puts the downloaded images in their place.
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
   * The image blocks of the request's remote images, in order. Fails with a {@code
   * GatewayException} (400 naming the image's param) when a download is refused or fails.
   */
  public Future<List<ImageBlock>> download(List<PendingImage> images) {
    return inliner.download(images);
  }
}
