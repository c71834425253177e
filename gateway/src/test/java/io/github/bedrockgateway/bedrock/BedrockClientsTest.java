package io.github.bedrockgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/** One Bedrock client per event loop, and a call made on a loop stays on that loop's thread. */
@QuarkusTest
class BedrockClientsTest {

  @Inject BedrockClients clients;

  @Inject Vertx vertx;

  @Test
  void each_event_loop_has_its_own_client_and_other_threads_get_the_first() throws Exception {
    List<EventLoop> loops = loops();
    assertThat(clients.all()).hasSize(loops.size());
    Set<BedrockRuntimeAsyncClient> seen = new HashSet<>();
    for (EventLoop loop : loops) {
      BedrockRuntimeAsyncClient first = onLoop(loop, () -> clients.current());
      assertThat(onLoop(loop, () -> clients.current())).as("stable per loop").isSameAs(first);
      seen.add(first);
    }
    assertThat(seen).as("a distinct client per loop").hasSize(loops.size());
    assertThat(clients.current()).as("from a non-Vert.x thread").isSameAs(clients.all().get(0));
  }

  @Test
  void a_call_made_on_an_event_loop_completes_on_that_same_thread() throws Exception {
    for (EventLoop loop : loops()) {
      CompletableFuture<String[]> threads = new CompletableFuture<>();
      ContextInternal context = context(loop);
      context.runOnContext(
          v -> {
            String caller = Thread.currentThread().getName();
            CompletableFuture<ConverseResponse> call =
                clients
                    .current()
                    .converse(
                        r ->
                            r.modelId("anthropic.claude-3-5-haiku-20241022-v1:0")
                                .messages(
                                    m ->
                                        m.role(ConversationRole.USER)
                                            .content(c -> c.text("hello"))));
            call.whenComplete(
                (answer, failure) -> {
                  if (failure != null) {
                    threads.completeExceptionally(failure);
                  } else {
                    threads.complete(new String[] {caller, Thread.currentThread().getName()});
                  }
                });
          });
      String[] names = threads.get(30, TimeUnit.SECONDS);
      assertThat(names[1])
          .as("completion thread")
          .isEqualTo(names[0])
          .startsWith("vert.x-eventloop-thread-");
    }
  }

  @Test
  void a_shared_client_serves_every_thread() {
    BedrockRuntimeAsyncClient one = clients.all().get(0);
    BedrockClients shared = BedrockClients.shared(one);
    assertThat(shared.all()).containsExactly(one);
    assertThat(shared.current()).isSameAs(one);
  }

  private List<EventLoop> loops() {
    List<EventLoop> loops = new ArrayList<>();
    for (EventExecutor executor : vertx.nettyEventLoopGroup()) {
      loops.add((EventLoop) executor);
    }
    assertThat(loops).isNotEmpty();
    return loops;
  }

  private ContextInternal context(EventLoop loop) {
    return ((VertxInternal) vertx)
        .createEventLoopContext(loop, null, Thread.currentThread().getContextClassLoader());
  }

  private <T> T onLoop(EventLoop loop, java.util.function.Supplier<T> work) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context(loop).runOnContext(v -> result.complete(work.get()));
    return result.get(10, TimeUnit.SECONDS);
  }
}
