package io.github.bedrockgateway.bedrock;

import io.github.bedrockgateway.credentials.CredentialsManager;
import io.github.bedrockgateway.credentials.RegionResolver;
import io.quarkus.arc.DefaultBean;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClientBuilder;
import software.amazon.awssdk.services.bedrock.auth.scheme.BedrockAuthSchemeProvider;

/**
 * Builds the Bedrock control-plane client used by model discovery: the same region and credentials
 * as the runtime client; {@code gateway.bedrock.control-endpoint}, or the standard resolution
 * ({@code AWS_ENDPOINT_URL_BEDROCK}, {@code AWS_ENDPOINT_URL}, then the regional endpoint). Only
 * built when discovery asks for it. A default bean: an application or a test that produces its own
 * {@link BedrockAsyncClient} replaces it.
 */
@ApplicationScoped
public class BedrockControlClientProducer {

  private static final Logger LOG = Logger.getLogger(BedrockControlClientProducer.class);

  @Produces
  @Singleton
  @DefaultBean
  BedrockAsyncClient bedrockControlClient(
      BedrockConfig b,
      AwsCredentialsProvider credentials,
      CredentialsManager manager,
      RegionResolver regions,
      Vertx vertx) {
    Region region = regions.region();
    Signer signer = Signer.of(credentials, manager);
    BedrockAsyncClientBuilder builder =
        BedrockAsyncClient.builder()
            .region(region)
            .credentialsProvider(signer.credentials())
            // the same key as the runtime (AWS documents API keys for both planes); never the SDK's
            // own
            // pick of AWS_BEARER_TOKEN_BEDROCK under a SigV4 strategy
            .authSchemeProvider(BedrockAuthSchemeProvider.defaultProvider(List.of(signer.scheme())))
            // A few list calls an hour: a small pool, and no call may hang a refresh for long.
            .httpClientBuilder(
                NettyNioAsyncHttpClient.builder()
                    // on the Vert.x event loops, like the runtime clients: no threads of its own
                    .eventLoopGroup(SdkEventLoopGroup.create(vertx.nettyEventLoopGroup()))
                    .maxConcurrency(4)
                    .connectionTimeout(b.connectTimeout())
                    .readTimeout(Duration.ofSeconds(30)))
            .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(1)));
    Map<String, String> env = System.getenv();
    Optional<Endpoints.Override> override = Endpoints.control(b.controlEndpoint(), env);
    override.ifPresent(o -> builder.endpointOverride(o.uri()));
    signer.apiKey().ifPresent(builder::tokenProvider);
    String endpoint =
        override
            .map(o -> o.uri() + " (" + o.setting() + ")")
            .orElse(Endpoints.regional("bedrock", region) + " (AWS default)");
    LOG.infof(
        "Bedrock control-plane client (model discovery): region %s, endpoint %s", region, endpoint);
    Optional<Endpoints.Override> runtime = Endpoints.runtime(b.endpoint(), env);
    if (override.isEmpty() && runtime.isPresent()) {
      // The AWS convention: each service has its own variable, so the runtime override alone leaves
      // the
      // control plane on AWS; say so once, since a local or private setup usually means both.
      LOG.warnf(
          "Bedrock Runtime calls go to %s (%s), but model discovery goes to the AWS control plane at %s. "
              + "Set AWS_ENDPOINT_URL_BEDROCK (gateway.bedrock.control-endpoint) to send discovery elsewhere, or "
              + "GATEWAY_MODELS_DISCOVERY_ENABLED=false to list only the configured models.",
          runtime.get().uri(), runtime.get().setting(), Endpoints.regional("bedrock", region));
    }
    return builder.build();
  }

  void close(@Disposes BedrockAsyncClient client) {
    client.close();
  }
}
