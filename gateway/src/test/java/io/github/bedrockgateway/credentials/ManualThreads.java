package io.github.bedrockgateway.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Virtual time for the refresh engine: nothing runs until the test {@link #advance advances} the
 * clock, and then the due tasks run on the test's thread in time order. Fetches run inline by
 * default; with {@link #holdFetches(boolean)} they wait in {@link #heldFetches()} until the test
 * runs them, on whatever thread and in whatever order it chooses.
 */
final class ManualThreads implements RefreshThreads {

  private record Task(Instant due, long seq, Runnable run, boolean[] cancelled) {}

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(
          (a, b) ->
              a.due().equals(b.due())
                  ? Long.compare(a.seq(), b.seq())
                  : a.due().compareTo(b.due()));
  private final List<Runnable> held = new ArrayList<>();
  private volatile Instant now;
  private long seq;
  private boolean hold;
  private Runnable beforeFetch = () -> {};
  private double random = 0.5;
  private boolean shutdown;

  ManualThreads(Instant start) {
    this.now = start;
  }

  @Override
  public Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    };
  }

  Instant now() {
    return now;
  }

  @Override
  public synchronized Runnable schedule(Duration delay, Runnable task) {
    boolean[] cancelled = new boolean[1];
    if (!shutdown) {
      tasks.add(new Task(now.plus(delay), seq++, task, cancelled));
    }
    return () -> cancelled[0] = true;
  }

  @Override
  public Runnable fetch(Runnable task) {
    boolean[] cancelled = new boolean[1];
    Runnable guarded =
        () -> {
          if (!cancelled[0]) {
            task.run();
          }
        };
    synchronized (this) {
      if (hold) {
        held.add(
            task); // a held fetch runs even if cancelled: it stands for a call that answers late
        return () -> cancelled[0] = true;
      }
    }
    beforeFetch.run();
    guarded.run();
    return () -> cancelled[0] = true;
  }

  @Override
  public synchronized double random() {
    return random;
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
    tasks.clear();
  }

  /** From now on fetches wait in {@link #heldFetches()} (true) or run inline (false). */
  synchronized ManualThreads holdFetches(boolean hold) {
    this.hold = hold;
    return this;
  }

  /** The fetches held so far, oldest first; running one is up to the test. */
  synchronized List<Runnable> heldFetches() {
    return List.copyOf(held);
  }

  /** Runs before every inline fetch (e.g. to set what the fake source will answer). */
  synchronized ManualThreads beforeFetch(Runnable hook) {
    this.beforeFetch = hook;
    return this;
  }

  /** The jitter: 0 refreshes at the prefetch point, 1 at the stale point. */
  synchronized ManualThreads random(double value) {
    this.random = value;
    return this;
  }

  /** When the next task is due, if any. */
  synchronized Instant nextDue() {
    tasks.removeIf(t -> t.cancelled()[0]);
    Task next = tasks.peek();
    return next == null ? null : next.due();
  }

  /**
   * Moves the clock forward by {@code step}, running every task that falls due on the way, in
   * order.
   */
  void advance(Duration step) {
    Instant target = now.plus(step);
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due().isAfter(target)) {
          break;
        }
        tasks.poll();
        if (next.cancelled()[0]) {
          continue;
        }
        if (next.due().isAfter(now)) {
          now = next.due();
        }
      }
      next.run().run();
    }
    now = target;
  }
}
