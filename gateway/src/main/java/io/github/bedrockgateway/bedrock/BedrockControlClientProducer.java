package io.github.bedrockgateway.bedrock;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.github.bedrockgateway.config.GatewayConfig;
import io.github.bedrockgateway.credentials.CredentialsManager;
import io.github.bedrockgateway.credentials.RegionResolver;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import io.vertx.core.Vertx;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClientBuilder;
import software.amazon.awssdk.services.bedrock.auth.scheme.BedrockAuthSchemeProvider;

/**
 * Builds the Bedrock control-plane client used by model discovery: the same region and credentials as
 * the runtime client; {@code gateway.bedrock.control-endpoint}, or the standard
 * resolution ({@code AWS_ENDPOINT_URL_BEDROCK}, then the regional endpoint). Only built when discovery
 * asks for it. A replaceable bean, like the runtime client.
 */
@ApplicationScoped
public class BedrockControlClientProducer {

    private static final Logger LOG = Logger.getLogger(BedrockControlClientProducer.class);

    @Produces
    @Singleton
    BedrockAsyncClient bedrockControlClient(GatewayConfig config, AwsCredentialsProvider credentials, CredentialsManager manager,
            RegionResolver regions, Vertx vertx) {
        GatewayConfig.Bedrock b = config.bedrock();
        Region region = regions.region();
        Signer signer = Signer.of(credentials, manager);
        BedrockAsyncClientBuilder builder = BedrockAsyncClient.builder()
                .region(region)
                .credentialsProvider(signer.credentials())
                // the same key as the runtime (AWS documents API keys for both planes); never the SDK's own
                // pick of AWS_BEARER_TOKEN_BEDROCK under a SigV4 strategy
                .authSchemeProvider(BedrockAuthSchemeProvider.defaultProvider(List.of(signer.scheme())))
                // A few list calls an hour: a small pool, and no call may hang a refresh for long.
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        // on the Vert.x event loops, like the runtime clients: no threads of its own
                        .eventLoopGroup(SdkEventLoopGroup.create(vertx.nettyEventLoopGroup()))
                        .maxConcurrency(4)
                        .connectionTimeout(b.connectTimeout())
                        .readTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(1)));
        Optional<URI> endpoint = b.controlEndpoint();
        endpoint.ifPresent(builder::endpointOverride);
        signer.apiKey().ifPresent(builder::tokenProvider);
        LOG.infof("Bedrock control-plane client (model discovery): region %s, endpoint %s", region,
                endpoint.map(URI::toString).orElse("AWS default (or AWS_ENDPOINT_URL_BEDROCK)"));
        return builder.build();
    }

    void close(@Disposes BedrockAsyncClient client) {
        client.close();
    }
}
