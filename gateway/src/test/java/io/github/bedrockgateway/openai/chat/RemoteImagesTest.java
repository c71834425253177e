package io.github.bedrockgateway.openai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.images.AddressPolicy;
import io.github.bedrockgateway.images.ImageFetcher;
import io.github.bedrockgateway.images.TestImageServer;
import io.github.bedrockgateway.json.Json;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JSON seam: which parts are fetched, what replaces them, and the param a failure names. */
class RemoteImagesTest {

  static Vertx vertx;
  static TestImageServer server;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = new TestImageServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static RemoteImages images(boolean enabled) {
    return new RemoteImages(
        vertx,
        enabled,
        new ImageFetcher.Options(
            Duration.ofSeconds(5), 3_932_160, 3, AddressPolicy.of(List.of("127.0.0.1"))));
  }

  static JsonNode inline(RemoteImages images, String body) throws Exception {
    return images
        .inline(Json.MAPPER.readTree(body))
        .toCompletionStage()
        .toCompletableFuture()
        .get(15, TimeUnit.SECONDS);
  }

  static GatewayException refused(RemoteImages images, String body) throws Exception {
    try {
      inline(images, body);
    } catch (ExecutionException e) {
      return (GatewayException) e.getCause();
    }
    throw new AssertionError("expected a refusal");
  }

  @Test
  void replaces_each_remote_url_by_a_data_url_in_both_shapes_and_leaves_the_rest_alone()
      throws Exception {
    String dataUrl = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
    JsonNode out =
        inline(
            images(true),
            """
                {"model": "m", "messages": [
                  {"role": "system", "content": "be brief"},
                  {"role": "user", "content": [
                    {"type": "text", "text": "two pictures"},
                    {"type": "image_url", "image_url": {"url": "%s", "detail": "high"}},
                    {"type": "image_url", "image_url": "%s"},
                    {"type": "image_url", "image_url": {"url": "%s"}}]}]}
                """
                .formatted(server.url("/cat.png"), server.url("/cat.jpg"), dataUrl));
    JsonNode parts = out.path("messages").path(1).path("content");
    assertThat(parts.path(1).path("image_url").path("url").asText())
        .isEqualTo(
            "data:image/png;base64," + Base64.getEncoder().encodeToString(TestImageServer.PNG));
    assertThat(parts.path(1).path("image_url").path("detail").asText()).isEqualTo("high");
    assertThat(parts.path(2).path("image_url").asText())
        .isEqualTo(
            "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(TestImageServer.JPEG));
    assertThat(parts.path(3).path("image_url").path("url").asText()).isEqualTo(dataUrl);
    assertThat(out.path("messages").path(0).path("content").asText()).isEqualTo("be brief");
  }

  @Test
  void a_body_without_remote_images_is_returned_as_is_without_validation() throws Exception {
    JsonNode body = Json.MAPPER.readTree("{\"not\": \"even a chat request\"}");
    assertThat(images(true).inline(body).result()).isSameAs(body);
  }

  @Test
  void a_failure_names_the_param_of_the_image_in_its_shape() throws Exception {
    GatewayException e =
        refused(
            images(true),
            """
                {"model": "m", "messages": [
                  {"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"},
                  {"role": "user", "content": [{"type": "image_url", "image_url": "%s"}]}]}
                """
                .formatted(server.url("/missing")));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.param()).isEqualTo("messages[2].content[0].image_url");
    assertThat(e.code()).isEqualTo("invalid_image_url");
    assertThat(e.getMessage())
        .isEqualTo(
            "Could not fetch the image at "
                + server.url("/missing")
                + ": the server answered HTTP 404.");
  }

  @Test
  void when_remote_images_are_switched_off_they_are_refused_without_a_download() throws Exception {
    int before = server.hits("/cat.png");
    GatewayException e =
        refused(
            images(false),
            """
                {"model": "m", "messages": [{"role": "user", "content": [
                  {"type": "image_url", "image_url": {"url": "%s"}}]}]}
                """
                .formatted(server.url("/cat.png")));
    assertThat(e.param()).isEqualTo("messages[0].content[0].image_url.url");
    assertThat(e.code()).isEqualTo("unsupported_parameter");
    assertThat(e.getMessage()).contains("gateway.images.remote-enabled=false");
    assertThat(server.hits("/cat.png")).isEqualTo(before);
  }

  @Test
  void more_remote_images_than_bedrock_accepts_are_refused_before_any_download() throws Exception {
    int before = server.hits("/cat.png");
    StringBuilder parts = new StringBuilder();
    for (int i = 0; i < 21; i++) {
      parts
          .append(i == 0 ? "" : ",")
          .append("{\"type\": \"image_url\", \"image_url\": {\"url\": \"")
          .append(server.url("/cat.png"))
          .append("\"}}");
    }
    GatewayException e =
        refused(
            images(true),
            "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": ["
                + parts
                + "]}]}");
    assertThat(e.param()).isEqualTo("messages[0].content[20].image_url.url");
    assertThat(e.getMessage()).contains("Too many images");
    assertThat(server.hits("/cat.png")).isEqualTo(before);
  }
}
