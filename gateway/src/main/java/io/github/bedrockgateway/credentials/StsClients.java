package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.credentials.Env.AwsSetting;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.model.Credentials;

/** The STS clients of {@code assume-role} and {@code web-identity}. */
final class StsClients {

  private StsClients() {}

  /**
   * A client for the gateway region's regional STS endpoint ({@code sts.REGION.amazonaws.com}), or
   * the endpoint of {@code AWS_ENDPOINT_URL_STS} / {@code AWS_ENDPOINT_URL} as the SDK and CLI
   * honour them. Every call is bounded by {@code gateway.credentials.sts-timeout}.
   */
  static StsClient create(CredentialsSettings settings, AwsCredentialsProvider credentials) {
    Duration timeout = settings.stsTimeout();
    Duration connect =
        timeout.compareTo(Duration.ofSeconds(3)) < 0 ? timeout : Duration.ofSeconds(3);
    StsClientBuilder builder =
        StsClient.builder()
            .region(settings.region())
            .credentialsProvider(credentials)
            .httpClientBuilder(
                UrlConnectionHttpClient.builder().connectionTimeout(connect).socketTimeout(timeout))
            .overrideConfiguration(
                o -> o.apiCallTimeout(timeout).retryStrategy(RetryMode.STANDARD));
    endpointOverride(settings.env()).ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /** What STS issued, as the credentials the SDK signs with (with their expiry). */
  static AwsSessionCredentials sessionCredentials(Credentials issued, String providerName) {
    return AwsSessionCredentials.builder()
        .accessKeyId(issued.accessKeyId())
        .secretAccessKey(issued.secretAccessKey())
        .sessionToken(issued.sessionToken())
        .expirationTime(issued.expiration())
        .providerName(providerName)
        .build();
  }

  /**
   * {@code AWS_ENDPOINT_URL_STS}, else {@code AWS_ENDPOINT_URL}, unless {@code
   * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS}.
   */
  static Optional<URI> endpointOverride(Env env) {
    if (env.setting(AwsSetting.IGNORE_CONFIGURED_ENDPOINT_URLS)
        .map(Boolean::parseBoolean)
        .orElse(false)) {
      return Optional.empty();
    }
    return env.setting(AwsSetting.ENDPOINT_URL_STS)
        .or(() -> env.setting(AwsSetting.ENDPOINT_URL))
        .map(URI::create);
  }

  /** Where STS calls go, for messages. */
  static String describeEndpoint(CredentialsSettings settings) {
    return endpointOverride(settings.env())
        .map(URI::toString)
        .orElse("https://sts." + settings.region().id() + ".amazonaws.com");
  }
}
