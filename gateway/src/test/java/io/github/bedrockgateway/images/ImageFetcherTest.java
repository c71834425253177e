package io.github.bedrockgateway.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.images.ImageFormats.Format;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The downloader against a local image host: formats, limits, redirects and the address check on
 * every hop.
 */
class ImageFetcherTest {

  static Vertx vertx;
  static TestImageServer server;
  ImageFetcher fetcher;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = new TestImageServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void closeFetcher() {
    if (fetcher != null) {
      fetcher.close();
    }
  }

  /** Allows the local server (127.0.0.1) through the allow-list. */
  ImageFetcher local(Duration timeout) {
    fetcher =
        new ImageFetcher(
            vertx,
            new ImageFetcher.Options(
                timeout, 3_932_160, 3, AddressPolicy.of(List.of("127.0.0.1/32"))));
    return fetcher;
  }

  ImageFetcher local() {
    return local(Duration.ofSeconds(5));
  }

  static ImageFetcher.Image ok(ImageFetcher f, String url) throws Exception {
    return f.fetch(url).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  static String refusal(ImageFetcher f, String url) throws Exception {
    try {
      f.fetch(url).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ImageFetchException.class);
      return e.getCause().getMessage();
    }
    throw new AssertionError("expected " + url + " to fail");
  }

  @Test
  void downloads_an_image_and_takes_the_format_from_content_type() throws Exception {
    ImageFetcher.Image png = ok(local(), server.url("/cat.png"));
    assertThat(png.bytes()).isEqualTo(TestImageServer.PNG);
    assertThat(png.format()).isEqualTo(Format.PNG);
    assertThat(ok(fetcher, server.url("/cat.jpg")).format()).isEqualTo(Format.JPEG);
  }

  @Test
  void sniffs_the_format_when_content_type_says_nothing_useful() throws Exception {
    assertThat(ok(local(), server.url("/octet.png")).format()).isEqualTo(Format.PNG);
    assertThat(ok(fetcher, server.url("/untyped.jpg")).format()).isEqualTo(Format.JPEG);
  }

  @Test
  void refuses_what_is_not_an_image() throws Exception {
    assertThat(refusal(local(), server.url("/page.html")))
        .isEqualTo("it is not a PNG, JPEG, GIF or WebP image (Content-Type: text/html)");
    assertThat(refusal(fetcher, server.url("/empty")))
        .isEqualTo("the server returned an empty body");
    assertThat(refusal(fetcher, server.url("/missing"))).isEqualTo("the server answered HTTP 404");
  }

