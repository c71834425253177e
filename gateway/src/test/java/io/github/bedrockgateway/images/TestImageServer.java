package io.github.bedrockgateway.images;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A small image host on 127.0.0.1 for tests, on JDK threads of its own (independent of Vert.x):
 *
 * <ul>
 *   <li>{@code /cat.png} a real PNG, {@code /cat.jpg} a real JPEG, with their Content-Type
 *   <li>{@code /octet.png} the PNG as {@code application/octet-stream}, {@code /untyped.jpg} the
 *       JPEG with no type
 *   <li>{@code /page.html} HTML, {@code /empty} an empty 200, {@code /missing} a 404
 *   <li>{@code /big} 5 MB with a Content-Length, {@code /big-chunked} 5 MB chunked (no length)
 *   <li>{@code /slow} the PNG after 3 s
 *   <li>{@code /redirect?to=URL} a 302 to URL, {@code /loop} a 302 to itself
 * </ul>
 *
 * {@link #hits(String)} counts requests per path.
 */
public final class TestImageServer implements AutoCloseable {

  public static final byte[] PNG = image("png");
  public static final byte[] JPEG = image("jpg");
  public static final int BIG = 5 * 1024 * 1024;

  /** What {@code /big-chunked} would send in all: far more than any socket buffers hold. */
  public static final long HUGE = 256L * 1024 * 1024;

  private final java.util.concurrent.atomic.AtomicLong chunkedBytesWritten =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile java.util.concurrent.CountDownLatch slowRelease =
      new java.util.concurrent.CountDownLatch(1);
  private volatile boolean slowAnswered;

  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "test-image-server");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  public TestImageServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** {@code http://127.0.0.1:PORT} + path. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() {
    releaseSlow();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    try (exchange) {
      switch (path) {
        case "/cat.png" -> send(exchange, 200, "image/png", PNG);
        case "/cat.jpg" -> send(exchange, 200, "image/jpeg; charset=binary", JPEG);
        case "/octet.png" -> send(exchange, 200, "application/octet-stream", PNG);
        case "/untyped.jpg" -> send(exchange, 200, null, JPEG);
        case "/page.html" ->
            send(
                exchange,
                200,
                "text/html",
                "<html>not an image</html>".getBytes(StandardCharsets.UTF_8));
        case "/empty" -> send(exchange, 200, "image/png", new byte[0]);
        case "/missing" ->
            send(exchange, 404, "text/plain", "no such image".getBytes(StandardCharsets.UTF_8));
        case "/big" -> stream(exchange, BIG, BIG, null);
        case "/big-chunked" -> stream(exchange, 0, HUGE, chunkedBytesWritten);
        case "/slow" -> {
          slowAnswered = false;
          await(slowRelease);
          slowAnswered = true;
          send(exchange, 200, "image/png", PNG);
        }
        case "/redirect" -> redirect(exchange, query(exchange, "to"));
        case "/loop" -> redirect(exchange, "/loop");
        default -> send(exchange, 404, "text/plain", new byte[0]);
      }
    } catch (IOException e) {
      // The client hung up (as it should on an oversized body or after its timeout).
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    if (type != null) {
      exchange.getResponseHeaders().add("Content-Type", type);
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  /** {@code length} 0: chunked; {@code total} bytes in all; counted in {@code written} if given. */
  private static void stream(
      HttpExchange exchange,
      long length,
      long total,
      java.util.concurrent.atomic.AtomicLong written)
      throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "image/png");
    exchange.sendResponseHeaders(200, length);
    byte[] chunk = new byte[64 * 1024];
    System.arraycopy(PNG, 0, chunk, 0, Math.min(PNG.length, chunk.length));
    OutputStream out = exchange.getResponseBody();
    for (long sent = 0; sent < total; sent += chunk.length) {
      out.write(chunk);
      if (written != null) {
        written.addAndGet(chunk.length);
      }
    }
  }

  /** Bytes of {@code /big-chunked} the server managed to write before the client hung up. */
  public long chunkedBytesWritten() {
    return chunkedBytesWritten.get();
  }

  /** Whether {@code /slow} has answered; it answers only after {@link #releaseSlow()}. */
  public boolean slowAnswered() {
    return slowAnswered;
  }

  /** Lets the {@code /slow} requests waiting now answer; later ones wait for the next release. */
  public void releaseSlow() {
    java.util.concurrent.CountDownLatch released = slowRelease;
    slowRelease = new java.util.concurrent.CountDownLatch(1);
    released.countDown();
  }

  private static void await(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void redirect(HttpExchange exchange, String to) throws IOException {
    exchange.getResponseHeaders().add("Location", to);
    exchange.sendResponseHeaders(302, -1);
  }

  private static String query(HttpExchange exchange, String name) {
    String q = exchange.getRequestURI().getRawQuery();
    if (q != null) {
      for (String pair : q.split("&")) {
        if (pair.startsWith(name + "=")) {
          return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
        }
      }
    }
    return "/";
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] image(String format) {
    BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    img.setRGB(1, 1, Color.ORANGE.getRGB());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
