package io.github.bedrockgateway.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The named gates behind {@code @sim hold=NAME}: a stream reaching a closed gate parks there until
 * {@link #release} opens it. An opened gate stays open (a stream arriving after the release passes
 * straight through, so a test cannot lose a race against its own stream) until {@link #reset}.
 *
 * <p>Thread-safe: streams park from event loops, tests release and wait from their own threads.
 */
final class HoldGates {

  /** A parked stream; {@link #resume()} must hop back onto the stream's own event loop. */
  interface Parked {
    void resume();
  }

  private static final class Gate {
    private boolean open;
    private final List<Parked> parked = new ArrayList<>();
  }

  private final ConcurrentMap<String, Gate> gates = new ConcurrentHashMap<>();

  /** Parks {@code stream} at the gate; returns false, without parking, when the gate is open. */
  boolean park(String name, Parked stream) {
    Gate gate = gates.computeIfAbsent(name, n -> new Gate());
    synchronized (gate) {
      if (gate.open) {
        return false;
      }
      gate.parked.add(stream);
      gate.notifyAll();
      return true;
    }
  }

  /**
   * Takes {@code stream} off the gate (its client left, or its safety timeout fired); returns
   * whether it was parked.
   */
  boolean unpark(String name, Parked stream) {
    Gate gate = gates.get(name);
    if (gate == null) {
      return false;
    }
    synchronized (gate) {
      boolean removed = gate.parked.remove(stream);
      gate.notifyAll();
      return removed;
    }
  }

  /** Opens the gate and resumes every stream parked there; returns how many. */
  int release(String name) {
    Gate gate = gates.computeIfAbsent(name, n -> new Gate());
    List<Parked> resumed;
    synchronized (gate) {
      gate.open = true;
      resumed = new ArrayList<>(gate.parked);
      gate.parked.clear();
      gate.notifyAll();
    }
    resumed.forEach(Parked::resume);
    return resumed.size();
  }

  /** Blocks until at least {@code count} streams are parked at the gate. */
  void awaitParked(String name, int count, Duration timeout) throws InterruptedException {
    Gate gate = gates.computeIfAbsent(name, n -> new Gate());
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (gate) {
      while (gate.parked.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              "timed out after "
                  + timeout
                  + " waiting for "
                  + count
                  + " stream(s) held at '"
                  + name
                  + "'; "
                  + gate.parked.size()
                  + " held"
                  + (gate.open ? " (the gate is already released)" : ""));
        }
        gate.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Closes every gate again. Streams still parked stay parked. */
  void reset() {
    gates
        .values()
        .forEach(
            gate -> {
              synchronized (gate) {
                gate.open = false;
              }
            });
  }
}