  @Test
  void stops_at_the_size_limit_whether_or_not_content_length_announces_it() throws Exception {
    assertThat(refusal(local(), server.url("/big")))
        .isEqualTo("the image is larger than 3932160 bytes (gateway.images.max-bytes)");
    assertThat(refusal(fetcher, server.url("/big-chunked")))
        .isEqualTo("the image is larger than 3932160 bytes (gateway.images.max-bytes)");
    // the fetcher hung up at the limit: the server could not push the rest of its 256 MiB
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> server.chunkedBytesWritten() > 0);
    assertThat(server.chunkedBytesWritten()).isLessThan(TestImageServer.HUGE / 2);
  }

  @Test
  void gives_up_at_the_time_limit() throws Exception {
    // /slow answers only when released: the refusal must come from the fetcher's own timer
    assertThat(refusal(local(Duration.ofMillis(500)), server.url("/slow")))
        .isEqualTo("the download did not finish within 500 ms");
    assertThat(server.slowAnswered()).isFalse();
    server.releaseSlow();
  }

  @Test
  void follows_a_bounded_number_of_redirects() throws Exception {
    assertThat(ok(local(), server.url("/redirect?to=/cat.png")).bytes())
        .isEqualTo(TestImageServer.PNG);
    int before = server.hits("/loop");
    assertThat(refusal(fetcher, server.url("/loop"))).isEqualTo("it redirects more than 3 times");
    assertThat(server.hits("/loop") - before).isEqualTo(4);
  }

  @Test
  void checks_the_address_again_on_every_redirect_hop() throws Exception {
    // localhost is allowed by name, 127.0.0.1 is not: a redirect from one to the other is refused.
    fetcher =
        new ImageFetcher(
            vertx,
            new ImageFetcher.Options(
                Duration.ofSeconds(5), 3_932_160, 3, AddressPolicy.of(List.of("localhost"))));
    int before = server.hits("/cat.png");
    String url = "http://localhost:" + server.port() + "/redirect?to=" + server.url("/cat.png");
    assertThat(refusal(fetcher, url))
        .startsWith("'127.0.0.1' resolves to 127.0.0.1, a loopback address;");
    assertThat(server.hits("/cat.png")).isEqualTo(before);
    assertThat(ok(fetcher, "http://localhost:" + server.port() + "/cat.png").format())
        .isEqualTo(Format.PNG);
    assertThat(refusal(fetcher, server.url("/redirect?to=file:///etc/passwd")))
        .startsWith("'127.0.0.1' resolves to 127.0.0.1"); // the first hop is already refused
    fetcher.close();
    assertThat(refusal(local(), server.url("/redirect?to=file:///etc/passwd")))
        .isEqualTo("it redirects to a file URL, which cannot be fetched");
  }

  @Test
  void refuses_internal_addresses_without_connecting() throws Exception {
    fetcher =
        new ImageFetcher(
            vertx,
            new ImageFetcher.Options(
                Duration.ofSeconds(5), 3_932_160, 3, AddressPolicy.publicOnly()));
    int before = server.hits("/cat.png");
    assertThat(refusal(fetcher, server.url("/cat.png")))
        .isEqualTo(
            "'127.0.0.1' resolves to 127.0.0.1, a loopback "
                + "address; the gateway does not fetch from internal networks (an operator can allow it with "
                + "gateway.images.allowed-hosts)");
    assertThat(server.hits("/cat.png")).isEqualTo(before);
    assertThat(
            refusal(fetcher, "http://169.254.169.254/latest/meta-data/iam/security-credentials/"))
        .contains("169.254.169.254, a link-local address (cloud metadata services live there)");
    assertThat(refusal(fetcher, "http://[::1]:" + server.port() + "/cat.png"))
        .contains("a loopback address");
    assertThat(refusal(fetcher, "http://2130706433:" + server.port() + "/cat.png"))
        .contains("a loopback address");
    assertThat(refusal(fetcher, "http://localhost:" + server.port() + "/cat.png"))
        .contains("a loopback address");
  }

  @Test
  void refuses_urls_it_will_not_fetch() throws Exception {
    assertThat(refusal(local(), "ftp://127.0.0.1/cat.png"))
        .isEqualTo("only http and https URLs can be fetched");
    assertThat(refusal(fetcher, "http://user:secret@127.0.0.1:" + server.port() + "/cat.png"))
        .isEqualTo("URLs with credentials (user:password@) are not fetched");
    assertThat(refusal(fetcher, "http://127.0.0.1:" + server.port() + "/a b.png"))
        .isEqualTo("it is not a valid URL");
  }

  @Test
  void speaks_tls_to_an_https_url_and_reports_a_failed_handshake() throws Exception {
    // The local host speaks plain HTTP: the TLS client hello gets an error or silence, never an
    // image.
    assertThat(
            refusal(
                local(Duration.ofSeconds(1)), "https://127.0.0.1:" + server.port() + "/cat.png"))
        .matches("the download failed: .*|the download did not finish within 1 s");
  }

  @Test
  void never_blocks_the_event_loop_it_is_called_from() throws Exception {
    fetcher =
        new ImageFetcher(
            vertx,
            new ImageFetcher.Options(
                Duration.ofSeconds(5), 3_932_160, 3, AddressPolicy.of(List.of("localhost"))));
    AtomicInteger ticks = new AtomicInteger();
    CompletableFuture<ImageFetcher.Image> done = new CompletableFuture<>();
    vertx.runOnContext(
        v -> {
          long timer = vertx.setPeriodic(50, t -> ticks.incrementAndGet());
          // the slow server holds the answer until released: the same event loop keeps ticking
          // meanwhile
          fetcher
              .fetch("http://localhost:" + server.port() + "/slow")
              .onComplete(
                  ar -> {
                    vertx.cancelTimer(timer);
                    if (ar.succeeded()) {
                      done.complete(ar.result());
                    } else {
                      done.completeExceptionally(ar.cause());
                    }
                  });
        });
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ticks.get() > 20);
    assertThat(done).isNotDone();
    server.releaseSlow();
    assertThat(done.get(30, TimeUnit.SECONDS).format()).isEqualTo(Format.PNG);
  }
}
