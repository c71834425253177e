package io.github.bedrockgateway.bedrock;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.http.nio.netty.internal.DelegatingEventLoopGroup;

/**
 * One event loop of a Vert.x event-loop group, seen as a group of its own: everything the SDK's
 * Netty client schedules or registers (channels, pool operations, timeouts) lands on that one loop.
 *
 * <p>It extends the SDK's {@code DelegatingEventLoopGroup} with the whole group as the delegate
 * only so that the SDK recognises the transport (it resolves NIO, epoll... from the group's class,
 * and a lone {@code NioEventLoop} is not a {@code NioEventLoopGroup}); no work is ever given to the
 * delegate. Shutting it down does nothing: the loop belongs to Vert.x.
 */
final class SingleLoopGroup extends DelegatingEventLoopGroup {

  private final EventLoop loop;

  SingleLoopGroup(EventLoopGroup owner, EventLoop loop) {
    super(owner);
    this.loop = loop;
  }

  @Override
  public EventLoop next() {
    return loop;
  }

  @Override
  public Iterator<EventExecutor> iterator() {
    return List.<EventExecutor>of(loop).iterator();
  }

  @Override
  public ChannelFuture register(Channel channel) {
    return loop.register(channel);
  }

  @Override
  public ChannelFuture register(ChannelPromise promise) {
    return loop.register(promise);
  }

  @Override
  @SuppressWarnings("deprecation")
  public ChannelFuture register(Channel channel, ChannelPromise promise) {
    return loop.register(channel, promise);
  }

  @Override
  public void execute(Runnable task) {
    loop.execute(task);
  }

  @Override
  public Future<?> submit(Runnable task) {
    return loop.submit(task);
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    return loop.submit(task, result);
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    return loop.submit(task);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return loop.schedule(command, delay, unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return loop.schedule(callable, delay, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return loop.scheduleAtFixedRate(command, initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return loop.scheduleWithFixedDelay(command, initialDelay, delay, unit);
  }

  // The loop is Vert.x's: a client being closed must never stop it.

  @Override
  public Future<?> shutdownGracefully() {
    return loop.newSucceededFuture(null);
  }

  @Override
  public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
    return loop.newSucceededFuture(null);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void shutdown() {}

  @Override
  @SuppressWarnings("deprecation")
  public List<Runnable> shutdownNow() {
    return List.of();
  }
}
