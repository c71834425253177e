package io.github.bedrockgateway.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.observability.GatewayMetrics;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A bounded soak (short form; {@code -Dsoak.seconds=300} for a long one): streaming and
 * non-streaming requests, client disconnects and injected upstream faults, mixed, on loopback.
 * Every request must end as its kind predicts (no loss, no error beyond those injected), and after
 * the load the gateway holds no calls, streams, threads, file descriptors or heap it did not hold
 * before.
 */
@QuarkusTest
class SoakTest {

  private static final Logger LOG = Logger.getLogger(SoakTest.class);

  @TestHTTPResource("/v1/chat/completions")
  URL endpoint;

  @Inject GatewayMetrics metrics;

  @Inject EmbeddedSimulator embedded;

  enum Kind {
    PLAIN,
    STREAM,
    THROTTLED,
    STREAM_FAULT,
    DISCONNECT
  }

  /** What one bounded load produced. */
  record Load(int requests, int faults, int disconnects, Map<String, AtomicInteger> unexpected) {}

  @Test
  void mixed_load_with_faults_and_disconnects_loses_nothing_and_leaks_nothing() throws Exception {
    long seconds = Long.getLong("soak.seconds", 12);
    Kind[] kinds =
        System.getProperty("soak.kinds") == null
            ? Kind.values()
            : java.util.Arrays.stream(System.getProperty("soak.kinds").split(","))
                .map(Kind::valueOf)
                .toArray(Kind[]::new);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    // the same load, briefly, first: pools and caches grow to their working size before the
    // baseline
    assertThat(load(http, 3, kinds).unexpected()).isEmpty();
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> metrics.inFlight() == 0);
    // The embedded simulator keeps the last 10,000 requests it received for tests to inspect: that
    // record is the simulator's, not the gateway's, and would grow the heap with the request count.
    embedded.simulator().clearRequests();
    Baseline before = Baseline.take();

    Load load = load(http, seconds, kinds);

