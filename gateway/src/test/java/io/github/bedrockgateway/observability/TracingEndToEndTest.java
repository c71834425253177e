package io.github.bedrockgateway.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tracing switched on (the OpenTelemetry SDK enabled, spans kept in memory instead of sent over
 * OTLP): each chat completion gives a server span for the request and a client span for the Bedrock
 * call that is its child, across the SDK's own threads.
 */
@QuarkusTest
@TestProfile(TracingEndToEndTest.TracingOn.class)
class TracingEndToEndTest {

  public static class TracingOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "0.05s");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
      return Set.of(InMemoryExporter.class);
    }
  }

  /** Quarkus exports spans to every SpanExporter bean; this one keeps them for the assertions. */
  @Alternative
  @Singleton
  public static class InMemoryExporter {
    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
      return InMemorySpanExporter.create();
    }
  }

  static final String MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

  @Inject InMemorySpanExporter spans;

  @BeforeEach
  void reset() {
    spans.reset();
  }

  private static Response chat(String text, boolean stream) {
    return given()
        .header("Authorization", "Bearer test-key-1")
        .contentType("application/json")
        .body(
            "{\"model\": \"claude-haiku\", \"stream\": "
                + stream
                + ", \"messages\": [{\"role\": \"user\", \"content\": \""
                + text
                + "\"}]}")
        .when()
        .post("/v1/chat/completions");
  }

  private SpanData await(Predicate<SpanData> match) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      List<SpanData> done = spans.getFinishedSpanItems();
      for (SpanData s : done) {
        if (match.test(s)) {
          return s;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no such span among " + spans.getFinishedSpanItems());
  }

  private SpanData serverSpan() throws InterruptedException {
    return await(
        s -> s.getKind() == SpanKind.SERVER && s.getName().equals("POST /v1/chat/completions"));
  }

  private SpanData bedrockSpan(String operation) throws InterruptedException {
    return await(
        s -> s.getKind() == SpanKind.CLIENT && s.getName().equals("Bedrock Runtime " + operation));
  }

  private static String attr(SpanData s, String key) {
    return s.getAttributes().get(AttributeKey.stringKey(key));
  }

  private static Long longAttr(SpanData s, String key) {
    return s.getAttributes().get(AttributeKey.longKey(key));
  }

  @Test
  void non_streaming_call_is_a_child_span_of_the_request() throws Exception {
    Response r = chat("@sim tokens=7", false);
    r.then().statusCode(200);
    SpanData server = serverSpan();
    SpanData bedrock = bedrockSpan("Converse");

    assertThat(bedrock.getTraceId()).isEqualTo(server.getTraceId());
    assertThat(bedrock.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(attr(bedrock, "gen_ai.system")).isEqualTo("aws.bedrock");
    assertThat(attr(bedrock, "gen_ai.request.model")).isEqualTo(MODEL);
    assertThat(attr(bedrock, "gateway.request_id")).isEqualTo(r.header("x-request-id"));
    assertThat(attr(bedrock, "aws.request_id"))
        .isNotBlank()
        .isEqualTo(r.header("x-bedrock-request-id"));
    assertThat(longAttr(bedrock, "gen_ai.usage.input_tokens")).isPositive();
    assertThat(longAttr(bedrock, "gen_ai.usage.output_tokens")).isEqualTo(7L);
    assertThat(bedrock.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    assertThat(server.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
        .isEqualTo(200L);
    assertThat(attr(server, "http.route")).isEqualTo("/v1/chat/completions");
    assertThat(
            bedrock
                .getAttributes()
                .get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
        .containsExactly("end_turn");
    // the Bedrock call happens within the request
    assertThat(bedrock.getStartEpochNanos()).isGreaterThanOrEqualTo(server.getStartEpochNanos());
    assertThat(bedrock.getEndEpochNanos()).isLessThanOrEqualTo(server.getEndEpochNanos());
  }

  @Test
  void streaming_call_is_a_child_span_that_lasts_the_whole_stream() throws Exception {
    Response r = chat("@sim tokens=5", true);
    r.then().statusCode(200);
    assertThat(r.asString()).contains("[DONE]");
    SpanData server = serverSpan();
    SpanData bedrock = bedrockSpan("ConverseStream");

    assertThat(bedrock.getTraceId()).isEqualTo(server.getTraceId());
    assertThat(bedrock.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(attr(bedrock, "gen_ai.request.model")).isEqualTo(MODEL);
    assertThat(attr(bedrock, "gateway.request_id")).isEqualTo(r.header("x-request-id"));
    assertThat(attr(bedrock, "aws.request_id")).isNotBlank();
    assertThat(bedrock.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
  }

  @Test
  void a_callers_traceparent_continues_its_trace() throws Exception {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    given()
        .header("Authorization", "Bearer test-key-1")
        .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
        .contentType("application/json")
        .body(
            "{\"model\": \"claude-haiku\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
        .when()
        .post("/v1/chat/completions")
        .then()
        .statusCode(200);
    SpanData server = serverSpan();
    SpanData bedrock = bedrockSpan("Converse");
    assertThat(server.getTraceId()).isEqualTo(traceId);
    assertThat(server.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(bedrock.getTraceId()).isEqualTo(traceId);
    assertThat(bedrock.getParentSpanId()).isEqualTo(server.getSpanId());
  }

  @Test
  void failed_call_has_error_status() throws Exception {
    Response r = chat("@sim error=ThrottlingException", false);
    r.then().statusCode(429);
    SpanData server = serverSpan();
    SpanData bedrock = bedrockSpan("Converse");

    assertThat(bedrock.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(bedrock.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attr(bedrock, "error.type")).isEqualTo("ThrottlingException");
    assertThat(longAttr(bedrock, "http.response.status_code")).isEqualTo(429L);
  }

  @Test
  void stream_span_lasts_until_the_stream_ends() throws Exception {
    Response r = chat("@sim tokens=6\\n@sim chunk-delay=60", true);
    r.then().statusCode(200);
    SpanData server = serverSpan();
    SpanData bedrock = bedrockSpan("ConverseStream");
    assertThat(bedrock.getParentSpanId()).isEqualTo(server.getSpanId());
    // six chunks 60 ms apart: the span covers the stream, not just its response headers
    assertThat(Duration.ofNanos(bedrock.getEndEpochNanos() - bedrock.getStartEpochNanos()))
        .isGreaterThan(Duration.ofMillis(250));
  }

  @Test
  void stream_failing_midway_has_error_status() throws Exception {
    Response r =
        chat(
            "@sim tokens=10\\n@sim stream-error=throttlingException\\n@sim stream-error-after=2",
            true);
    r.then().statusCode(200);
    SpanData server = serverSpan();
    SpanData bedrock = bedrockSpan("ConverseStream");
    assertThat(bedrock.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(bedrock.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attr(bedrock, "error.type")).isEqualTo("ThrottlingException");
  }
}
