import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Open-loop (fixed-rate) HTTP load generator for the gateway benchmark.
 * <p>
 * Request i is due at {@code t0 + i / rate}, whatever happened to the requests before it: a pacing
 * thread sleeps until each due time and hands the send to one Vert.x event loop. Latency is measured
 * from the DUE time, not the send time, so queueing anywhere (in the generator's connection pool, the
 * kernel, the server) is counted and not hidden (no coordinated omission). The service time (from the
 * actual send) and the pacer's own lateness are reported too, so a late generator is visible.
 * <p>
 * Streams: with {@code marker=TEXT} the time to the first response byte sequence containing TEXT is
 * recorded (time to first token, from the due time); with {@code expect=TEXT} a 200 answer whose last
 * bytes do not contain TEXT counts as an error (a stream cut short).
 * <p>
 * Usage: {@code java -cp VERTX_CLASSPATH:classes LoadGen url=http://127.0.0.1:8080/path rate=500
 * duration=10 warmup=5 body=@file header=Name:value ... [marker=tok1] [expect=[DONE]] [conns=512]
 * [timeout=30] [label=x] [series=FILE] [cpu=PID,PID] [simcpu=PID]}. With {@code warmup} the warm-up runs in
 * the same process just before the measured phase (a cold generator would add its own start-up stalls
 * to the first measured requests); {@code cpu}/{@code simcpu} measure those processes' CPU time over
 * exactly the measured phase. Prints one JSON object on stdout; {@code series} also writes
 * one line per measured request (due time, latency, service time) to see when a tail happened.
 */
public final class LoadGen {

