package io.github.bedrockgateway.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.bedrockgateway.config.Bounds;
import io.github.bedrockgateway.error.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Resolves the remote image URLs of a request before translation, for any protocol: every {@code
 * http(s)://} URL the protocol's finder points at is downloaded (SSRF-guarded, see {@link
 * ImageFetcher}) and replaced, in the request's JSON tree, by a {@code data:} URL of its bytes, so
 * the pure translators see only data URLs and stay free of I/O.
 *
 * <p>The request is validated first with a placeholder image in place of each remote one, so a
 * request that would be refused anyway (a bad parameter, too many images, an image where none is
 * allowed) is answered at once and never causes a download.
 */
public final class ImageInliner {

  /**
   * A 1x1 transparent PNG: stands in for remote images while the rest of the request is validated.
   */
  static final String PLACEHOLDER =
      "data:image/png;base64,"
          + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

  /**
   * One remote image in a request: {@code holder.field} holds {@code url}; {@code param} names it
   * in errors.
   */
  public record Ref(ObjectNode holder, String field, String url, String param) {}

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

  /** Whether a URL is one the gateway downloads ({@code http://} or {@code https://}). */
  public static boolean isRemote(String url) {
    String u = url.stripLeading().toLowerCase(Locale.ROOT);
    return u.startsWith("http://") || u.startsWith("https://");
  }

  /**
   * The request body with every remote image replaced by a data URL of its bytes; the body itself
   * when it has none. Fails with a {@link GatewayException} (400 naming the image's param) when a
   * download is refused or fails, or when {@code validate} refuses the request.
   *
   * @param finder the remote images of a body (malformed ones left for the translator to refuse)
   * @param validate throws the request's refusal, if any (the protocol's translator)
   */
  public Future<JsonNode> inline(
      JsonNode body, Function<JsonNode, List<Ref>> finder, Consumer<JsonNode> validate) {
    List<Ref> refs = finder.apply(body);
    if (refs.isEmpty()) {
      return Future.succeededFuture(body);
    }
    if (!enabled) {
      Ref first = refs.get(0);
      return Future.failedFuture(
          GatewayException.unsupported(
              first.param(),
              "Remote image URLs are disabled on this "
                  + "gateway (gateway.images.remote-enabled=false): send the image as a base64 data URL "
                  + "(data:image/png;base64,...)."));
    }
    try {
      JsonNode copy = body.deepCopy();
      for (Ref ref : finder.apply(copy)) {
        ref.holder().set(ref.field(), TextNode.valueOf(PLACEHOLDER));
      }
      validate.accept(copy);
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
    List<Future<ImageFetcher.Image>> downloads = new ArrayList<>(refs.size());
    for (Ref ref : refs) {
      downloads.add(fetcher.fetch(ref.url()).recover(e -> Future.failedFuture(refusal(ref, e))));
    }
    Context caller = Vertx.currentContext();
    Promise<JsonNode> result = Promise.promise();
    // join, not all: wait for every download to settle so none is left running after the answer.
    Future.join(new ArrayList<>(downloads))
        .onComplete(
            ar -> {
              Runnable settle = () -> settle(body, refs, downloads, result);
              if (caller == null || caller == Vertx.currentContext()) {
                settle.run();
              } else {
                caller.runOnContext(v -> settle.run());
              }
            });
    return result.future();
  }

  private static void settle(
      JsonNode body,
      List<Ref> refs,
      List<Future<ImageFetcher.Image>> downloads,
      Promise<JsonNode> result) {
    for (Future<ImageFetcher.Image> download : downloads) {
      if (download.failed()) {
        result.fail(download.cause());
        return;
      }
    }
    for (int i = 0; i < refs.size(); i++) {
      Ref ref = refs.get(i);
      ImageFetcher.Image image = downloads.get(i).result();
      ref.holder()
          .put(
              ref.field(),
              "data:"
                  + image.format().mediaType()
                  + ";base64,"
                  + Base64.getEncoder().encodeToString(image.bytes()));
    }
    result.complete(body);
  }

  private static GatewayException refusal(Ref ref, Throwable e) {
    // the text of an unexpected failure is no answer for a client (it names Java classes)
    String reason = e instanceof ImageFetchException ? e.getMessage() : "the download failed";
    return new GatewayException(
        400,
        GatewayException.INVALID_REQUEST,
        "Could not fetch the image at " + abbreviate(ref.url()) + ": " + reason + ".",
        ref.param(),
        "invalid_image_url");
  }

  private static String abbreviate(String url) {
    return url.length() <= 200 ? url : url.substring(0, 200) + "...";
  }
}
