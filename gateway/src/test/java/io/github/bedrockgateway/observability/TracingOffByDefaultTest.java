package io.github.bedrockgateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

/**
 * With the default settings tracing is off and nothing on the request path carries tracing code.
 */
@QuarkusTest
class TracingOffByDefaultTest {

  @Inject BedrockRuntimeAsyncClient bedrock;

  @Inject Vertx vertx;

  @Test
  void no_vertx_tracer_and_no_bedrock_tracing_interceptor() {
    assertThat(((VertxInternal) vertx).tracer()).as("Vert.x tracer").isNull();
    assertThat(bedrock.serviceClientConfiguration().overrideConfiguration().executionInterceptors())
        .noneMatch(i -> i.getClass().getSimpleName().equals("BedrockTracingInterceptor"))
        .anyMatch(i -> i.getClass().getSimpleName().equals("RetryCountingInterceptor"));
  }
}
