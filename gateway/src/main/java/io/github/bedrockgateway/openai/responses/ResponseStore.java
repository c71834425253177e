package io.github.bedrockgateway.openai.responses;

import io.github.bedrockgateway.config.Bounds;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The responses behind {@code previous_response_id} and {@code GET /v1/responses/{id}}: in memory,
 * bounded in entries, bytes and age, oldest dropped first. Each entry is self-contained (the
 * response and the whole conversation it continues from, as JSON bytes), so dropping an old
 * response never breaks a newer one that continued it. A response is visible only to the client key
 * that created it. Local to this process: with several replicas, route a conversation to one
 * replica or send the history in {@code input} (docs/codex.md). Thread-safe.
 */
@Singleton
public class ResponseStore {

  /**
   * One stored response.
   *
   * @param response the response object's JSON, as the client received it
   * @param conversation the conversation through this response, as a JSON array of input items
   */
  public record Stored(
      String id, String keyName, byte[] response, byte[] conversation, long storedAtNanos) {
    long size() {
      return response.length + (long) conversation.length + id.length() + 64;
    }
  }

  private final int maxEntries;
  private final long maxBytes;
  private final long ttlNanos;
  private final LongSupplier clock;

  /** In insertion order, which is also expiry order (one TTL for all). */
  private final LinkedHashMap<String, Stored> entries = new LinkedHashMap<>();

  private long bytes;

  @Inject
  ResponseStore(ResponsesConfig config) {
    this(
        (int) Bounds.atLeast("gateway.responses.store.max-entries", config.store().maxEntries(), 0),
        Bounds.atLeast("gateway.responses.store.max-bytes", config.store().maxBytes(), 0),
        Bounds.notNegative("gateway.responses.store.ttl", config.store().ttl()),
        System::nanoTime);
  }

  /** For tests and embedding: explicit bounds and clock (nanoseconds). */
  public ResponseStore(int maxEntries, long maxBytes, Duration ttl, LongSupplier clock) {
    if (maxEntries < 0 || maxBytes < 0 || ttl.isNegative()) {
      throw new IllegalArgumentException("gateway.responses.store.* must not be negative");
    }
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.ttlNanos = ttl.toNanos();
    this.clock = clock;
  }

  /** Whether anything is ever stored ({@code max-entries} above 0). */
  public boolean enabled() {
    return maxEntries > 0 && maxBytes > 0;
  }

  /**
   * Stores a response, dropping the oldest ones beyond the bounds; one larger than all the room is
   * not kept.
   */
  public synchronized void put(String id, String keyName, byte[] response, byte[] conversation) {
    if (!enabled()) {
      return;
    }
    Stored entry = new Stored(id, keyName, response, conversation, clock.getAsLong());
    if (entry.size() > maxBytes) {
      return;
    }
    Stored replaced = entries.remove(id);
    if (replaced != null) {
      bytes -= replaced.size();
    }
    dropExpired();
    Iterator<Map.Entry<String, Stored>> oldest = entries.entrySet().iterator();
    while (oldest.hasNext() && (entries.size() >= maxEntries || bytes + entry.size() > maxBytes)) {
      bytes -= oldest.next().getValue().size();
      oldest.remove();
    }
    entries.put(id, entry);
    bytes += entry.size();
  }

  /**
   * The response stored under {@code id} for {@code keyName}; empty when unknown, expired or
   * another key's.
   */
  public synchronized Optional<Stored> get(String id, String keyName) {
    Stored entry = entries.get(id);
    if (entry == null) {
      return Optional.empty();
    }
    if (expired(entry)) {
      entries.remove(id);
      bytes -= entry.size();
      return Optional.empty();
    }
    return entry.keyName().equals(keyName) ? Optional.of(entry) : Optional.empty();
  }

  /** Deletes the response; false when {@link #get} would not have found it. */
  public synchronized boolean delete(String id, String keyName) {
    if (get(id, keyName).isEmpty()) {
      return false;
    }
    bytes -= entries.remove(id).size();
    return true;
  }

  /** Entries currently held (expired ones included until they are dropped). */
  public synchronized int size() {
    return entries.size();
  }

  /** Bytes currently held. */
  public synchronized long bytes() {
    return bytes;
  }

  private void dropExpired() {
    Iterator<Map.Entry<String, Stored>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Stored entry = it.next().getValue();
      if (!expired(entry)) {
        return;
      }
      bytes -= entry.size();
      it.remove();
    }
  }

  private boolean expired(Stored entry) {
    return clock.getAsLong() - entry.storedAtNanos() >= ttlNanos;
  }
}
