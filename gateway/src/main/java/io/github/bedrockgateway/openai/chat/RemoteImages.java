package io.github.bedrockgateway.openai.chat;

import io.github.bedrockgateway.images.ImageFetchException;

import io.github.bedrockgateway.images.AddressPolicy;
import io.github.bedrockgateway.images.ImageFetcher;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.config.GatewayConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Resolves remote {@code image_url} parts before translation: every {@code http(s)://} URL in a user
 * message is downloaded and replaced, in the request's JSON tree, by a {@code data:} URL of the bytes,
 * so the pure translator sees only data URLs and stays free of I/O.
 *
 * <p>The request is validated first with a placeholder image in place of each remote one, so a
 * request that would be refused anyway (a bad parameter, too many images, an image in a system
 * message) is answered at once and never causes a download.
 */
@Singleton
public class RemoteImages {

    /** A 1x1 transparent PNG: stands in for remote images while the rest of the request is validated. */
    private static final String PLACEHOLDER = "data:image/png;base64,"
            + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

    private final boolean enabled;
    private final ImageFetcher fetcher;

    @Inject
    RemoteImages(GatewayConfig config, Vertx vertx) {
        this(vertx, config.images().remoteEnabled(), options(config.images()));
    }

    /** For tests and embedding: a resolver with explicit options. */
    public RemoteImages(Vertx vertx, boolean enabled, ImageFetcher.Options options) {
        this.enabled = enabled;
        this.fetcher = new ImageFetcher(vertx, options);
    }

    static ImageFetcher.Options options(GatewayConfig.Images images) {
        if (images.maxBytes() < 1) {
            throw new IllegalArgumentException("gateway.images.max-bytes must be at least 1");
        }
        if (images.maxRedirects() < 0) {
            throw new IllegalArgumentException("gateway.images.max-redirects must not be negative");
        }
        if (images.fetchTimeout().isNegative() || images.fetchTimeout().isZero()) {
            throw new IllegalArgumentException("gateway.images.fetch-timeout must be positive");
        }
        return new ImageFetcher.Options(images.fetchTimeout(), images.maxBytes(), images.maxRedirects(),
                AddressPolicy.of(images.allowedHosts().orElse(List.of())));
    }

    @PreDestroy
    void close() {
        fetcher.close();
    }

    /** One remote image part found in the request. */
    private record RemoteRef(ObjectNode holder, String field, String url, String param) {
    }

    /**
     * The request body with every remote image replaced by a data URL of its bytes; the body itself
     * when it has none. Fails with an {@link GatewayException} (400 naming the image's param) when a
     * download is refused or fails, or when the request is invalid for any other reason.
     */
    public Future<JsonNode> inline(JsonNode body) {
        List<RemoteRef> refs = new ArrayList<>();
        find(body, refs);
        if (refs.isEmpty()) {
            return Future.succeededFuture(body);
        }
        if (!enabled) {
            RemoteRef first = refs.get(0);
            return Future.failedFuture(GatewayException.unsupported(first.param(), "Remote image URLs are disabled on this "
                    + "gateway (gateway.images.remote-enabled=false): send the image as a base64 data URL "
                    + "(data:image/png;base64,...)."));
        }
        try {
            OpenAiToConverse.translate(withPlaceholders(body), UnaryOperator.identity());
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        List<Future<ImageFetcher.Image>> downloads = new ArrayList<>(refs.size());
        for (RemoteRef ref : refs) {
            downloads.add(fetcher.fetch(ref.url()).recover(e -> Future.failedFuture(refusal(ref, e))));
        }
        Context caller = Vertx.currentContext();
        Promise<JsonNode> result = Promise.promise();
        // join, not all: wait for every download to settle so none is left running after the answer.
        Future.join(new ArrayList<>(downloads)).onComplete(ar -> {
            Runnable settle = () -> settle(body, refs, downloads, result);
            if (caller == null || caller == Vertx.currentContext()) {
                settle.run();
            } else {
                caller.runOnContext(v -> settle.run());
            }
        });
        return result.future();
    }

    private static void settle(JsonNode body, List<RemoteRef> refs, List<Future<ImageFetcher.Image>> downloads,
            Promise<JsonNode> result) {
        for (Future<ImageFetcher.Image> download : downloads) {
            if (download.failed()) {
                result.fail(download.cause());
                return;
            }
        }
        for (int i = 0; i < refs.size(); i++) {
            RemoteRef ref = refs.get(i);
            ImageFetcher.Image image = downloads.get(i).result();
            ref.holder().put(ref.field(), "data:" + image.format().mediaType() + ";base64,"
                    + Base64.getEncoder().encodeToString(image.bytes()));
        }
        result.complete(body);
    }

    private static GatewayException refusal(RemoteRef ref, Throwable e) {
        // the text of an unexpected failure is no answer for a client (it names Java classes)
        String reason = e instanceof ImageFetchException ? e.getMessage() : "the download failed";
        return new GatewayException(400, GatewayException.INVALID_REQUEST, "Could not fetch the image at "
                + abbreviate(ref.url()) + ": " + reason + ".", ref.param(), "invalid_image_url");
    }

    private static JsonNode withPlaceholders(JsonNode body) {
        JsonNode copy = body.deepCopy();
        List<RemoteRef> refs = new ArrayList<>();
        find(copy, refs);
        for (RemoteRef ref : refs) {
            ref.holder().set(ref.field(), TextNode.valueOf(PLACEHOLDER));
        }
        return copy;
    }

    /**
     * The remote image URLs of user messages, in the shapes the translator accepts:
     * {@code {"type": "image_url", "image_url": {"url": ...}}} and the string form
     * {@code "image_url": "..."}. Anything malformed is left for the translator to refuse.
     */
    private static void find(JsonNode body, List<RemoteRef> out) {
        JsonNode messages = body == null ? null : body.get("messages");
        if (messages == null || !messages.isArray()) {
            return;
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            JsonNode content = m.get("content");
            if (!m.isObject() || !"user".equals(m.path("role").asText()) || content == null || !content.isArray()) {
                continue;
            }
            for (int j = 0; j < content.size(); j++) {
                JsonNode part = content.get(j);
                if (!part.isObject() || !"image_url".equals(part.path("type").asText())) {
                    continue;
                }
                String p = "messages[" + i + "].content[" + j + "].image_url";
                JsonNode imageUrl = part.get("image_url");
                if (imageUrl != null && imageUrl.isTextual() && isRemote(imageUrl.asText())) {
                    out.add(new RemoteRef((ObjectNode) part, "image_url", imageUrl.asText(), p));
                } else if (imageUrl != null && imageUrl.isObject() && imageUrl.path("url").isTextual()
                        && isRemote(imageUrl.get("url").asText())) {
                    out.add(new RemoteRef((ObjectNode) imageUrl, "url", imageUrl.get("url").asText(), p + ".url"));
                }
            }
        }
    }

    private static boolean isRemote(String url) {
        String u = url.stripLeading().toLowerCase(Locale.ROOT);
        return u.startsWith("http://") || u.startsWith("https://");
    }

    private static String abbreviate(String url) {
        return url.length() <= 200 ? url : url.substring(0, 200) + "...";
    }
}
