package io.github.bedrockgateway.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * The gateway's Prometheus metrics ({@code /q/metrics}). Labels come only from configuration (model
 * names listed in the catalog, client key names) or from small fixed sets (status, error code), so
 * their cardinality stays bounded whatever clients send. Meters are cached per label set: the
 * request path does one map lookup per meter, no registry search.
 */
@Singleton
public class GatewayMetrics {

  private final MeterRegistry registry;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger openStreams = new AtomicInteger();
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final Counter retries;

  GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("gateway.requests.in.flight", inFlight, AtomicInteger::get)
        .description("Bedrock calls in flight (streams included)")
        .register(registry);
    Gauge.builder("gateway.streams.open", openStreams, AtomicInteger::get)
        .description("Streams open to clients")
        .register(registry);
    retries =
        Counter.builder("gateway.upstream.retries")
            .description("Bedrock call attempts beyond the first")
            .register(registry);
  }

  /**
   * Counts a call against the in-flight limit; false when the limit is reached (nothing counted).
   */
  public boolean tryAcquire(int limit) {
    while (true) {
      int current = inFlight.get();
      if (current >= limit) {
        return false;
      }
      if (inFlight.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  public void release() {
    inFlight.decrementAndGet();
  }

  public int inFlight() {
    return inFlight.get();
  }

  public void streamOpened() {
    openStreams.incrementAndGet();
  }

  public void streamClosed() {
    openStreams.decrementAndGet();
  }

  public void retried() {
    retries.increment();
  }

  /** Records a finished request. */
  public void record(Exchange e) {
    String stream = Boolean.toString(e.stream);
    String status = Integer.toString(e.status);
    counter(
            "gateway.requests",
            "Requests by model, client key, stream and status",
            "model",
            e.modelLabel,
            "key",
            e.keyName,
            "stream",
            stream,
            "status",
            status)
        .increment();
    long now = System.nanoTime();
    timer(
            "gateway.request.duration",
            "Whole request, first byte in to last byte out",
            "model",
            e.modelLabel,
            "stream",
            stream)
        .record(Duration.ofNanos(now - e.startNanos));
    if (e.firstTokenNanos != 0) {
      timer(
              "gateway.time.to.first.token",
              "Request start to first content chunk sent (streams)",
              "model",
              e.modelLabel,
              "stream",
              stream)
          .record(Duration.ofNanos(e.firstTokenNanos - e.startNanos));
    }
    if (e.errorCode != null && e.upstreamCalled) {
      counter(
              "gateway.upstream.errors",
              "Failed Bedrock calls by error code",
              "model",
              e.modelLabel,
              "error",
              e.errorCode)
          .increment();
    }
    TokenUsage u = e.usage;
    if (u != null) {
      tokens(e, "input", u.inputTokens());
      tokens(e, "output", u.outputTokens());
      tokens(e, "cache_read", u.cacheReadInputTokens());
      tokens(e, "cache_write", u.cacheWriteInputTokens());
    }
  }

  private void tokens(Exchange e, String type, Integer n) {
    if (n != null && n > 0) {
      counter(
              "gateway.tokens",
              "Tokens by model, client key and type",
              "model",
              e.modelLabel,
              "key",
              e.keyName,
              "type",
              type)
          .increment(n);
    }
  }

  private Counter counter(String name, String description, String... tags) {
    return counters.computeIfAbsent(
        key(name, tags),
        k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }

  private Timer timer(String name, String description, String... tags) {
    return timers.computeIfAbsent(
        key(name, tags),
        k ->
            Timer.builder(name)
                .description(description)
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry));
  }

  private static String key(String name, String... tags) {
    StringBuilder b = new StringBuilder(name);
    for (String t : tags) {
      b.append('\u0000').append(t);
    }
    return b.toString();
  }
}
