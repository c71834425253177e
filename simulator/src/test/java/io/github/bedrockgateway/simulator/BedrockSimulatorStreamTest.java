package io.github.bedrockgateway.simulator;

import static io.github.bedrockgateway.simulator.SimulatorClients.DEV;
import static io.github.bedrockgateway.simulator.SimulatorClients.converseStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * ConverseStream through the real SDK async client (Netty transport): the SDK's own event-stream
 * decoder checks every frame's CRCs and maps every event and in-stream exception.
 */
class BedrockSimulatorStreamTest {

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
  }

  /** The events of one stream as the SDK decoded them, plus a signal for the first text delta. */
  private static final class Received {
    final List<ConverseStreamOutput> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> firstTextDelta = new CompletableFuture<>();
    CompletableFuture<Void> done;

    List<String> described() {
      return events.stream().map(BedrockSimulatorStreamTest::describe).collect(Collectors.toList());
    }
  }

  private static Received stream(ConverseStreamRequest request) {
    Received received = new Received();
    ConverseStreamResponseHandler handler =
        ConverseStreamResponseHandler.builder()
            .subscriber(
                event -> {
                  received.events.add(event);
                  if (event instanceof ContentBlockDeltaEvent delta
                      && delta.delta().text() != null) {
                    received.firstTextDelta.complete(null);
                  }
                })
            .build();
    received.done = client.converseStream(request, handler);
    return received;
  }

  private static Received streamToEnd(String userText) throws Exception {
    Received received = stream(converseStream(userText));
    received.done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    return received;
  }

  private static String describe(ConverseStreamOutput event) {
    if (event instanceof MessageStartEvent start) {
      return "messageStart " + start.roleAsString();
    }
    if (event instanceof ContentBlockStartEvent start) {
      return "contentBlockStart "
          + start.contentBlockIndex()
          + " toolUse "
          + start.start().toolUse().name();
    }
    if (event instanceof ContentBlockDeltaEvent delta) {
      var d = delta.delta();
      String what =
          d.text() != null
              ? "text '" + d.text() + "'"
              : d.toolUse() != null
                  ? "toolUse '" + d.toolUse().input() + "'"
                  : d.reasoningContent().text() != null
                      ? "reasoning '" + d.reasoningContent().text() + "'"
                      : "signature";
      return "contentBlockDelta " + delta.contentBlockIndex() + " " + what;
    }
    if (event instanceof ContentBlockStopEvent stop) {
      return "contentBlockStop " + stop.contentBlockIndex();
    }
    if (event instanceof MessageStopEvent stop) {
      return "messageStop " + stop.stopReasonAsString();
    }
    if (event instanceof ConverseStreamMetadataEvent metadata) {
      return "metadata in="
          + metadata.usage().inputTokens()
          + " out="
          + metadata.usage().outputTokens()
          + " total="
          + metadata.usage().totalTokens();
    }
    return event.toString();
  }

  @Test
  void streams_text_one_word_per_delta_without_content_block_start() throws Exception {
    Received received = streamToEnd("@sim reply=Hello streaming world");

    assertThat(received.described())
        .containsExactly(
            "messageStart assistant",
            "contentBlockDelta 0 text 'Hello '",
            "contentBlockDelta 0 text 'streaming '",
            "contentBlockDelta 0 text 'world'",
            "contentBlockStop 0",
            "messageStop end_turn",
            "metadata in=8 out=3 total=11");
    ConverseStreamMetadataEvent metadata = (ConverseStreamMetadataEvent) received.events.get(6);
    assertThat(metadata.metrics().latencyMs()).isPositive();
    RecordedRequest seen = simulator.lastRequest();
    assertThat(seen.operation()).isEqualTo("converse-stream");
    assertThat(seen.rawPath()).endsWith("/converse-stream");
    assertThat(seen.clientCancelled().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
  }

  @Test
  void streams_reasoning_then_text_then_tool_use_with_dense_block_indices() throws Exception {
    Received received =
        streamToEnd(
            """
                @sim reasoning=Weather needs a tool.
                @sim reply=Checking now.
                @sim tool=get_weather {"city":"Paris"}
                @sim cache-read=7""");

    assertThat(received.described())
        .containsExactly(
            "messageStart assistant",
            "contentBlockDelta 0 reasoning 'Weather '",
            "contentBlockDelta 0 reasoning 'needs '",
            "contentBlockDelta 0 reasoning 'a '",
            "contentBlockDelta 0 reasoning 'tool.'",
            "contentBlockDelta 0 signature",
            "contentBlockStop 0",
            "contentBlockDelta 1 text 'Checking '",
            "contentBlockDelta 1 text 'now.'",
            "contentBlockStop 1",
            "contentBlockStart 2 toolUse get_weather",
            "contentBlockDelta 2 toolUse '{\"city'",
            "contentBlockDelta 2 toolUse '\":\"Par'",
            "contentBlockDelta 2 toolUse 'is\"}'",
            "contentBlockStop 2",
            "messageStop tool_use",
            // 118 input characters; 2 text words + 4 reasoning words + ceil(16 / 4) argument
            // tokens;
            // the total adds the cache read.
            "metadata in=30 out=10 total=47");
    ContentBlockStartEvent toolStart = (ContentBlockStartEvent) received.events.get(10);
    assertThat(toolStart.start().toolUse().toolUseId()).startsWith("tooluse_");
    ConverseStreamMetadataEvent metadata = (ConverseStreamMetadataEvent) received.events.get(16);
    assertThat(metadata.usage().cacheReadInputTokens()).isEqualTo(7);
  }

  @Test
  void max_tokens_ends_the_stream_with_max_tokens() throws Exception {
    Received received =
        stream(
            converseStream("@sim tokens=8").toBuilder()
                .inferenceConfig(c -> c.maxTokens(2))
                .build());
    received.done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(received.described())
        .containsSubsequence(
            "contentBlockDelta 0 text 'tok1 '",
            "contentBlockDelta 0 text 'tok2'",
            "contentBlockStop 0",
            "messageStop max_tokens");
  }

  static Stream<Arguments> in_stream_exceptions() {
    return Stream.of(
        Arguments.of("internalServerException", InternalServerException.class),
        Arguments.of("modelStreamErrorException", ModelStreamErrorException.class),
        Arguments.of("validationException", ValidationException.class),
        Arguments.of("throttlingException", ThrottlingException.class),
        Arguments.of("serviceUnavailableException", ServiceUnavailableException.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("in_stream_exceptions")
  void in_stream_exception_reaches_the_handler_as_the_sdk_exception(
      String type, Class<? extends BedrockRuntimeException> exception) {
    Received received =
        stream(
            converseStream(
                "@sim tokens=5\n@sim stream-error="
                    + type
                    + "\n@sim stream-error-after=2\n@sim stream-error-message=boom"));

    Throwable thrown =
        catchThrowable(() -> received.done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));

    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(exception);
    assertThat(((BedrockRuntimeException) thrown.getCause()).awsErrorDetails().errorMessage())
        .isEqualTo("boom");
    assertThat(received.described())
        .containsExactly(
            "messageStart assistant",
            "contentBlockDelta 0 text 'tok1 '",
            "contentBlockDelta 0 text 'tok2 '");
  }

  @Test
  void error_directive_on_a_stream_answers_before_any_byte() {
    Received received = stream(converseStream("@sim error=ThrottlingException"));

    Throwable thrown = catchThrowable(() -> received.done.join());

    assertThat(thrown)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(ThrottlingException.class);
    ThrottlingException throttled = (ThrottlingException) thrown.getCause();
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.requestId()).isNotBlank();
    assertThat(received.events).isEmpty();
  }

  @Test
  void hold_pauses_after_the_first_text_delta_until_released() throws Exception {
    Received received = stream(converseStream("@sim tokens=4\n@sim hold=first-delta"));

    simulator.awaitHeld("first-delta", WAIT);
    received.firstTextDelta.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    Thread.sleep(100);
    assertThat(received.done).isNotDone();
    assertThat(received.described())
        .containsExactly("messageStart assistant", "contentBlockDelta 0 text 'tok1 '");

    assertThat(simulator.release("first-delta")).isEqualTo(1);
    received.done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(received.described())
        .hasSize(8)
        .contains("contentBlockDelta 0 text 'tok4'", "messageStop end_turn");
  }

  @Test
  void a_client_that_cancels_mid_stream_is_recorded_as_cancelled() throws Exception {
    assertCancelledAfterFirstDelta(client);
  }

  @Test
  void streams_and_notices_a_cancel_over_http1_too() throws Exception {
    try (BedrockRuntimeAsyncClient http1 =
        SimulatorClients.async(simulator, DEV, Protocol.HTTP1_1)) {
      Received received = new Received();
      http1
          .converseStream(
              converseStream("@sim tokens=3"),
              ConverseStreamResponseHandler.builder().subscriber(received.events::add).build())
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(received.events).hasSize(7);
      assertThat(simulator.lastRequest().header("host")).isEqualTo("127.0.0.1:" + simulator.port());

      simulator.clearRequests();
      assertCancelledAfterFirstDelta(http1);
    }
  }

  private static void assertCancelledAfterFirstDelta(BedrockRuntimeAsyncClient client)
      throws Exception {
    CompletableFuture<Void> firstDelta = new CompletableFuture<>();
    ConverseStreamResponseHandler handler =
        ConverseStreamResponseHandler.builder()
            .onEventStream(
                publisher ->
                    publisher.subscribe(
                        new Subscriber<ConverseStreamOutput>() {
                          private Subscription subscription;

                          @Override
                          public void onSubscribe(Subscription s) {
                            subscription = s;
                            s.request(1);
                          }

                          @Override
                          public void onNext(ConverseStreamOutput event) {
                            if (event instanceof ContentBlockDeltaEvent) {
                              subscription.cancel();
                              firstDelta.complete(null);
                            } else {
                              subscription.request(1);
                            }
                          }

                          @Override
                          public void onError(Throwable t) {}

                          @Override
                          public void onComplete() {}
                        }))
            .build();
    CompletableFuture<Void> call =
        client.converseStream(
            converseStream("@sim tokens=50\n@sim hold=cancel-me-" + System.nanoTime()), handler);

    firstDelta.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    RecordedRequest seen = simulator.awaitRequests(1, WAIT).get(0);

    assertThat(seen.clientCancelled().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    call.cancel(true);
  }

  @Test
  void chunk_delay_spaces_the_events() throws Exception {
    long start = System.nanoTime();
    Received received = streamToEnd("@sim tokens=3\n@sim chunk-delay=40");
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    // 7 events, 6 gaps of 40 ms.
    assertThat(received.events).hasSize(7);
    assertThat(elapsedMs).isGreaterThanOrEqualTo(6 * 40);
  }

  @Test
  void a_long_stream_survives_back_pressure_intact() throws Exception {
    Received received = streamToEnd("@sim tokens=20000");

    String text =
        received.events.stream()
            .filter(ContentBlockDeltaEvent.class::isInstance)
            .map(e -> ((ContentBlockDeltaEvent) e).delta().text())
            .collect(Collectors.joining());
    assertThat(text).startsWith("tok1 tok2 ").endsWith(" tok19999 tok20000");
    assertThat(received.events).hasSize(20000 + 4);
  }
}
