package io.github.bedrockgateway.images;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Downloads images over HTTP(S) without blocking an event loop: names are resolved on a worker
 * thread, every address is checked against the {@link AddressPolicy}, and the connection goes to
 * the address that was checked (the host name still travels in {@code Host} and TLS SNI, and the
 * certificate is verified against it), so a DNS answer that changes between check and connect
 * cannot redirect it. Redirects are followed by hand, each hop checked again. One deadline covers
 * resolution, connection, redirects and body; the body is counted as it arrives and the connection
 * dropped once it exceeds the size limit.
 *
 * <p>Thread-safe: each download runs on one Vert.x context.
 */
public final class ImageFetcher implements AutoCloseable {

  /**
   * @param timeout one download, end to end
   * @param maxBytes largest body accepted
   * @param maxRedirects redirects followed
   * @param policy which addresses may be contacted
   */
  public record Options(Duration timeout, int maxBytes, int maxRedirects, AddressPolicy policy) {}

  /** A downloaded image. */
  public record Image(byte[] bytes, ImageFormats.Format format) {}

  static final String USER_AGENT = "bedrock-chat-gateway (image fetch)";
  private static final String ACCEPT =
      "image/png,image/jpeg,image/gif,image/webp;q=1.0,image/*;q=0.5";

  private final Vertx vertx;
  private final Options options;
  private final HttpClient client;

