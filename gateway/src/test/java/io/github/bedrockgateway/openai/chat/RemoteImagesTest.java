package io.github.bedrockgateway.openai.chat;

import static org.assertj.core.api.Assertions.assertThat;

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
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;

/**
 * The seam between translation and download: which parts are fetched, what replaces their
 * placeholders, and the param a failure names.
 */
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
    return images(enabled, 3_932_160);
  }

  static RemoteImages images(boolean enabled, int maxBytes) {
    return new RemoteImages(
        vertx,
        enabled,
        new ImageFetcher.Options(
            Duration.ofSeconds(5), maxBytes, 3, AddressPolicy.of(List.of("127.0.0.1"))));
  }

  /** Translates the request, downloads its remote images and puts them in place, as the route. */
  static ChatRequest resolve(RemoteImages images, String body) throws Exception {
    ChatRequest request = OpenAiToConverse.translate(Json.MAPPER.readTree(body), m -> m);
    List<ImageBlock> downloaded =
        images
            .download(request.remoteImages())
            .toCompletionStage()
            .toCompletableFuture()
            .get(15, TimeUnit.SECONDS);
    return request.withImages(downloaded);
  }

  static GatewayException refused(RemoteImages images, String body) throws Exception {
    try {
      resolve(images, body);
    } catch (GatewayException e) {
      return e;
    } catch (ExecutionException e) {
      return (GatewayException) e.getCause();
    }
    throw new AssertionError("expected a refusal");
  }

  static void assertImage(ContentBlock block, ImageFormat format, byte[] bytes) {
    assertThat(block.image().format()).isEqualTo(format);
    assertThat(block.image().source().bytes().asByteArray()).isEqualTo(bytes);
  }

  @Test
  void puts_each_remote_image_in_place_in_both_shapes_and_leaves_the_rest_alone() throws Exception {
    String dataUrl = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
    ChatRequest out =
        resolve(
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
    assertThat(out.remoteImages()).isEmpty();
    List<ContentBlock> parts = out.converse().messages().get(0).content();
    assertThat(parts).hasSize(4);
    assertThat(parts.get(0).text()).isEqualTo("two pictures");
    assertImage(parts.get(1), ImageFormat.PNG, TestImageServer.PNG);
    assertImage(parts.get(2), ImageFormat.JPEG, TestImageServer.JPEG);
    assertImage(
        parts.get(3),
        ImageFormat.GIF,
        Base64.getDecoder().decode(dataUrl.substring(dataUrl.indexOf(',') + 1)));
    assertThat(out.converse().system().get(0).text()).isEqualTo("be brief");
  }

  @Test
  void a_request_without_remote_images_has_nothing_to_download() throws Exception {
    ChatRequest request =
        OpenAiToConverse.translate(
            Json.MAPPER.readTree(
                "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"),
            m -> m);
    assertThat(request.remoteImages()).isEmpty();
    assertThat(images(true).download(request.remoteImages()).result()).isEmpty();
    assertThat(request.withImages(List.of()).converse()).isSameAs(request.converse());
  }

  @Test
  void an_image_larger_than_bedrock_accepts_is_refused_even_when_the_operator_allows_it()
      throws Exception {
    GatewayException e =
        refused(
            images(true, 8 * 1024 * 1024),
            """
                {"model": "m", "messages": [{"role": "user", "content": [
                  {"type": "image_url", "image_url": "%s"}]}]}
                """
                .formatted(server.url("/big")));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.param()).isEqualTo("messages[0].content[0].image_url");
    assertThat(e.getMessage())
        .isEqualTo("Image too large: Bedrock accepts images of at most 3.75 MB.");
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
