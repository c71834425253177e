package io.github.bedrockgateway.bedrock;

import io.github.bedrockgateway.credentials.RegionResolver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.awscore.endpoint.AwsClientEndpointProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;
import software.amazon.awssdk.regions.Region;

/**
 * Where the gateway reaches the Bedrock Runtime, decided once for every client that calls it (the
 * SDK clients and the {@code /bedrock} pass-through's HTTP client): {@code
 * gateway.bedrock.endpoint}, else what the AWS SDK itself would use ({@code
 * aws.endpointUrlBedrockRuntime} / {@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME}, the generic {@code
 * AWS_ENDPOINT_URL}, an {@code endpoint_url} of the profile's {@code bedrock_runtime} services
 * section), else the regional endpoint {@code https://bedrock-runtime.REGION.amazonaws.com}. The
 * resolution is the SDK's own ({@link AwsClientEndpointProvider}), configured exactly as the
 * generated Bedrock Runtime client configures it, so both paths always agree.
 */
@Singleton
public class BedrockEndpoints {

  /**
   * The Bedrock Runtime endpoint.
   *
   * @param uri scheme, host, port and an optional base path
   * @param overridden whether it was configured (setting, variable or profile) rather than the
   *     regional default
   */
  public record Endpoint(URI uri, boolean overridden) {}

  private final Endpoint runtime;

  @Inject
  BedrockEndpoints(BedrockConfig config, RegionResolver regions) {
    // first the check that names the setting of a malformed value (a startup failure of one
    // sentence)
    this(checked(config.endpoint()), regions.region());
  }

  /**
   * The configured endpoint as a URI, after the check that names the setting of a malformed value.
   */
  private static Optional<URI> checked(Optional<String> configured) {
    return Endpoints.runtime(configured, System.getenv())
        .filter(o -> configured.isPresent())
        .map(Endpoints.Override::uri);
  }

  /** For tests: an explicit configured endpoint (or none) and region. */
  public BedrockEndpoints(Optional<URI> configured, Region region) {
    this.runtime = runtime(configured, region);
  }

  /** The Bedrock Runtime endpoint of this gateway. */
  public Endpoint runtime() {
    return runtime;
  }

  /** The resolution described in the class comment. */
  public static Endpoint runtime(Optional<URI> configured, Region region) {
    AwsClientEndpointProvider.Builder provider =
        AwsClientEndpointProvider.builder()
            .serviceEndpointOverrideEnvironmentVariable("AWS_ENDPOINT_URL_BEDROCK_RUNTIME")
            .serviceEndpointOverrideSystemProperty("aws.endpointUrlBedrockRuntime")
            .serviceProfileProperty("bedrock_runtime")
            .serviceEndpointPrefix("bedrock-runtime")
            .defaultProtocol("https")
            // the profile file and name the SDK clients read by default
            .profileFile(ProfileFile::defaultProfileFile)
            .profileName(ProfileFileSystemSetting.AWS_PROFILE.getStringValue().orElse("default"))
            .region(region);
    configured.ifPresent(provider::clientEndpointOverride);
    AwsClientEndpointProvider resolved = provider.build();
    return new Endpoint(resolved.clientEndpoint(), resolved.isEndpointOverridden());
  }
}
