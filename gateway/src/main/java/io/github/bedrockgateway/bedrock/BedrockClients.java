package io.github.bedrockgateway.bedrock;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

/**
 * The Bedrock Runtime clients, one per Vert.x event loop (or one shared by all when {@code
 * gateway.bedrock.event-loop-affinity=false}). A client bound to an event loop does its connection
 * pooling, writes and reads on that loop only, so a request received on it is translated, signed,
 * sent, answered and written back without a single hand-off between threads: on a small machine
 * each hand-off is a thread wake-up, and those were the largest kernel cost per request
 * (docs/performance.md).
 */
public final class BedrockClients implements AutoCloseable {

  private final Map<EventLoop, BedrockRuntimeAsyncClient> byLoop;
  private final List<BedrockRuntimeAsyncClient> all;

  BedrockClients(
      Map<EventLoop, BedrockRuntimeAsyncClient> byLoop, List<BedrockRuntimeAsyncClient> all) {
    if (all.isEmpty()) {
      throw new IllegalArgumentException("at least one client");
    }
    this.byLoop = new IdentityHashMap<>(byLoop);
    this.all = List.copyOf(all);
  }

  /** One client for every event loop. */
  static BedrockClients shared(BedrockRuntimeAsyncClient client) {
    return new BedrockClients(Map.of(), List.of(client));
  }

  /**
   * The client bound to the calling thread's event loop; the first client when called from
   * elsewhere (a worker thread, a test), which is correct, only not thread-affine.
   */
  public BedrockRuntimeAsyncClient current() {
    if (!byLoop.isEmpty()) {
      Context context = Vertx.currentContext();
      if (context instanceof ContextInternal internal) {
        BedrockRuntimeAsyncClient client = byLoop.get(internal.nettyEventLoop());
        if (client != null) {
          return client;
        }
      }
    }
    return all.get(0);
  }

  /** Every client (one, or one per event loop). */
  public List<BedrockRuntimeAsyncClient> all() {
    return all;
  }

  @Override
  public void close() {
    all.forEach(BedrockRuntimeAsyncClient::close);
  }
}
