package io.github.bedrockgateway.edge;

import io.github.bedrockgateway.config.Bounds;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;
import sun.misc.Signal;

/**
 * SIGTERM, the way orchestrators stop a container: stop accepting, let the requests and streams in
 * flight finish within {@code gateway.shutdown.grace-period}, end the streams still open with an
 * error event (never a silent cut), then exit 0. Installed in production runs only; dev mode and
 * tests keep Quarkus's own handling.
 */
@Singleton
public class GracefulShutdown {

  private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

  private final Edge routes;
  private final Duration grace;
  private volatile boolean started;

  GracefulShutdown(Edge routes, EdgeConfig config) {
    this.routes = routes;
    this.grace =
        Bounds.notNegative("gateway.shutdown.grace-period", config.shutdown().gracePeriod());
  }

  void install(@Observes StartupEvent event) {
    if (LaunchMode.current() != LaunchMode.NORMAL) {
      return;
    }
    try {
      Signal.handle(new Signal("TERM"), signal -> begin());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      LOG.warnf(
          "SIGTERM handling unavailable (%s): shutdown will not drain streams", e.getMessage());
    }
  }

  private synchronized void begin() {
    if (started) {
      return;
    }
    started = true;
    Thread drain = new Thread(this::drain, "gateway-shutdown");
    drain.setDaemon(false);
    drain.start();
  }

  private void drain() {
    LOG.infof(
        "SIGTERM: refusing new requests; %d call(s) in flight get up to %s to finish",
        routes.inFlight(), grace);
    routes.startDraining();
    long deadline = System.nanoTime() + grace.toNanos();
    while (routes.inFlight() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    routes.endOpenStreams(Duration.ofSeconds(2));
    LOG.info("Drained; exiting");
    Quarkus.asyncExit(0);
  }
}
