package io.github.bedrockgateway.bedrock;

import io.github.bedrockgateway.observability.GatewayMetrics;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Counts the SDK's retries of Bedrock calls. The SDK stamps every attempt with {@code
 * amz-sdk-request: attempt=N; max=M}; any attempt past the first is a retry.
 */
final class RetryCountingInterceptor implements ExecutionInterceptor {

  private final GatewayMetrics metrics;

  RetryCountingInterceptor(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    context
        .httpRequest()
        .firstMatchingHeader("amz-sdk-request")
        .ifPresent(
            h -> {
              if (!h.startsWith("attempt=1;") && h.startsWith("attempt=")) {
                metrics.retried();
              }
            });
  }
}
