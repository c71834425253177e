package io.github.bedrockgateway.bedrock;

import io.github.bedrockgateway.config.Bounds;
import io.github.bedrockgateway.credentials.CredentialsManager;
import io.github.bedrockgateway.credentials.RegionResolver;
import io.github.bedrockgateway.observability.GatewayMetrics;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.auth.scheme.BedrockRuntimeAuthSchemeProvider;

/**
 * Builds the Bedrock Runtime clients ({@link BedrockClients}: one per event loop by default):
 * region, endpoint (the configured override, e.g. the dev-mode simulator, or the standard AWS
 * resolution) and credentials, shared by all of them.
 */
@ApplicationScoped
public class BedrockClientProducer {

  private static final Logger LOG = Logger.getLogger(BedrockClientProducer.class);

  /** Tracing is on when the OpenTelemetry SDK is (docs/observability.md#tracing). */
  @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "true")
  boolean otelSdkDisabled;

  @ConfigProperty(name = "quarkus.otel.traces.enabled", defaultValue = "true")
  boolean otelTracesEnabled;

  @jakarta.inject.Inject Instance<OpenTelemetry> openTelemetry;

  @Produces
  @Singleton
  BedrockClients bedrockClients(
      BedrockConfig b,
      AwsCredentialsProvider credentials,
      CredentialsManager manager,
      RegionResolver regions,
      BedrockEndpoints endpoints,
      GatewayMetrics metrics,
      Vertx vertx) {
    checkBounds(b);
    Signer signer = Signer.of(credentials, manager);
    Region region = regions.region();
    // the setting or variable that made the override, for the log line (BedrockEndpoints checked
    // it)
    Optional<Endpoints.Override> override = Endpoints.runtime(b.endpoint(), System.getenv());
    // the one resolution the /bedrock pass-through uses too; the regional default is left to the
    // SDK's
    // endpoint rules (FIPS, dual-stack), which agree with it
    BedrockEndpoints.Endpoint resolved = endpoints.runtime();
    Optional<URI> endpoint = resolved.overridden() ? Optional.of(resolved.uri()) : Optional.empty();
    EventLoopGroup group = vertx.nettyEventLoopGroup();
    // the socket channel type that goes with the Vert.x loops (NIO, or epoll/io_uring with native
    // transport)
    SdkEventLoopGroup whole = SdkEventLoopGroup.create(group);
    if (!b.eventLoopAffinity()) {
      BedrockClients clients =
          BedrockClients.shared(
              build(b, region, endpoint, signer, metrics, whole, b.maxConnections()));
      log(region, override, "one client shared by the event loops");
      return clients;
    }
    List<EventLoop> loops = new ArrayList<>();
    for (EventExecutor executor : group) {
      loops.add((EventLoop) executor);
    }
    // max-connections is the total: each loop's pool gets its share
    int perLoop = Math.max(1, (b.maxConnections() + loops.size() - 1) / loops.size());
    Map<EventLoop, BedrockRuntimeAsyncClient> byLoop = new LinkedHashMap<>();
    for (EventLoop loop : loops) {
      byLoop.put(
          loop,
          build(
              b,
              region,
              endpoint,
              signer,
              metrics,
              SdkEventLoopGroup.create(new SingleLoopGroup(group, loop), whole.channelFactory()),
              perLoop));
    }
    log(
        region,
        override,
        "one client per event loop (" + loops.size() + ", " + perLoop + " connections each)");
    return new BedrockClients(byLoop, List.copyOf(byLoop.values()));
  }

  /**
   * The client of the calling event loop's (or the first one): for code that needs just a client.
   */
  @Produces
  @Singleton
  BedrockRuntimeAsyncClient bedrockClient(BedrockClients clients) {
    return clients.current();
  }

  private BedrockRuntimeAsyncClient build(
      BedrockConfig b,
      Region region,
      Optional<URI> endpoint,
      Signer signer,
      GatewayMetrics metrics,
      SdkEventLoopGroup loops,
      int maxConnections) {
    BedrockRuntimeAsyncClientBuilder builder =
        BedrockRuntimeAsyncClient.builder()
            .region(region)
            .credentialsProvider(signer.credentials())
            .httpClientBuilder(
                NettyNioAsyncHttpClient.builder()
                    // Bedrock I/O on the Vert.x event loops instead of a second set of Netty
                    // threads
                    // (the SDK's default: 2 per core): fewer threads and cross-thread wake-ups per
                    // request and per stream event (docs/performance.md). The SDK never blocks its
                    // event loops, and closing the client leaves a group it was given open.
                    .eventLoopGroup(loops)
                    .maxConcurrency(maxConnections)
                    .maxPendingConnectionAcquires(Math.max(10_000, maxConnections * 2))
                    .connectionTimeout(b.connectTimeout())
                    .readTimeout(b.readTimeout())
                    .writeTimeout(b.writeTimeout())
                    .tcpKeepAlive(true)
                    .protocol(b.protocol().sdk()))
            // Complete futures on the SDK's I/O thread: the gateway hops to its own event loop
            // right away, so the SDK's default completion thread pool would only add a hop.
            .asyncConfiguration(
                a ->
                    a.advancedOption(
                        SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, Runnable::run))
            .overrideConfiguration(
                o -> {
                  o.retryStrategy(r -> r.maxAttempts(b.maxAttempts()))
                      .addExecutionInterceptor(new RetryCountingInterceptor(metrics));
                  if (!otelSdkDisabled && otelTracesEnabled) {
                    // only when tracing is on: otherwise the calls carry no tracing code at all
                    o.addExecutionInterceptor(
                        new BedrockTracingInterceptor(
                            openTelemetry.get().getTracer("io.github.bedrockgateway.bedrock")));
                  }
                });
    endpoint.ifPresent(builder::endpointOverride);
    signer.apiKey().ifPresent(builder::tokenProvider);
    // Always an explicit scheme: left alone, the SDK would switch to AWS_BEARER_TOKEN_BEDROCK by
    // itself
    // whenever that variable is set, whatever the gateway's credentials strategy says.
    builder.authSchemeProvider(
        BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of(signer.scheme())));
    return builder.build();
  }

  private static void log(Region region, Optional<Endpoints.Override> endpoint, String clients) {
    LOG.infof(
        "Bedrock Runtime client: region %s, endpoint %s, %s",
        region,
        endpoint
            .map(e -> e.uri() + " (" + e.setting() + ")")
            .orElse(Endpoints.regional("bedrock-runtime", region) + " (AWS default)"),
        clients);
  }

  void close(@Disposes BedrockClients clients) {
    clients.close();
  }

  /** The client's numbers and durations, checked once at startup (one line each, no trace). */
  static void checkBounds(BedrockConfig b) {
    Bounds.positive("gateway.bedrock.connect-timeout", b.connectTimeout());
    Bounds.positive("gateway.bedrock.write-timeout", b.writeTimeout());
    Bounds.positive("gateway.bedrock.read-timeout", b.readTimeout());
    Bounds.positive("gateway.bedrock.stream-idle-timeout", b.streamIdleTimeout());
    Bounds.positive("gateway.bedrock.request-timeout", b.requestTimeout());
    Bounds.atLeast("gateway.bedrock.max-connections", b.maxConnections(), 1);
    Bounds.atLeast("gateway.bedrock.max-attempts", b.maxAttempts(), 1);
  }
}
