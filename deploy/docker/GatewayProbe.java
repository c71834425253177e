import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A dependency-free HTTP helper for the container build and the start-up benchmark (plain JDK, runs on a
 * JRE; compiled with {@code javac --release 17}).
 *
 * <pre>
 * GatewayProbe wait URL[,URL...] SECONDS       exit 0 once GET of one of the URLs answers 200 (and print
 *                                               that URL), 1 on timeout
 * GatewayProbe train BASE_URL API_KEY ROUNDS [MANAGEMENT_URL]
 *                                               drive every gateway path (AOT cache training run); health
 *                                               and metrics on MANAGEMENT_URL (default BASE_URL: a build
 *                                               without the management interface). With a separate
 *                                               MANAGEMENT_URL, /q/* must answer 404 on BASE_URL.
 * GatewayProbe startup BASE_URL API_KEY SECONDS -- COMMAND...
 *                                               start COMMAND, poll POST /v1/chat/completions until 200,
 *                                               print "WALL_MS CPU_MS": milliseconds from launch to that
 *                                               answer and the CPU time COMMAND used until then; stop COMMAND
 * </pre>
 */
public final class GatewayProbe {

    private static final String MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            usage();
        }
        GatewayProbe probe = new GatewayProbe();
        switch (args[0]) {
            case "wait" -> {
                need(args, 3, 3);
                List<URI> uris = Arrays.stream(args[1].split(",")).map(URI::create).toList();
                Optional<URI> up = probe.waitFor(uris, Duration.ofSeconds(Long.parseLong(args[2])));
                up.ifPresent(System.out::println);
                System.exit(up.isPresent() ? 0 : 1);
            }
            case "train" -> {
                need(args, 4, 5);
                probe.train(args[1], args[2], Integer.parseInt(args[3]), args.length == 5 ? args[4] : args[1]);
            }
            case "startup" -> {
                int sep = Arrays.asList(args).indexOf("--");
                if (sep != 4 || args.length < 6) {
                    usage();
                }
                long[] ms = probe.startup(args[1], args[2], Duration.ofSeconds(Long.parseLong(args[3])),
                        List.of(args).subList(5, args.length));
                System.out.println(ms[0] + " " + ms[1]);
            }
            default -> usage();
        }
    }

    private static void need(String[] args, int min, int max) {
        if (args.length < min || args.length > max) {
            usage();
        }
    }

    private static void usage() {
        System.err.println("usage: GatewayProbe wait URL[,URL...] SECONDS | train BASE_URL API_KEY ROUNDS [MANAGEMENT_URL]"
                + " | startup BASE_URL API_KEY SECONDS -- COMMAND...");
        System.exit(2);
    }

    /** The first of the URLs to answer 200 (they are tried in turn until the timeout). */
    Optional<URI> waitFor(List<URI> uris, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (URI uri : uris) {
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        return Optional.of(uri);
                    }
                } catch (IOException e) {
                    // not listening yet
                }
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    /**
     * Every route the gateway serves, so the training run loads and profiles what production uses: the
     * API on {@code base}, health and metrics on {@code management} (the management interface's port in
     * the container images, see docs/deployment.md#operations-port).
     */
    void train(String base, String key, int rounds, String management) throws Exception {
        int failures = 0;
        boolean separate = !management.equals(base);
        for (int i = 0; i < rounds; i++) {
            failures += expect(get(management + "/q/health/live", null), 200);
            failures += expect(get(management + "/q/health/ready", null), 200);
            failures += expect(get(management + "/q/metrics", null), 200);
            if (separate) {
                // the client port must not serve the operations endpoints
                failures += expect(get(base + "/q/health/ready", null), 404);
                failures += expect(get(base + "/q/metrics", null), 404);
            }
            failures += expect(get(base + "/v1/models", key), 200);
            failures += expect(get(base + "/v1/models", "wrong-key"), 401);
            failures += expect(chat(base, key, false, "Hello number " + i), 200);
            failures += expect(chat(base, key, false, "@sim tool=get_weather {\\\"city\\\": \\\"Paris\\\"}"), 200);
            failures += expect(chat(base, key, false, "@sim error=throttling"), 429);
            failures += stream(base, key, "@sim tokens=20", "data: [DONE]");
            failures += stream(base, key, "@sim reasoning=Think first.\\n@sim tokens=5", "data: [DONE]");
            failures += stream(base, key, "@sim tokens=10\\n@sim stream-error=throttlingException\\n@sim stream-error-after=3",
                    "data: {\"error\"");
        }
        System.out.println("training: " + rounds + " rounds, " + failures + " unexpected answers");
        if (failures > 0) {
            System.exit(1);
        }
    }

    long[] startup(String base, String key, Duration timeout, List<String> command) throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = start + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the gateway exited with status " + process.exitValue());
                }
                try {
                    if (chat(base, key, false, "first").statusCode() == 200) {
                        long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                        long cpu = process.toHandle().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
                        return new long[] {wall, cpu};
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(5);
            }
            throw new IllegalStateException("no 200 from " + base + " within " + timeout);
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private HttpResponse<String> get(String url, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> chat(String base, String key, boolean stream, String text) throws Exception {
        return http.send(chatRequest(base, key, stream, text), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest chatRequest(String base, String key, boolean stream, String text) {
        String body = "{\"model\":\"" + MODEL + "\",\"stream\":" + stream
                + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\""
                + text + "\"}]}";
        return HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }

    /** Reads a whole SSE answer; 0 when it is 200 and its last event starts with {@code lastEvent}. */
    private int stream(String base, String key, String text, String lastEvent) throws Exception {
        HttpResponse<java.io.InputStream> r = http.send(chatRequest(base, key, true, text),
                HttpResponse.BodyHandlers.ofInputStream());
        String last = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                if (line.startsWith("data: ")) {
                    last = line;
                }
            }
        }
        boolean ok = r.statusCode() == 200 && last != null && last.startsWith(lastEvent);
        if (!ok) {
            System.err.println("stream: status " + r.statusCode() + ", last event " + last);
        }
        return ok ? 0 : 1;
    }

    private static int expect(HttpResponse<String> r, int status) {
        if (r.statusCode() == status) {
            return 0;
        }
        System.err.println(r.request().method() + " " + r.uri() + ": " + r.statusCode() + " (expected " + status + ") "
                + r.body());
        return 1;
    }
}
