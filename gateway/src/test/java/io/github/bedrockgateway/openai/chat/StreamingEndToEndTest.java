package io.github.bedrockgateway.openai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.RecordedRequest;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streaming over a raw HTTP client, to see exactly the bytes and the timing a client sees. */
@QuarkusTest
class StreamingEndToEndTest {

  @TestHTTPResource("/v1/chat/completions")
  URL endpoint;

  @Inject EmbeddedSimulator embedded;

  BedrockSimulator simulator;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void reset() {
    simulator = embedded.simulator();
    simulator.clearRequests();
  }

  private HttpRequest post(String body) throws Exception {
    return HttpRequest.newBuilder(endpoint.toURI())
        .header("Authorization", "Bearer " + ChatCompletionsEndToEndTest.KEY)
        .header("Content-Type", "application/json")
        .header("Accept-Encoding", "gzip, deflate")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static String streamBody(String userText, boolean includeUsage) {
    return "{\"model\": \"gpt-4o\", \"stream\": true"
        + (includeUsage ? ", \"stream_options\": {\"include_usage\": true}" : "")
        + ", \"messages\": [{\"role\": \"user\", \"content\": "
        + quote(userText)
        + "}]}";
  }

  private static String quote(String s) {
    return Json.MAPPER.valueToTree(s).toString();
  }

  @Test
  void writes_the_exact_sse_text_for_a_scripted_stream() throws Exception {
    HttpResponse<String> r =
        http.send(
            post(streamBody("@sim reply=Hi there", true)), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
    assertThat(r.headers().firstValue("content-encoding")).isEmpty();
    assertThat(r.headers().firstValue("x-bedrock-request-id")).isPresent();
    Matcher m =
        Pattern.compile(
                "^data: \\{\"id\":\"(chatcmpl-[A-Za-z0-9]+)\",\"object\":\"chat.completion.chunk\",\"created\":(\\d+),")
            .matcher(r.body());
    assertThat(m.find()).isTrue();
    String head =
        "data: {\"id\":\""
            + m.group(1)
            + "\",\"object\":\"chat.completion.chunk\",\"created\":"
            + m.group(2)
            + ",\"model\":\"gpt-4o\",";
    String choice = "\"choices\":[{\"index\":0,\"delta\":";
    String expectedStart =
        head
            + choice
            + "{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
            + head
            + choice
            + "{\"content\":\"Hi \"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
            + head
            + choice
            + "{\"content\":\"there\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
            + head
            + choice
            + "{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
            + head
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":";
    assertThat(r.body()).startsWith(expectedStart);
    assertThat(r.body())
        .matches(
            "(?s).*\"usage\":\\{\"prompt_tokens\":\\d+,\"completion_tokens\":2,\"total_tokens\":\\d+,"
                + "\"prompt_tokens_details\":\\{\"cached_tokens\":0,\"cache_write_tokens\":0\\},"
                + "\"completion_tokens_details\":\\{\"reasoning_tokens\":0\\}\\}\\}\n\ndata: \\[DONE\\]\n\n$");
    assertThat(simulator.lastRequest().operation()).isEqualTo(RecordedRequest.CONVERSE_STREAM);
  }

  @Test
  void the_first_delta_reaches_the_client_while_bedrock_still_holds_the_rest() throws Exception {
    HttpResponse<InputStream> r =
        http.send(
            post(streamBody("@sim reply=first second third\n@sim hold=held-open", false)),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      // The simulator has written "first " and now waits for release(): the client must already see
      // it.
      CompletableFuture<String> firstDelta =
          CompletableFuture.supplyAsync(() -> SseLines.readUntil(reader, "\"content\":\"first \""));
      String seen = firstDelta.get(10, TimeUnit.SECONDS);
      assertThat(seen).contains("first ");
      assertThat(seen).doesNotContain("second");
      // the simulator writes the first delta, then parks at the hold: wait for it to be parked
      simulator.awaitHeld("held-open", java.time.Duration.ofSeconds(30));
      assertThat(simulator.release("held-open")).isPositive();
      String rest =
          CompletableFuture.supplyAsync(() -> SseLines.readUntil(reader, "data: [DONE]"))
              .get(10, TimeUnit.SECONDS);
      assertThat(rest).contains("second ").contains("third").contains("\"finish_reason\":\"stop\"");
    }
  }

  @Test
  void a_client_that_disconnects_mid_stream_cancels_the_bedrock_call() throws Exception {
    HttpResponse<InputStream> r =
        http.send(
            post(streamBody("@sim tokens=200\n@sim chunk-delay=50", false)),
            HttpResponse.BodyHandlers.ofInputStream());
    InputStream body = r.body();
    BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    CompletableFuture.supplyAsync(() -> SseLines.readUntil(reader, "tok2 "))
        .get(10, TimeUnit.SECONDS);
    body.close(); // the client goes away after a few tokens
    RecordedRequest upstream = simulator.lastRequest();
    assertThat(upstream.clientCancelled().get(5, TimeUnit.SECONDS))
        .as("the gateway closed its Bedrock connection once the client left")
        .isTrue();
  }

  @Test
  void a_mid_stream_error_ends_the_stream_with_one_error_event_and_no_done() throws Exception {
    HttpResponse<String> r =
        http.send(
            post(
                streamBody(
                    "@sim tokens=10\n@sim stream-error=throttlingException\n@sim stream-error-after=2",
                    false)),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    String[] events = r.body().split("\n\n");
    String last = events[events.length - 1];
    assertThat(last).startsWith("data: {\"error\":");
    JsonNode error = Json.MAPPER.readTree(last.substring(6)).path("error");
    assertThat(error.path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(error.path("message").asText()).isNotBlank();
    assertThat(r.body()).doesNotContain("[DONE]");
    assertThat(r.body()).contains("tok1 ");
  }

  @Test
  void a_stream_refused_before_its_first_byte_keeps_the_http_status() throws Exception {
    HttpResponse<String> r =
        http.send(
            post(streamBody("@sim error=AccessDeniedException", false)),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(Json.MAPPER.readTree(r.body()).path("error").path("type").asText())
        .isEqualTo("permission_error");
  }
}
