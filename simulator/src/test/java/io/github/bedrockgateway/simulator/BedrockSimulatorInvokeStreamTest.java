package io.github.bedrockgateway.simulator;

import static io.github.bedrockgateway.simulator.BedrockSimulatorInvokeTest.JSON;
import static io.github.bedrockgateway.simulator.BedrockSimulatorInvokeTest.OPUS;
import static io.github.bedrockgateway.simulator.BedrockSimulatorInvokeTest.TOOLS;
import static io.github.bedrockgateway.simulator.BedrockSimulatorInvokeTest.body;
import static io.github.bedrockgateway.simulator.SimulatorClients.DEV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * InvokeModelWithResponseStream with Claude's body through the SDK's async client (Netty, HTTP/2):
 * the SDK checks every frame's CRCs and hands each {@code chunk}'s bytes over; they must decode to
 * Anthropic's stream events in order, with the invocation metrics on {@code message_stop}.
 */
class BedrockSimulatorInvokeStreamTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static BedrockSimulator simulator;
  private static BedrockRuntimeAsyncClient client;

  @BeforeAll
  static void start() {
    simulator = new BedrockSimulator(SimulatorOptions.defaults());
    simulator.start();
    client = SimulatorClients.async(simulator, DEV);
  }

  @AfterAll
  static void stop() {
    client.close();
    simulator.stop();
  }

  @BeforeEach
  void clear() {
    simulator.clearRequests();
    simulator.resetHolds();
  }

  /** The Anthropic events the chunks carried, and the end of the call. */
  private record Streamed(List<JsonNode> events, CompletableFuture<Void> done) {

    List<String> types() {
      return events.stream()
          .map(
              e ->
                  e.path("type").asText()
                      + (e.has("delta") && e.path("delta").has("type")
                          ? ":" + e.path("delta").path("type").asText()
                          : ""))
          .collect(Collectors.toList());
    }

    String joined(String deltaType, String field) {
      return events.stream()
          .filter(e -> deltaType.equals(e.path("delta").path("type").asText()))
          .map(e -> e.path("delta").path(field).asText())
          .collect(Collectors.joining());
    }
  }

  private static Streamed stream(String modelId, JsonNode body) throws Exception {
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    byte[] bytes = JSON.writeValueAsBytes(body);
    InvokeModelWithResponseStreamResponseHandler handler =
        InvokeModelWithResponseStreamResponseHandler.builder()
            .subscriber(
                InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                    .onChunk(
                        chunk -> {
                          try {
                            events.add(JSON.readTree(chunk.bytes().asByteArray()));
                          } catch (java.io.IOException e) {
                            throw new IllegalStateException(e);
                          }
                        })
                    .build())
            .build();
    CompletableFuture<Void> done =
        client.invokeModelWithResponseStream(
            r -> r.modelId(modelId).body(SdkBytes.fromByteArray(bytes)), handler);
    return new Streamed(events, done);
  }

  private static Streamed streamToEnd(JsonNode body) throws Exception {
    Streamed streamed = stream(OPUS, body);
    streamed.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    return streamed;
  }

  @Test
  void text_streams_word_by_word_between_message_start_and_message_stop() throws Exception {
    Streamed streamed = streamToEnd(body("Hello brave new world", ""));

    assertThat(streamed.types())
        .containsExactly(
            "message_start",
            "content_block_start",
            "content_block_delta:text_delta",
            "content_block_delta:text_delta",
            "content_block_delta:text_delta",
            "content_block_delta:text_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
    JsonNode start = streamed.events().get(0).path("message");
    assertThat(start.path("id").asText()).startsWith("msg_bdrk_");
    assertThat(start.path("model").asText()).isEqualTo("claude-opus-5-5");
    assertThat(start.path("usage").path("input_tokens").asInt()).isEqualTo(6);
    assertThat(streamed.joined("text_delta", "text")).isEqualTo("Hello brave new world");
    JsonNode delta = streamed.events().get(7);
    assertThat(delta.path("delta").path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(delta.path("usage").path("output_tokens").asInt()).isEqualTo(4);
    JsonNode metrics = streamed.events().get(8).path("amazon-bedrock-invocationMetrics");
    assertThat(metrics.path("inputTokenCount").asInt()).isEqualTo(6);
    assertThat(metrics.path("outputTokenCount").asInt()).isEqualTo(4);
    assertThat(metrics.path("invocationLatency").asLong()).isPositive();
    assertThat(metrics.path("firstByteLatency").asLong())
        .isPositive()
        .isLessThanOrEqualTo(metrics.path("invocationLatency").asLong());

    RecordedRequest seen = simulator.lastRequest();
    assertThat(seen.operation()).isEqualTo(RecordedRequest.INVOKE_STREAM);
    assertThat(seen.streaming()).isTrue();
    assertThat(seen.clientCancelled().get(5, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void thinking_then_tool_use_stream_their_own_deltas() throws Exception {
    Streamed streamed =
        streamToEnd(
            body(
                "@sim thinking=Check the weather.\n@sim tool=get_weather {\"city\": \"Oslo\"}",
                "\"tools\": " + TOOLS));

    List<String> types = streamed.types();
    assertThat(types.get(1)).isEqualTo("content_block_start");
    assertThat(streamed.events().get(1).path("content_block").path("type").asText())
        .isEqualTo("thinking");
    assertThat(types)
        .contains(
            "content_block_delta:thinking_delta",
            "content_block_delta:signature_delta",
            "content_block_delta:input_json_delta");
    assertThat(streamed.joined("thinking_delta", "thinking")).isEqualTo("Check the weather.");
    assertThat(streamed.joined("signature_delta", "signature")).isNotBlank();
    JsonNode toolStart =
        streamed.events().stream()
            .filter(e -> "tool_use".equals(e.path("content_block").path("type").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(toolStart.path("index").asInt()).isEqualTo(1);
    assertThat(toolStart.path("content_block").path("id").asText()).startsWith("toolu_bdrk_");
    assertThat(toolStart.path("content_block").path("name").asText()).isEqualTo("get_weather");
    assertThat(JSON.readTree(streamed.joined("input_json_delta", "partial_json")))
        .isEqualTo(JSON.readTree("{\"city\": \"Oslo\"}"));
    assertThat(
            streamed
                .events()
                .get(streamed.events().size() - 2)
                .path("delta")
                .path("stop_reason")
                .asText())
        .isEqualTo("tool_use");
  }

  @Test
  void a_stream_error_is_an_exception_frame_after_the_scripted_deltas() throws Exception {
    Streamed streamed =
        stream(
            OPUS,
            body(
                "@sim tokens=10\n@sim stream-error=throttlingException\n"
                    + "@sim stream-error-after=3",
                ""));

    Throwable failure =
        catchThrowable(() -> streamed.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));

    assertThat(failure)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ThrottlingException.class);
    assertThat(streamed.types())
        .containsExactly(
            "message_start",
            "content_block_start",
            "content_block_delta:text_delta",
            "content_block_delta:text_delta",
            "content_block_delta:text_delta");
  }

  @Test
  void validation_refusals_come_before_the_stream() throws Exception {
    Streamed streamed = stream(OPUS, body("hi", "\"stream\": true"));

    Throwable failure =
        catchThrowable(() -> streamed.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));

    assertThat(failure).hasCauseInstanceOf(ValidationException.class);
    assertThat(failure.getCause()).hasMessageContaining("extraneous key [stream] is not permitted");
    assertThat(streamed.events()).isEmpty();
  }

  @Test
  void a_hold_pauses_after_the_first_text_delta() throws Exception {
    Streamed streamed = stream(OPUS, body("@sim tokens=3\n@sim hold=invoke-first", ""));

    simulator.awaitHeld("invoke-first", WAIT);
    assertThat(streamed.done()).isNotDone();
    simulator.release("invoke-first");
    streamed.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(streamed.joined("text_delta", "text")).isEqualTo("tok1 tok2 tok3");
  }
}
