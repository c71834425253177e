package io.github.bedrockgateway.openai.chat;

import static io.github.bedrockgateway.openai.chat.ChatCompletionsEndToEndTest.chat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.github.bedrockgateway.images.TestImageServer;
import io.github.bedrockgateway.simulator.BedrockSimulator;
import io.github.bedrockgateway.simulator.RecordedRequest;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Remote image URLs end to end, with a local image host on 127.0.0.1 that this profile allow-lists:
 * the bytes reach the (simulated) Bedrock as an image block, through chat completions and the
 * Responses API; limits and failures come back as a 400 naming the image's param, and Bedrock is
 * never called.
 */
@QuarkusTest
@TestProfile(RemoteImagesEndToEndTest.AllowLocalImages.class)
class RemoteImagesEndToEndTest {

  /** The image host on loopback is allowed; downloads time out after 1 s. */
  public static class AllowLocalImages implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "gateway.images.allowed-hosts", "127.0.0.1/32", "gateway.images.fetch-timeout", "1s");
    }
  }

  static TestImageServer images;

  @Inject EmbeddedSimulator embedded;

  @TestHTTPResource("/v1")
  URL baseUrl;

  BedrockSimulator simulator;

  @BeforeAll
  static void startImages() {
    images = new TestImageServer();
  }

  @AfterAll
  static void stopImages() {
    images.close();
  }

  @BeforeEach
  void reset() {
    simulator = embedded.simulator();
    simulator.clearRequests();
  }

  static String withImage(String url, boolean stream) {
    return """
                {"model": "claude-haiku", "stream": %s,
                 "messages": [{"role": "user", "content": [
                   {"type": "text", "text": "What is in this picture?"},
                   {"type": "image_url", "image_url": {"url": "%s", "detail": "low"}}]}]}
                """
        .formatted(stream, url);
  }

  static void assertImageBlock(RecordedRequest received, String format, byte[] bytes) {
    JsonNode content = received.body().path("messages").path(0).path("content");
    assertThat(content.path(0).path("text").asText()).isEqualTo("What is in this picture?");
    JsonNode image = content.path(1).path("image");
    assertThat(image.path("format").asText()).isEqualTo(format);
    assertThat(Base64.getDecoder().decode(image.path("source").path("bytes").asText()))
        .isEqualTo(bytes);
  }

  @Test
  void a_remote_png_reaches_bedrock_as_image_bytes() {
    chat(withImage(images.url("/cat.png"), false))
        .then()
        .statusCode(200)
        .body("choices[0].message.content", equalTo("What is in this picture?"));
    assertImageBlock(simulator.lastRequest(), "png", TestImageServer.PNG);
  }

  @Test
  void a_streamed_request_gets_its_remote_image_too_with_the_format_sniffed() {
    chat(withImage(images.url("/untyped.jpg"), true))
        .then()
        .statusCode(200)
        .body(containsString("data: [DONE]"));
    RecordedRequest received = simulator.lastRequest();
    assertThat(received.streaming()).isTrue();
    assertImageBlock(received, "jpeg", TestImageServer.JPEG);
  }

  @Test
  void the_official_openai_sdk_sends_an_image_url_that_the_gateway_fetches() {
    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl(baseUrl.toString())
            .apiKey(ChatCompletionsEndToEndTest.KEY)
            .maxRetries(0)
            .build();
    try {
      ChatCompletionCreateParams params =
          ChatCompletionCreateParams.builder()
              .model("gpt-4o")
              .addUserMessageOfArrayOfContentParts(
                  List.of(
                      ChatCompletionContentPart.ofText(
                          ChatCompletionContentPartText.builder()
                              .text("What is in this picture?")
                              .build()),
                      ChatCompletionContentPart.ofImageUrl(
                          ChatCompletionContentPartImage.builder()
                              .imageUrl(
                                  ChatCompletionContentPartImage.ImageUrl.builder()
                                      .url(images.url("/redirect?to=/cat.png"))
                                      .build())
                              .build())))
              .build();
      ChatCompletion completion = client.chat().completions().create(params);
      assertThat(completion.choices().get(0).message().content())
          .contains("What is in this picture?");
      assertImageBlock(simulator.lastRequest(), "png", TestImageServer.PNG);

      ChatCompletionCreateParams tooLarge =
          params.toBuilder()
              .messages(List.of())
              .addUserMessageOfArrayOfContentParts(
                  List.of(
                      ChatCompletionContentPart.ofImageUrl(
                          ChatCompletionContentPartImage.builder()
                              .imageUrl(
                                  ChatCompletionContentPartImage.ImageUrl.builder()
                                      .url(images.url("/big"))
                                      .build())
                              .build())))
              .build();
      assertThatThrownBy(() -> client.chat().completions().create(tooLarge))
          .isInstanceOfSatisfying(
              BadRequestException.class,
              e -> {
                assertThat(e.param()).contains("messages[0].content[0].image_url.url");
                assertThat(e.code()).contains("invalid_image_url");
              });
    } finally {
      client.close();
    }
  }

  @Test
  void an_image_over_the_size_limit_is_a_400_naming_the_image_and_bedrock_is_not_called() {
    chat(withImage(images.url("/big-chunked"), false))
        .then()
        .statusCode(400)
        .body("error.type", equalTo("invalid_request_error"))
        .body("error.code", equalTo("invalid_image_url"))
        .body("error.param", equalTo("messages[0].content[1].image_url.url"))
        .body("error.message", containsString("larger than 3932160 bytes"));
    assertThat(simulator.requests()).isEmpty();
  }

  @Test
  void a_slow_image_host_is_a_400_after_the_fetch_timeout() {
    io.restassured.response.Response r = chat(withImage(images.url("/slow"), false));
    r.then()
        .statusCode(400)
        .body("error.param", equalTo("messages[0].content[1].image_url.url"))
        .body("error.message", containsString("did not finish within 1 s"));
    // the host holds its answer until released: the 400 came from the gateway's own timer
    assertThat(images.slowAnswered()).isFalse();
    images.releaseSlow();
    assertThat(simulator.requests()).isEmpty();
  }

  @Test
  void fetch_failures_say_what_went_wrong() {
    chat(withImage(images.url("/missing"), false))
        .then()
        .statusCode(400)
        .body(
            "error.message",
            equalTo(
                "Could not fetch the image at "
                    + images.url("/missing")
                    + ": the server answered HTTP 404."));
    chat(withImage(images.url("/page.html"), false))
        .then()
        .statusCode(400)
        .body(
            "error.message",
            containsString("not a PNG, JPEG, GIF or WebP image (Content-Type: text/html)"));
    assertThat(simulator.requests()).isEmpty();
  }

  @Test
  void the_metadata_service_stays_refused_whatever_else_is_allowed() {
    chat(withImage("http://169.254.169.254/latest/meta-data/", false))
        .then()
        .statusCode(400)
        .body("error.param", equalTo("messages[0].content[1].image_url.url"))
        .body("error.message", containsString("a link-local address"));
  }

  @Test
  void an_otherwise_invalid_request_is_refused_before_any_download() {
    int before = images.hits("/cat.png");
    chat("""
                {"model": "claude-haiku", "temperature": 7,
                 "messages": [{"role": "user", "content": [
                   {"type": "image_url", "image_url": {"url": "%s"}}]}]}
                """
            .formatted(images.url("/cat.png")))
        .then()
        .statusCode(400)
        .body("error.param", equalTo("temperature"));
    chat("""
                {"model": "claude-haiku",
                 "messages": [{"role": "system", "content": [
                   {"type": "image_url", "image_url": {"url": "%s"}}]},
                   {"role": "user", "content": "hi"}]}
                """
            .formatted(images.url("/cat.png")))
        .then()
        .statusCode(400)
        .body("error.param", equalTo("messages[0].content[0].type"));
    assertThat(images.hits("/cat.png")).isEqualTo(before);
    assertThat(simulator.requests()).isEmpty();
  }

  static io.restassured.response.Response responses(String body) {
    return given()
        .header("Authorization", "Bearer " + ChatCompletionsEndToEndTest.KEY)
        .contentType("application/json")
        .body(body)
        .when()
        .post("/v1/responses");
  }

  static void assertImage(JsonNode image, String format, byte[] bytes) {
    assertThat(image.path("format").asText()).isEqualTo(format);
    assertThat(Base64.getDecoder().decode(image.path("source").path("bytes").asText()))
        .isEqualTo(bytes);
  }

  @Test
  void responses_images_in_a_message_and_a_tool_output_are_fetched_and_a_continuation_keeps_them() {
    int pngHits = images.hits("/cat.png");
    int jpgHits = images.hits("/cat.jpg");
    String id =
        responses(
                """
                {"model": "claude-haiku",
                 "tools": [{"type": "function", "name": "get_chart", "parameters": {"type": "object"}}],
                 "input": [
                   {"role": "user", "content": [
                     {"type": "input_text", "text": "What is in this picture?"},
                     {"type": "input_image", "image_url": "%s"}]},
                   {"type": "function_call", "call_id": "call_1", "name": "get_chart", "arguments": "{}"},
                   {"type": "function_call_output", "call_id": "call_1", "output": [
                     {"type": "input_text", "text": "the chart"},
                     {"type": "input_image", "image_url": "%s"}]}]}
                """
                    .formatted(images.url("/cat.png"), images.url("/cat.jpg")))
            .then()
            .statusCode(200)
            .extract()
            .path("id");
    JsonNode messages = simulator.lastRequest().body().path("messages");
    assertThat(messages.path(0).path("content").path(0).path("text").asText())
        .isEqualTo("What is in this picture?");
    assertImage(messages.path(0).path("content").path(1).path("image"), "png", TestImageServer.PNG);
    JsonNode result = messages.path(2).path("content").path(0).path("toolResult");
    assertThat(result.path("content").path(0).path("text").asText()).isEqualTo("the chart");
    assertImage(result.path("content").path(1).path("image"), "jpeg", TestImageServer.JPEG);
    assertThat(images.hits("/cat.png")).isEqualTo(pngHits + 1);
    assertThat(images.hits("/cat.jpg")).isEqualTo(jpgHits + 1);

    // the stored conversation holds the images themselves: continuing it downloads nothing
    simulator.clearRequests();
    responses(
            "{\"model\": \"claude-haiku\", \"stream\": true, \"previous_response_id\": \""
                + id
                + "\", \"input\": \"And now?\"}")
        .then()
        .statusCode(200);
    messages = simulator.lastRequest().body().path("messages");
    assertImage(messages.path(0).path("content").path(1).path("image"), "png", TestImageServer.PNG);
    assertImage(
        messages
            .path(2)
            .path("content")
            .path(0)
            .path("toolResult")
            .path("content")
            .path(1)
            .path("image"),
        "jpeg",
        TestImageServer.JPEG);
    assertThat(images.hits("/cat.png")).isEqualTo(pngHits + 1);
    assertThat(images.hits("/cat.jpg")).isEqualTo(jpgHits + 1);
  }

  @Test
  void a_streamed_responses_request_gets_its_remote_image_and_failures_name_the_item() {
    responses(
            """
            {"model": "claude-haiku", "stream": true, "input": [{"role": "user", "content": [
              {"type": "input_text", "text": "What is in this picture?"},
              {"type": "input_image", "image_url": "%s"}]}]}
            """
                .formatted(images.url("/untyped.jpg")))
        .then()
        .statusCode(200)
        .body(containsString("response.completed"));
    RecordedRequest received = simulator.lastRequest();
    assertThat(received.streaming()).isTrue();
    assertImageBlock(received, "jpeg", TestImageServer.JPEG);

    simulator.clearRequests();
    responses(
            """
            {"model": "claude-haiku", "stream": true, "input": [{"role": "user", "content": [
              {"type": "input_text", "text": "What is in this picture?"},
              {"type": "input_image", "image_url": "%s"}]}]}
            """
                .formatted(images.url("/missing")))
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_image_url"))
        .body("error.param", equalTo("input[0].content[1].image_url"))
        .body(
            "error.message",
            equalTo(
                "Could not fetch the image at "
                    + images.url("/missing")
                    + ": the server answered HTTP 404."));
    assertThat(simulator.requests()).isEmpty();
  }
}