    public static void main(String[] args) throws Exception {
        Map<String, List<String>> a = parse(args);
        String url = one(a, "url", null);
        double rate = Double.parseDouble(one(a, "rate", "100"));
        double duration = Double.parseDouble(one(a, "duration", "10"));
        double warmup = Double.parseDouble(one(a, "warmup", "0"));
        int conns = Integer.parseInt(one(a, "conns", "512"));
        double timeout = Double.parseDouble(one(a, "timeout", "30"));
        String marker = one(a, "marker", null);
        String expect = one(a, "expect", null);
        String label = one(a, "label", "");
        String series = one(a, "series", null);
        // processes whose CPU time is measured over exactly the measured phase (system under test, simulator)
        List<String> sutPids = a.getOrDefault("cpu", List.of());
        List<String> simPids = a.getOrDefault("simcpu", List.of());
        String bodySpec = one(a, "body", "");
        byte[] body = bodySpec.startsWith("@") ? Files.readAllBytes(Path.of(bodySpec.substring(1)))
                : bodySpec.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : a.getOrDefault("header", List.of())) {
            int c = h.indexOf(':');
            headers.put(h.substring(0, c).trim(), h.substring(c + 1).trim());
        }
        java.net.URI uri = java.net.URI.create(url);

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1).setBlockedThreadCheckInterval(60_000));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true).setPipelining(false).setTcpNoDelay(true)
                .setIdleTimeout(120).setConnectTimeout(10_000)
                .setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort()),
                new PoolOptions().setHttp1MaxSize(conns).setMaxWaitQueueSize(-1));
        Context ctx = vertx.getOrCreateContext();
        Buffer payload = Buffer.buffer(body);
        RequestOptions base = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
                .setPort(uri.getPort()).setURI(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                .setTimeout((long) (timeout * 1000));
        headers.forEach(base::putHeader);
        base.putHeader("content-length", Integer.toString(body.length));
        byte[] markerBytes = marker == null ? null : marker.getBytes(StandardCharsets.UTF_8);
        byte[] expectBytes = expect == null ? null : expect.getBytes(StandardCharsets.UTF_8);

        if (warmup > 0) {
            Phase w = new Phase(Math.max(1, (int) Math.round(rate * warmup)), rate);
            w.run(client, ctx, base, payload, markerBytes, expectBytes, timeout);
        }
        Phase p = new Phase(Math.max(1, (int) Math.round(rate * duration)), rate);
        long cpu0 = ProcessCpu.self();
        long sut0 = ProcessCpu.of(sutPids);
        long sim0 = ProcessCpu.of(simPids);
        p.run(client, ctx, base, payload, markerBytes, expectBytes, timeout);
        long cpu1 = ProcessCpu.self();
        long sut1 = ProcessCpu.of(sutPids);
        long sim1 = ProcessCpu.of(simPids);
        String report = p.report(label, markerBytes != null, (cpu1 - cpu0));
        if (!sutPids.isEmpty()) {
            report = "{\"sut_cpu_ms\":" + (sut1 - sut0) / 1_000_000 + ",\"sim_cpu_ms\":" + (sim1 - sim0) / 1_000_000
                    + "," + report.substring(1);
        }
        System.out.println(report);
        if (series != null) {
            p.writeSeries(Path.of(series));
        }
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        System.exit(0);
    }

    /** One run of {@code count} requests at {@code rate} per second. */
    static final class Phase {
        final int count;
        final double rate;
        final long[] latency;     // from due time to the end of the response, ns (-1 = failed)
        final long[] service;     // from the actual send to the end of the response, ns
        final long[] first;       // from due time to the marker, ns (-1 = not seen)
        final long[] lateness;    // pacer: actual send - due, ns
        final Map<String, Integer> errors = new TreeMap<>();
        final AtomicInteger inFlight = new AtomicInteger();
        volatile int maxInFlight;
        long wallNanos;

        Phase(int count, double rate) {
            this.count = count;
            this.rate = rate;
            latency = new long[count];
            service = new long[count];
            first = new long[count];
            lateness = new long[count];
            Arrays.fill(latency, -1);
            Arrays.fill(first, -1);
        }

        void run(HttpClient client, Context ctx, RequestOptions base, Buffer payload, byte[] marker, byte[] expect,
                double timeoutSeconds) throws InterruptedException {
            CountDownLatch done = new CountDownLatch(count);
            double interval = 1e9 / rate;
            long t0 = System.nanoTime() + 20_000_000L;
            for (int i = 0; i < count; i++) {
                long due = t0 + (long) (i * interval);
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                final int n = i;
                lateness[n] = now - due;
                ctx.runOnContext(v -> send(client, base, payload, marker, expect, n, due, done));
            }
            long endBy = System.nanoTime() + (long) (timeoutSeconds * 1e9) + 2_000_000_000L;
            done.await(Math.max(0, endBy - System.nanoTime()), TimeUnit.NANOSECONDS);
            wallNanos = System.nanoTime() - t0;
        }

        private void send(HttpClient client, RequestOptions base, Buffer payload, byte[] marker, byte[] expect, int n,
                long due, CountDownLatch done) {
            long sent = System.nanoTime();
            int now = inFlight.incrementAndGet();
            if (now > maxInFlight) {
                maxInFlight = now;
            }
            client.request(base).onComplete(ar -> {
                if (ar.failed()) {
                    fail(n, "connect:" + ar.cause().getClass().getSimpleName(), done);
                    return;
                }
                var req = ar.result();
                req.response().onComplete(rr -> {
                    if (rr.failed()) {
                        fail(n, "io:" + rr.cause().getClass().getSimpleName(), done);
                        return;
                    }
                    var resp = rr.result();
                    int status = resp.statusCode();
                    Tail tail = new Tail(marker, expect);
                    resp.handler(buf -> {
                        if (tail.feed(buf) && first[n] < 0) {
                            first[n] = System.nanoTime() - due;
                        }
                    });
                    resp.exceptionHandler(t -> fail(n, "io:" + t.getClass().getSimpleName(), done));
                    resp.endHandler(v -> {
                        long end = System.nanoTime();
                        if (status != 200) {
                            fail(n, "status:" + status, done);
                        } else if (expect != null && !tail.endsWithExpected()) {
                            fail(n, "truncated", done);
                        } else if (marker != null && first[n] < 0) {
                            fail(n, "no-marker", done);
                        } else {
                            latency[n] = end - due;
                            service[n] = end - sent;
                            inFlight.decrementAndGet();
                            done.countDown();
                        }
                    });
                });
                req.end(payload);
            });
        }

        private void fail(int n, String why, CountDownLatch done) {
            if (latency[n] == -2) {
                return;
            }
            latency[n] = -2;
            synchronized (errors) {
                errors.merge(why, 1, Integer::sum);
            }
            inFlight.decrementAndGet();
            done.countDown();
        }

        /** One line per request: due time from the phase start, latency and service time (ms; -1 = failed). */
        void writeSeries(Path file) throws java.io.IOException {
            StringBuilder b = new StringBuilder(count * 24).append("due_ms latency_ms service_ms\n");
            double interval = 1e3 / rate;
            for (int i = 0; i < count; i++) {
                b.append(fmt(i * interval)).append(' ')
                        .append(latency[i] < 0 ? "-1" : fmt(latency[i] / 1e6)).append(' ')
                        .append(latency[i] < 0 ? "-1" : fmt(service[i] / 1e6)).append('\n');
            }
            Files.writeString(file, b);
        }

        String report(String label, boolean stream, long cpuNanos) {
            // snapshot: requests still running past the deadline may complete while this runs
            long[] latency = this.latency.clone();
            long[] service = this.service.clone();
            long[] first = this.first.clone();
            long[] ok = Arrays.stream(latency).filter(x -> x >= 0).sorted().toArray();
            long[] svc = new long[ok.length];
            int k = 0;
            for (int i = 0; i < count; i++) {
                if (latency[i] >= 0) {
                    svc[k++] = service[i];
                }
            }
            Arrays.sort(svc);
            long[] late = lateness.clone();
            Arrays.sort(late);
            StringBuilder b = new StringBuilder(512).append('{');
            kv(b, "label", '"' + label + '"');
            kv(b, "rate", fmt(rate));
            kv(b, "sent", Integer.toString(count));
            kv(b, "ok", Integer.toString(ok.length));
            int errs = 0;
            StringBuilder e = new StringBuilder("{");
            Map<String, Integer> errors;
            synchronized (this.errors) {
                errors = new TreeMap<>(this.errors);
            }
            long failed = Arrays.stream(latency).filter(x -> x == -2).count();
            int unfinished = (int) (count - ok.length - failed);
            if (unfinished > 0) {
                errors.put("unfinished", unfinished);
            }
            for (var en : errors.entrySet()) {
                errs += en.getValue();
                if (e.length() > 1) {
                    e.append(',');
                }
                e.append('"').append(en.getKey()).append("\":").append(en.getValue());
            }
            kv(b, "errors", Integer.toString(errs));
            kv(b, "error_kinds", e.append('}').toString());
            kv(b, "achieved_rps", fmt(ok.length / (wallNanos / 1e9)));
            kv(b, "max_in_flight", Integer.toString(maxInFlight));
            pct(b, "lat", ok);
            pct(b, "svc", svc);
            kv(b, "pacer_late_p99_ms", fmt(at(late, 0.99) / 1e6));
            kv(b, "pacer_late_max_ms", fmt(late.length == 0 ? 0 : late[late.length - 1] / 1e6));
            if (stream) {
                long[] f = new long[ok.length];
                int j = 0;
                for (int i = 0; i < count; i++) {
                    if (latency[i] >= 0) {
                        f[j++] = first[i];
                    }
                }
                Arrays.sort(f);
                pct(b, "ttft", f);
            }
            kv(b, "loadgen_cpu_ms", fmt(cpuNanos / 1e6));
            b.setLength(b.length() - 1);
            return b.append('}').toString();
        }

        private static void pct(StringBuilder b, String name, long[] sorted) {
            kv(b, name + "_p50_ms", fmt(at(sorted, 0.50) / 1e6));
            kv(b, name + "_p90_ms", fmt(at(sorted, 0.90) / 1e6));
            kv(b, name + "_p99_ms", fmt(at(sorted, 0.99) / 1e6));
            kv(b, name + "_max_ms", fmt(sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6));
        }

        private static double at(long[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }

        private static void kv(StringBuilder b, String k, String v) {
            b.append('"').append(k).append("\":").append(v).append(',');
        }

        private static String fmt(double d) {
            return Double.isNaN(d) ? "null" : String.format(Locale.ROOT, "%.3f", d);
        }
    }

    /** Watches a response body for a marker (first token) and keeps its last bytes (end check). */
    static final class Tail {
        private final byte[] marker;
        private final byte[] expect;
        private final byte[] keep = new byte[96];
        private int kept;
        private boolean seen;

        Tail(byte[] marker, byte[] expect) {
            this.marker = marker;
            this.expect = expect;
        }

        /** Returns true once the marker has been seen. */
        boolean feed(Buffer buf) {
            byte[] bytes = buf.getBytes();
            if (marker != null && !seen) {
                byte[] joined = new byte[kept + bytes.length];
                System.arraycopy(keep, 0, joined, 0, kept);
                System.arraycopy(bytes, 0, joined, kept, bytes.length);
                seen = indexOf(joined, marker) >= 0;
            }
            int take = Math.min(keep.length, bytes.length);
            if (take == keep.length) {
                System.arraycopy(bytes, bytes.length - take, keep, 0, take);
                kept = take;
            } else {
                int drop = Math.max(0, kept + take - keep.length);
                System.arraycopy(keep, drop, keep, 0, kept - drop);
                kept -= drop;
                System.arraycopy(bytes, 0, keep, kept, take);
                kept += take;
            }
            return seen;
        }

        boolean endsWithExpected() {
            return expect == null || indexOf(Arrays.copyOf(keep, kept), expect) >= 0;
        }

        private static int indexOf(byte[] hay, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= hay.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (hay[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    /** CPU time of this process from /proc/self/stat (utime + stime), ns. */
    static final class ProcessCpu {
        static long self() {
            return of("self");
        }

        /** CPU time (user + system, ns) of the processes, each given as a pid or a comma-separated list. */
        static long of(List<String> pids) {
            long total = 0;
            for (String list : pids) {
                for (String pid : list.split("[, ]+")) {
                    if (!pid.isBlank()) {
                        total += of(pid.trim());
                    }
                }
            }
            return total;
        }

        static long of(String pid) {
            try {
                String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                return ticks * 10_000_000L; // USER_HZ = 100
            } catch (Exception e) {
                return 0;
            }
        }
    }

    private static Map<String, List<String>> parse(String[] args) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected key=value: " + arg);
            }
            m.computeIfAbsent(arg.substring(0, eq), k -> new ArrayList<>()).add(arg.substring(eq + 1));
        }
        return m;
    }

    private static String one(Map<String, List<String>> a, String key, String dflt) {
        List<String> v = a.get(key);
        if (v == null || v.isEmpty()) {
            if (dflt == null && key.equals("url")) {
                throw new IllegalArgumentException("missing " + key + "=");
            }
            return dflt;
        }
        return v.get(v.size() - 1);
    }
}