    // cancelled upstream calls and closed connections settle
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> metrics.inFlight() == 0);
    embedded.simulator().clearRequests();
    // live per-request objects after a full GC (the class histogram forces one): a kept-alive
    // connection may still hold its last request's objects (at most one per connection, and the
    // load
    // uses at most 16), but a leak per request would leave hundreds; counting instances does not
    // depend on what else the shared test JVM holds, unlike the heap size
    List<String> perRequest =
        List.of(
            "io.github.bedrockgateway.observability.Exchange",
            "io.github.bedrockgateway.openai.StreamRelay",
            "io.github.bedrockgateway.openai.chat.ConverseStreamTranslator");
    Map<String, Long> live =
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> liveInstances(perRequest),
                counts -> counts.values().stream().allMatch(c -> c <= 16));
    Baseline after = Baseline.take();
    LOG.infof(
        "soak: %d requests in %d s (%d faults injected, %d client disconnects), unexpected outcomes: %s; "
            + "threads %d -> %d, fds %d -> %d, heap %d MB -> %d MB",
        load.requests(),
        seconds,
        load.faults(),
        load.disconnects(),
        load.unexpected(),
        before.threads,
        after.threads,
        before.fds,
        after.fds,
        before.heapMb,
        after.heapMb);

    assertThat(load.unexpected()).as("outcomes other than the injected ones").isEmpty();
    assertThat(load.requests()).isGreaterThan(100);
    assertThat(metrics.inFlight()).as("Bedrock calls still counted in flight").isZero();
    // pools (SDK, HTTP clients, fork-join) may still grow towards their ceiling in a shared test
    // JVM;
    // a leak per request would show up as hundreds of threads after this many requests
    assertThat(after.threads).as("threads").isLessThanOrEqualTo(before.threads + 16);
    if (before.fds > 0) {
      assertThat(after.fds).as("open file descriptors").isLessThanOrEqualTo(before.fds + 16);
    }
    assertThat(live)
        .as("per-request objects still alive after the load")
        .allSatisfy((type, count) -> assertThat(count).as(type).isLessThanOrEqualTo(16));
  }

  private Load load(HttpClient http, long seconds, Kind[] kinds) throws Exception {
    Semaphore concurrency = new Semaphore(16);
    Map<Kind, AtomicInteger> sent = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> unexpected = new ConcurrentHashMap<>();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    int n = 0;
    while (System.nanoTime() < end) {
      Kind kind = kinds[n++ % kinds.length];
      concurrency.acquire();
      sent.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
      all.add(
          send(http, kind)
              .handle(
                  (outcome, error) -> {
                    concurrency.release();
                    String problem = error != null ? kind + ": " + error : outcome;
                    if (problem != null) {
                      unexpected
                          .computeIfAbsent(
                              problem.length() > 200 ? problem.substring(0, 200) : problem,
                              p -> new AtomicInteger())
                          .incrementAndGet();
                    }
                    return null;
                  }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    int faults = count(sent, Kind.THROTTLED) + count(sent, Kind.STREAM_FAULT);
    return new Load(all.size(), faults, count(sent, Kind.DISCONNECT), unexpected);
  }

  private static int count(Map<Kind, AtomicInteger> sent, Kind kind) {
    AtomicInteger c = sent.get(kind);
    return c == null ? 0 : c.get();
  }

  /**
   * Sends one request of a kind; completes with null when it ended as predicted, else a
   * description.
   */
  private CompletableFuture<String> send(HttpClient http, Kind kind) {
    String text =
        switch (kind) {
          case PLAIN -> "@sim tokens=20";
          case STREAM -> "@sim tokens=30";
          case THROTTLED -> "@sim error=ThrottlingException";
          case STREAM_FAULT ->
              "@sim tokens=30\\n@sim stream-error=modelStreamErrorException\\n@sim stream-error-after=5";
          case DISCONNECT -> "@sim tokens=200\\n@sim chunk-delay=20";
        };
    boolean stream = kind != Kind.PLAIN && kind != Kind.THROTTLED;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint.toString()))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer test-key-1")
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\": \"gpt-4o\", \"stream\": "
                        + stream
                        + ", \"messages\": [{\"role\": \"user\", \"content\": \""
                        + text
                        + "\"}]}"))
            .build();
    if (kind == Kind.DISCONNECT) {
      return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
          .thenApply(
              r -> {
                try (InputStream body = r.body()) {
                  byte[] first = body.readNBytes(600); // a few chunks, then the client leaves
                  return r.statusCode() == 200 && first.length > 0
                      ? null
                      : kind + ": status " + r.statusCode();
                } catch (java.io.IOException e) {
                  return kind + ": " + e;
                }
              });
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .thenApply(
            r -> {
              String body = r.body();
              boolean ok =
                  switch (kind) {
                    case PLAIN ->
                        r.statusCode() == 200 && body.contains("\"finish_reason\":\"stop\"");
                    case STREAM -> r.statusCode() == 200 && body.endsWith("data: [DONE]\n\n");
                    case THROTTLED ->
                        r.statusCode() == 429 && r.headers().firstValue("retry-after").isPresent();
                    case STREAM_FAULT ->
                        r.statusCode() == 200
                            && body.contains("data: {\"error\":")
                            && !body.contains("[DONE]");
                    default -> false;
                  };
              return ok
                  ? null
                  : kind
                      + ": status "
                      + r.statusCode()
                      + " "
                      + (body.length() > 120 ? body.substring(body.length() - 120) : body);
            });
  }

  /** Live instances per class name, from the JVM's class histogram (which runs a full GC first). */
  private static Map<String, Long> liveInstances(List<String> classNames) throws Exception {
    Object histogram =
        ManagementFactory.getPlatformMBeanServer()
            .invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram",
                new Object[] {null},
                new String[] {String[].class.getName()});
    Map<String, Long> counts = new java.util.TreeMap<>();
    classNames.forEach(name -> counts.put(name, 0L));
    for (String line : histogram.toString().split("\n")) {
      String[] cols = line.trim().split("\\s+");
      // "num: instances bytes class-name (module)"
      if (cols.length >= 4 && counts.containsKey(cols[3])) {
        counts.merge(cols[3], Long.parseLong(cols[1]), Long::sum);
      }
    }
    return counts;
  }

  record Baseline(int threads, long fds, long heapMb) {
    static Baseline take() throws Exception {
      System.gc();
      // heap is only logged: after GC in a shared JVM it is not a leak signal
      System.gc();
      long heap =
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
      Path fd = Path.of("/proc/self/fd");
      long fds = Files.isDirectory(fd) ? Files.list(fd).count() : -1;
      return new Baseline(ManagementFactory.getThreadMXBean().getThreadCount(), fds, heap);
    }
  }
}
