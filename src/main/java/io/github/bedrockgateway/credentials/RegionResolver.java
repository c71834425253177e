package io.github.bedrockgateway.credentials;

import jakarta.inject.Singleton;

import io.github.bedrockgateway.config.GatewayConfig;
import software.amazon.awssdk.regions.Region;

/** Placeholder region resolution: gateway.region, then AWS_REGION, then AWS_DEFAULT_REGION. */
@Singleton
public class RegionResolver {

    private final GatewayConfig config;

    RegionResolver(GatewayConfig config) {
        this.config = config;
    }

    public Region region() {
        String r = config.region().orElseGet(() -> {
            String env = System.getenv("AWS_REGION");
            return env != null && !env.isBlank() ? env : System.getenv("AWS_DEFAULT_REGION");
        });
        if (r == null || r.isBlank()) {
            throw new IllegalStateException("No AWS region: set gateway.region or AWS_REGION.");
        }
        return Region.of(r.trim());
    }
}
