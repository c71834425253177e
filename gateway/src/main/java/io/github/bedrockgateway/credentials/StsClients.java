package io.github.bedrockgateway.credentials;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.github.bedrockgateway.credentials.Env.AwsSetting;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;

/** The STS clients of {@code assume-role} and {@code web-identity}. */
final class StsClients {

    private StsClients() {
    }

    /**
     * A client for the gateway region's regional STS endpoint ({@code sts.REGION.amazonaws.com}), or the
     * endpoint of {@code AWS_ENDPOINT_URL_STS} / {@code AWS_ENDPOINT_URL} as the SDK and CLI honour them.
     * Every call is bounded by {@code gateway.credentials.sts-timeout} and reported to the listener.
     */
    static StsClient create(CredentialsSettings settings, AwsCredentialsProvider credentials, StsCallListener listener) {
        return builder(settings, credentials, listener).build();
    }

    static StsClientBuilder builder(CredentialsSettings settings, AwsCredentialsProvider credentials, StsCallListener listener) {
        Duration timeout = settings.stsTimeout();
        Duration connect = timeout.compareTo(Duration.ofSeconds(3)) < 0 ? timeout : Duration.ofSeconds(3);
        StsClientBuilder builder = StsClient.builder()
                .region(settings.region())
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(connect)
                        .socketTimeout(timeout))
                .overrideConfiguration(o -> o
                        .apiCallTimeout(timeout)
                        .retryStrategy(RetryMode.STANDARD)
                        .addExecutionInterceptor(new Reporter(listener)));
        endpointOverride(settings.env()).ifPresent(builder::endpointOverride);
        return builder;
    }

    /** {@code AWS_ENDPOINT_URL_STS}, else {@code AWS_ENDPOINT_URL}, unless {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS}. */
    static Optional<URI> endpointOverride(Env env) {
        if (env.setting(AwsSetting.IGNORE_CONFIGURED_ENDPOINT_URLS).map(Boolean::parseBoolean).orElse(false)) {
            return Optional.empty();
        }
        return env.setting(AwsSetting.ENDPOINT_URL_STS).or(() -> env.setting(AwsSetting.ENDPOINT_URL)).map(URI::create);
    }

    /** Where STS calls go, for messages. */
    static String describeEndpoint(CredentialsSettings settings) {
        return endpointOverride(settings.env()).map(URI::toString)
                .orElse("https://sts." + settings.region().id() + ".amazonaws.com");
    }

    private static final class Reporter implements ExecutionInterceptor {
        private final StsCallListener listener;

        Reporter(StsCallListener listener) {
            this.listener = listener;
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            listener.succeeded(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            listener.failed(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), context.exception());
        }
    }
}
