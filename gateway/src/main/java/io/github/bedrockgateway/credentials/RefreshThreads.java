package io.github.bedrockgateway.credentials;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * What the refresh engine runs on: its one thread for decisions, threads for the blocking calls to
 * the credential source, the time and the jitter. Production uses {@link #system(String)}; tests
 * hand in virtual time so that minutes of refreshes run in milliseconds and in a fixed order.
 */
interface RefreshThreads {

  /** The time the engine decides by. */
  Clock clock();

  /**
   * Runs {@code task} on the engine's thread after {@code delay}; tasks never run concurrently.
   *
   * @return cancels the task if it has not started
   */
  Runnable schedule(Duration delay, Runnable task);

  /**
   * Runs a blocking call to the credential source, off the engine's thread.
   *
   * @return cancels the call (interrupting it) if it is still running
   */
  Runnable fetch(Runnable task);

  /** A number in [0, 1) for jitter. */
  double random();

  /** Stops the threads; scheduled tasks are dropped. */
  void shutdown();

  /** Daemon threads named after the strategy, the system clock, {@link ThreadLocalRandom}. */
  static RefreshThreads system(String name) {
    return new SystemThreads(name);
  }

  /** The production implementation. */
  final class SystemThreads implements RefreshThreads {
    private static final Logger LOG = Logger.getLogger(RefreshThreads.class);

    private final ScheduledThreadPoolExecutor engine;
    private final ThreadPoolExecutor fetches;

    SystemThreads(String name) {
      engine = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "credentials-refresh-" + name));
      engine.setRemoveOnCancelPolicy(true);
      // A hung source (a credential_process that never exits) must not stop the next attempt: an
      // attempt that outlives its timeout is interrupted and the next one gets a thread of its own.
      fetches =
          new ThreadPoolExecutor(
              0,
              4,
              60,
              TimeUnit.SECONDS,
              new SynchronousQueue<>(),
              r -> daemon(r, "credentials-fetch-" + name));
    }

    private static Thread daemon(Runnable r, String name) {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    }

    @Override
    public Clock clock() {
      return Clock.systemUTC();
    }

    @Override
    public Runnable schedule(Duration delay, Runnable task) {
      try {
        ScheduledFuture<?> f =
            engine.schedule(
                () -> guarded(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return () -> {}; // shut down meanwhile
      }
    }

    @Override
    public Runnable fetch(Runnable task) {
      Future<?> f = fetches.submit(() -> guarded(task));
      return () -> f.cancel(true);
    }

    @Override
    public double random() {
      return ThreadLocalRandom.current().nextDouble();
    }

    @Override
    public void shutdown() {
      engine.shutdownNow();
      fetches.shutdownNow();
    }

    private static void guarded(Runnable task) {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.errorf("Credentials refresh task failed: %s", Redact.cause(e));
      }
    }
  }
}
