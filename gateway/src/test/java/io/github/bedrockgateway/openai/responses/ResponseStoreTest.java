package io.github.bedrockgateway.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ResponseStoreTest {

  private final AtomicLong now = new AtomicLong();

  private static byte[] bytes(int n) {
    return "x".repeat(n).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void keeps_at_most_max_entries_dropping_the_oldest() {
    ResponseStore store = new ResponseStore(2, 1 << 20, Duration.ofHours(1), now::get);
    store.put("resp_1", "k", bytes(10), bytes(10));
    store.put("resp_2", "k", bytes(10), bytes(10));
    store.put("resp_3", "k", bytes(10), bytes(10));
    assertThat(store.get("resp_1", "k")).isEmpty();
    assertThat(store.get("resp_2", "k")).isPresent();
    assertThat(store.get("resp_3", "k")).isPresent();
    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void keeps_at_most_max_bytes_and_never_an_entry_larger_than_all_the_room() {
    ResponseStore store = new ResponseStore(100, 1000, Duration.ofHours(1), now::get);
    store.put("resp_1", "k", bytes(300), bytes(100));
    store.put("resp_2", "k", bytes(300), bytes(100));
    store.put("resp_3", "k", bytes(300), bytes(100));
    assertThat(store.get("resp_1", "k")).isEmpty();
    assertThat(store.get("resp_3", "k")).isPresent();
    assertThat(store.bytes()).isLessThanOrEqualTo(1000);
    store.put("resp_big", "k", bytes(2000), bytes(1));
    assertThat(store.get("resp_big", "k")).isEmpty();
    assertThat(store.get("resp_3", "k")).isPresent();
  }

  @Test
  void forgets_a_response_after_its_ttl() {
    ResponseStore store = new ResponseStore(10, 1 << 20, Duration.ofSeconds(60), now::get);
    store.put("resp_1", "k", bytes(1), bytes(1));
    now.addAndGet(Duration.ofSeconds(59).toNanos());
    assertThat(store.get("resp_1", "k")).isPresent();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(store.get("resp_1", "k")).isEmpty();
    assertThat(store.size()).isZero();
    assertThat(store.bytes()).isZero();
  }

  @Test
  void a_response_is_visible_to_the_key_that_created_it_only() {
    ResponseStore store = new ResponseStore(10, 1 << 20, Duration.ofHours(1), now::get);
    store.put("resp_1", "team-a", bytes(1), bytes(1));
    assertThat(store.get("resp_1", "team-b")).isEmpty();
    assertThat(store.delete("resp_1", "team-b")).isFalse();
    assertThat(store.get("resp_1", "team-a")).isPresent();
    assertThat(store.delete("resp_1", "team-a")).isTrue();
    assertThat(store.get("resp_1", "team-a")).isEmpty();
    assertThat(store.bytes()).isZero();
  }

  @Test
  void max_entries_zero_stores_nothing() {
    ResponseStore store = new ResponseStore(0, 1 << 20, Duration.ofHours(1), now::get);
    assertThat(store.enabled()).isFalse();
    store.put("resp_1", "k", bytes(1), bytes(1));
    assertThat(store.get("resp_1", "k")).isEmpty();
  }
}
