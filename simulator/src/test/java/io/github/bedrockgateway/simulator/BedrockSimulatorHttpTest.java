package io.github.bedrockgateway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;

/**
 * The HTTP surface seen without the SDK: readiness, unknown routes, raw frames, malformed bodies.
 */
class BedrockSimulatorHttpTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static BedrockSimulator simulator;

  @BeforeAll
  static void start() {
    simulator = new BedrockSimulator(SimulatorOptions.builder().verifySignatures(false).build());
    simulator.start();
  }

  @AfterAll
  static void stop() {
    simulator.stop();
  }

  private static HttpResponse<byte[]> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(simulator.endpoint().resolve(path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void ping_answers_200() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(simulator.endpoint().resolve("/ping")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void an_unknown_route_is_an_unknown_operation() throws Exception {
    for (String path :
        List.of(
            "/model/some-model/invoke-with-bidirectional-stream",
            "/foundation-models",
            "/model/x/converse/extra")) {
      HttpResponse<byte[]> response = post(path, "{}");
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.headers().firstValue("x-amzn-ErrorType"))
          .hasValue("UnknownOperationException");
      assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
    }
  }

  @Test
  void a_body_that_is_not_json_is_a_serialization_error() throws Exception {
    HttpResponse<byte[]> response = post("/model/m/converse", "not json");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("SerializationException");
  }

  @Test
  void stream_frames_carry_the_bedrock_headers_and_json_payloads() throws Exception {
    HttpResponse<byte[]> response =
        post(
            "/model/m/converse-stream",
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"@sim reply=Hi\"}]}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValue("application/vnd.amazon.eventstream");
    List<Message> frames = new ArrayList<>();
    ByteBuffer buffer = ByteBuffer.wrap(response.body());
    while (buffer.hasRemaining()) {
      frames.add(Message.decode(buffer));
    }
    assertThat(frames)
        .extracting(m -> m.getHeaders().get(":event-type").getString())
        .containsExactly(
            "messageStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata");
    assertThat(frames)
        .allSatisfy(
            m -> {
              assertThat(m.getHeaders().get(":message-type").getString()).isEqualTo("event");
              assertThat(m.getHeaders().get(":content-type").getString())
                  .isEqualTo("application/json");
            });
    JsonNode delta = JSON.readTree(frames.get(1).getPayload());
    assertThat(delta.toString()).isEqualTo("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}");
    JsonNode metadata = JSON.readTree(frames.get(4).getPayload());
    assertThat(metadata.path("usage").fieldNames())
        .toIterable()
        .containsExactly("inputTokens", "outputTokens", "totalTokens");
    assertThat(metadata.path("metrics").path("latencyMs").asLong()).isPositive();
  }

  @Test
  void an_in_stream_exception_is_an_exception_frame_that_ends_the_response() throws Exception {
    HttpResponse<byte[]> response =
        post(
            "/model/m/converse-stream",
            "{\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"text\":\"@sim tokens=3\\n@sim stream-error=ThrottlingException\\n@sim stream-error-after=1\"}]}]}");

    ByteBuffer buffer = ByteBuffer.wrap(response.body());
    List<Message> frames = new ArrayList<>();
    while (buffer.hasRemaining()) {
      frames.add(Message.decode(buffer));
    }
    assertThat(frames).hasSize(3);
    Message exception = frames.get(2);
    assertThat(exception.getHeaders().get(":message-type").getString()).isEqualTo("exception");
    assertThat(exception.getHeaders().get(":exception-type").getString())
        .isEqualTo("throttlingException");
    assertThat(exception.getHeaders().get(":content-type").getString())
        .isEqualTo("application/json");
    assertThat(JSON.readTree(exception.getPayload()).path("message").asText())
        .isEqualTo("Too many requests, please wait before trying again.");
  }
}