  public ImageFetcher(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.options = options;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                // One connection per download: pooled connections would outlive the address check.
                .setKeepAlive(false)
                .setMaxPoolSize(64)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis()))
                .setDecompressionSupported(false)
                .setVerifyHost(true)
                .setForceSni(true));
  }

  /**
   * Downloads one image; fails with {@link ImageFetchException} whose message tells the client why
   * (refused address, timeout, too large, HTTP status, not an image).
   */
  public Future<Image> fetch(String url) {
    Promise<Image> promise = Promise.promise();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> new Download(url, promise).start());
    return promise.future();
  }

  @Override
  public void close() {
    client.close();
  }

  /** One download across its redirects. Runs on one context, so needs no locking. */
  private final class Download {
    private final Promise<Image> promise;
    private final String originalUrl;
    private long timerId;
    private HttpClientRequest current;
    private boolean done;
    private int redirects;

    Download(String url, Promise<Image> promise) {
      this.originalUrl = url;
      this.promise = promise;
    }

    void start() {
      timerId =
          vertx.setTimer(
              Math.max(1, options.timeout().toMillis()),
              id -> {
                timerId = -1;
                fail("the download did not finish within " + human(options.timeout()));
              });
      URI uri;
      try {
        uri = new URI(originalUrl);
      } catch (URISyntaxException e) {
        fail("it is not a valid URL");
        return;
      }
      hop(uri);
    }

    private void hop(URI uri) {
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        fail(
            redirects == 0
                ? "only http and https URLs can be fetched"
                : "it redirects to a "
                    + (scheme.isEmpty() ? "relative" : scheme)
                    + " URL, which cannot be fetched");
        return;
      }
      String host = uri.getHost();
      if (host == null || host.isEmpty()) {
        fail("the URL has no valid host");
        return;
      }
      if (uri.getRawUserInfo() != null) {
        fail("URLs with credentials (user:password@) are not fetched");
        return;
      }
      String bareHost =
          host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      boolean https = scheme.equals("https");
      int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
      boolean nameAllowed = options.policy().hostAllowed(bareHost);
      vertx
          .<InetAddress[]>executeBlocking(() -> InetAddress.getAllByName(bareHost), false)
          .onComplete(
              ar -> {
                if (done) {
                  return;
                }
                if (ar.failed()) {
                  fail("the host '" + bareHost + "' cannot be resolved");
                  return;
                }
                InetAddress[] addresses = ar.result();
                if (!nameAllowed) {
                  for (InetAddress address : addresses) {
                    Optional<String> refusal = options.policy().refusal(address);
                    if (refusal.isPresent()) {
                      fail(
                          "'"
                              + bareHost
                              + "' resolves to "
                              + address.getHostAddress()
                              + ", "
                              + refusal.get()
                              + "; the gateway does not fetch from internal networks"
                              + " (an operator can allow it with gateway.images.allowed-hosts)");
                      return;
                    }
                  }
                }
                request(uri, bareHost, port, https, addresses[0]);
              });
    }

    private void request(URI uri, String host, int port, boolean https, InetAddress address) {
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      if (uri.getRawQuery() != null) {
        path += "?" + uri.getRawQuery();
      }
      RequestOptions request =
          new RequestOptions()
              .setMethod(HttpMethod.GET)
              .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)))
              .setHost(host)
              .setPort(port)
              .setSsl(https)
              .setURI(path)
              .setFollowRedirects(false)
              .putHeader("Accept", ACCEPT)
              .putHeader("Accept-Encoding", "identity")
              .putHeader("User-Agent", USER_AGENT);
      client
          .request(request)
          .compose(
              req -> {
                if (done) {
                  req.reset();
                  return Future.failedFuture("cancelled");
                }
                current = req;
                return req.send();
              })
          .onComplete(
              ar -> {
                if (done) {
                  return;
                }
                if (ar.failed()) {
                  fail("the download failed: " + describe(ar.cause()));
                  return;
                }
                onResponse(uri, ar.result());
              });
    }

    private void onResponse(URI uri, HttpClientResponse response) {
      // Set first: an abort below resets the stream, which Vert.x reports here (and logs when no
      // one listens).
      response.exceptionHandler(e -> fail("the download failed: " + describe(e)));
      int status = response.statusCode();
      String location = response.getHeader("Location");
      if (isRedirect(status) && location != null) {
        response.exceptionHandler(
            e -> {}); // the abort below is ours: not a failure of the download
        abortConnection();
        if (redirects >= options.maxRedirects()) {
          fail("it redirects more than " + options.maxRedirects() + " times");
          return;
        }
        redirects++;
        URI next;
        try {
          next = uri.resolve(new URI(location.trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
          fail("it redirects to an invalid URL");
          return;
        }
        hop(next);
        return;
      }
      if (status < 200 || status > 299) {
        fail("the server answered HTTP " + status);
        return;
      }
      String length = response.getHeader("Content-Length");
      if (length != null) {
        try {
          if (Long.parseLong(length.trim()) > options.maxBytes()) {
            fail(tooLarge());
            return;
          }
        } catch (NumberFormatException e) {
          // A malformed length is ignored: the running count below still enforces the limit.
        }
      }
      String contentType = response.getHeader("Content-Type");
      Buffer body = Buffer.buffer();
      response.handler(
          chunk -> {
            if (done) {
              return;
            }
            if ((long) body.length() + chunk.length() > options.maxBytes()) {
              fail(tooLarge());
              return;
            }
            body.appendBuffer(chunk);
          });
      response.endHandler(
          v -> {
            if (done) {
              return;
            }
            byte[] bytes = body.getBytes();
            if (bytes.length == 0) {
              fail("the server returned an empty body");
              return;
            }
            Optional<ImageFormats.Format> format =
                ImageFormats.fromContentType(contentType).or(() -> ImageFormats.sniff(bytes));
            if (format.isEmpty()) {
              fail(
                  "it is not a PNG, JPEG, GIF or WebP image (Content-Type: "
                      + (contentType == null ? "none" : contentType.trim())
                      + ")");
              return;
            }
            succeed(new Image(bytes, format.get()));
          });
    }

    private String tooLarge() {
      return "the image is larger than " + options.maxBytes() + " bytes (gateway.images.max-bytes)";
    }

    /** Drops the connection: the rest of the body is not wanted. */
    private void abortConnection() {
      HttpClientRequest request = current;
      current = null;
      if (request != null) {
        request.reset();
      }
    }

    private void succeed(Image image) {
      if (done) {
        return;
      }
      done = true;
      cancelTimer();
      promise.complete(image);
    }

    private void fail(String reason) {
      if (done) {
        return;
      }
      done = true; // first: the reset below may call the exception handlers back synchronously
      cancelTimer();
      abortConnection();
      promise.fail(new ImageFetchException(reason));
    }

    private void cancelTimer() {
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
        timerId = -1;
      }
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /**
   * Why a connection failed, in words for the API client: an exception's own text names Java
   * classes and internal addresses, so it never reaches a response.
   */
  static String describe(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof javax.net.ssl.SSLException) {
        return "the TLS handshake failed (is the certificate valid for the host?)";
      }
      if (c instanceof java.net.ConnectException) {
        return c instanceof io.netty.channel.ConnectTimeoutException
            ? "the connection timed out"
            : "the connection was refused";
      }
      if (c instanceof java.net.SocketTimeoutException) {
        return "the connection timed out";
      }
      if (c instanceof java.nio.channels.ClosedChannelException
          || c instanceof io.vertx.core.http.HttpClosedException
          || c instanceof java.io.IOException && String.valueOf(c.getMessage()).contains("reset")) {
        return "the server closed the connection";
      }
    }
    return "the connection failed";
  }

  private static String human(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
  }
}
