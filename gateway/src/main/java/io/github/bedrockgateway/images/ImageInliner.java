package io.github.bedrockgateway.images;

import io.github.bedrockgateway.config.Bounds;
import io.github.bedrockgateway.converse.PendingImage;
import io.github.bedrockgateway.error.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;

/**
 * Downloads the remote images of a translated request, for any protocol. The translators do no I/O:
 * they translate the request once, with an image placeholder for each {@code http(s)://} URL
 * ({@link PendingImage}), so a request that would be refused anyway (a bad parameter, too many
 * images, an image where none is allowed) is answered at once and causes no download. This class
 * then downloads the pending images together (SSRF-guarded, see {@link ImageFetcher}) and hands
 * back their image blocks, which the request puts in place of the placeholders as they are: no
 * second translation, no base64.
 */
public final class ImageInliner {

  private final boolean enabled;
  private final ImageFetcher fetcher;

  public ImageInliner(Vertx vertx, boolean enabled, ImageFetcher.Options options) {
    this.enabled = enabled;
    this.fetcher = new ImageFetcher(vertx, options);
  }

  /** The fetcher's options from {@code gateway.images.*}, checked. */
  public static ImageFetcher.Options options(ImagesConfig images) {
    Bounds.atLeast("gateway.images.max-bytes", images.maxBytes(), 1);
    Bounds.atLeast("gateway.images.max-redirects", images.maxRedirects(), 0);
    Bounds.positive("gateway.images.fetch-timeout", images.fetchTimeout());
    return new ImageFetcher.Options(
        images.fetchTimeout(),
        images.maxBytes(),
        images.maxRedirects(),
        AddressPolicy.of(images.allowedHosts().orElse(List.of())));
  }

  public void close() {
    fetcher.close();
  }

  /**
   * The image blocks of {@code pending}'s images, in the same order, on the caller's context. Fails
   * with a {@link GatewayException} (400 naming the image's param) when remote images are switched
   * off, or when a download is refused or fails, or when an image is one Converse refuses (empty,
   * too large).
   */
  public Future<List<ImageBlock>> download(List<PendingImage> pending) {
    if (pending.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    if (!enabled) {
      return Future.failedFuture(
          GatewayException.unsupported(
              pending.get(0).param(),
              "Remote image URLs are disabled on this "
                  + "gateway (gateway.images.remote-enabled=false): send the image as a base64 data URL "
                  + "(data:image/png;base64,...)."));
    }
    List<Future<ImageFetcher.Image>> downloads = new ArrayList<>(pending.size());
    for (PendingImage image : pending) {
      downloads.add(
          fetcher.fetch(image.url()).recover(e -> Future.failedFuture(refusal(image, e))));
    }
    Context caller = Vertx.currentContext();
    Promise<List<ImageBlock>> result = Promise.promise();
    // join, not all: wait for every download to settle so none is left running after the answer.
    Future.join(new ArrayList<>(downloads))
        .onComplete(
            ar -> {
              Runnable settle = () -> settle(pending, downloads, result);
              if (caller == null || caller == Vertx.currentContext()) {
                settle.run();
              } else {
                caller.runOnContext(v -> settle.run());
              }
            });
    return result.future();
  }

  private static void settle(
      List<PendingImage> pending,
      List<Future<ImageFetcher.Image>> downloads,
      Promise<List<ImageBlock>> result) {
    for (Future<ImageFetcher.Image> download : downloads) {
      if (download.failed()) {
        result.fail(download.cause());
        return;
      }
    }
    List<ImageBlock> images = new ArrayList<>(pending.size());
    try {
      for (int i = 0; i < pending.size(); i++) {
        ImageFetcher.Image image = downloads.get(i).result();
        images.add(pending.get(i).image(image.format().bedrock(), image.bytes()));
      }
    } catch (GatewayException e) {
      result.fail(e);
      return;
    }
    result.complete(images);
  }

  private static GatewayException refusal(PendingImage image, Throwable e) {
    // the text of an unexpected failure is no answer for a client (it names Java classes)
    String reason = e instanceof ImageFetchException ? e.getMessage() : "the download failed";
    return new GatewayException(
        400,
        GatewayException.INVALID_REQUEST,
        "Could not fetch the image at " + abbreviate(image.url()) + ": " + reason + ".",
        image.param(),
        "invalid_image_url");
  }

  private static String abbreviate(String url) {
    return url.length() <= 200 ? url : url.substring(0, 200) + "...";
  }
}
