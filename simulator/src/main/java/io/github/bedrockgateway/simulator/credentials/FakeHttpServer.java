package io.github.bedrockgateway.simulator.credentials;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP server that can go away and come back on the same port (connection-refused
 * outages).
 */
final class FakeHttpServer {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final String host;
  private final int requestedPort;
  private final Handler<HttpServerRequest> handler;
  private HttpServer server;
  private int port;

  FakeHttpServer(Vertx vertx, String host, int port, Handler<HttpServerRequest> handler) {
    this.vertx = vertx;
    this.host = host;
    this.requestedPort = port;
    this.handler = handler;
  }

  /** Listens (blocking; not on an event loop) and returns the port. */
  synchronized int start() {
    if (server != null) {
      return port;
    }
    server = listen(port != 0 ? port : requestedPort);
    port = server.actualPort();
    return port;
  }

  /** Stops listening; new connections are refused until {@link #start()} again (same port). */
  synchronized void stop() {
    if (server != null) {
      await(server.close());
      server = null;
    }
  }

  synchronized boolean running() {
    return server != null;
  }

  int port() {
    return port;
  }

  String host() {
    return host;
  }

  private HttpServer listen(int p) {
    HttpServerOptions options =
        new HttpServerOptions().setHost(host).setPort(p).setReuseAddress(true);
    return await(vertx.createHttpServer(options).requestHandler(handler).listen());
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Fake server on " + "127.0.0.1" + " failed: " + e.getMessage(), e);
    }
  }
}
