package io.github.bedrockgateway.passthrough;

import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A recording hop between the gateway and the simulator, so that a test can compare the bytes its
 * client got with the bytes Bedrock (the simulator) sent, to the byte. It forwards each request
 * unchanged (the {@code Host} the gateway signed included, so the simulator's SigV4 check still
 * passes) and streams each answer back chunk by chunk as it arrives, keeping a copy of the whole
 * body under the answer's {@code x-amzn-RequestId}. Pointed at by {@code gateway.bedrock.endpoint}
 * in {@link PassthroughProfile}.
 */
public class RecordingUpstream implements QuarkusTestResourceLifecycleManager {

  /** What the simulator answered, by its request id. */
  public record Answer(int status, Map<String, String> headers, byte[] body) {}

  private static final Map<String, Answer> ANSWERS = new ConcurrentHashMap<>();
  private Vertx vertx;
  private HttpServer server;

  /** The answer the simulator gave the call of that request id, or null. */
  static Answer answer(String requestId) {
    return ANSWERS.get(requestId);
  }

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    HttpClient client = vertx.createHttpClient();
    server = vertx.createHttpServer().requestHandler(in -> forward(client, in));
    try {
      server
          .listen(0, "127.0.0.1")
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return Map.of("gateway.bedrock.endpoint", "http://127.0.0.1:" + server.actualPort());
  }

  private static void forward(HttpClient client, HttpServerRequest in) {
    in.pause();
    int port = new EmbeddedSimulator().simulator().port();
    RequestOptions options =
        new RequestOptions()
            .setMethod(in.method())
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(in.uri());
    in.headers()
        .forEach(
            (name, value) -> {
              if (!name.equalsIgnoreCase("host")
                  && !name.equalsIgnoreCase("content-length")
                  && !name.equalsIgnoreCase("transfer-encoding")
                  && !name.equalsIgnoreCase("connection")) {
                options.addHeader(name, value);
              }
            });
    client
        .request(options)
        .onComplete(
            opened -> {
              if (opened.failed()) {
                in.response().setStatusCode(502).end();
                return;
              }
              var out = opened.result();
              out.authority(HostAndPort.create(in.authority().host(), in.authority().port()));
              in.body()
                  .compose(out::send)
                  .onComplete(
                      answered -> {
                        if (answered.failed()) {
                          in.response().reset();
                          return;
                        }
                        var r = answered.result();
                        var response = in.response().setStatusCode(r.statusCode()).setChunked(true);
                        Map<String, String> headers = new ConcurrentHashMap<>();
                        r.headers()
                            .forEach(
                                (name, value) -> {
                                  if (!name.equalsIgnoreCase("content-length")
                                      && !name.equalsIgnoreCase("transfer-encoding")
                                      && !name.equalsIgnoreCase("connection")) {
                                    response.putHeader(name, value);
                                    headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
                                  }
                                });
                        Buffer copy = Buffer.buffer();
                        r.handler(
                            chunk -> {
                              copy.appendBuffer(chunk);
                              response.write(chunk);
                            });
                        r.exceptionHandler(e -> response.reset());
                        r.endHandler(
                            v -> {
                              String id = r.getHeader("x-amzn-RequestId");
                              if (id != null) {
                                ANSWERS.put(
                                    id,
                                    new Answer(
                                        r.statusCode(), Map.copyOf(headers), copy.getBytes()));
                              }
                              response.end();
                            });
                        // the gateway going away cancels the call to the simulator, as a real
                        // client's would
                        response.closeHandler(v -> out.reset());
                      });
              in.resume();
            });
  }

  @Override
  public void stop() {
    if (vertx != null) {
      vertx.close();
    }
  }
}
