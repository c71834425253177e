package io.github.bedrockgateway.openai.chat;

import static io.github.bedrockgateway.openai.chat.ChatCompletionsEndToEndTest.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.github.bedrockgateway.images.TestImageServer;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With the default configuration (no allow-list) internal addresses are never fetched from. */
@QuarkusTest
class RemoteImagesRefusedEndToEndTest {

  static TestImageServer images;

  @Inject EmbeddedSimulator embedded;

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
    embedded.simulator().clearRequests();
  }

  @Test
  void a_loopback_image_url_is_refused_without_an_allow_list_and_never_fetched() {
    chat(RemoteImagesEndToEndTest.withImage(images.url("/cat.png"), false))
        .then()
        .statusCode(400)
        .body("error.type", equalTo("invalid_request_error"))
        .body("error.code", equalTo("invalid_image_url"))
        .body("error.param", equalTo("messages[0].content[1].image_url.url"))
        .body("error.message", containsString("resolves to 127.0.0.1, a loopback address"))
        .body("error.message", containsString("gateway.images.allowed-hosts"));
    assertThat(images.hits("/cat.png")).isZero();
    assertThat(embedded.simulator().requests()).isEmpty();
  }

  @Test
  void the_instance_metadata_service_is_refused() {
    chat("""
                {"model": "claude-haiku", "messages": [{"role": "user", "content": [
                  {"type": "text", "text": "look"},
                  {"type": "image_url", "image_url": {"url": "http://169.254.169.254/latest/meta-data/iam/security-credentials/"}}]},
                  {"role": "assistant", "content": "ok"},
                  {"role": "user", "content": [{"type": "image_url", "image_url": "http://[fd00:ec2::254]/latest/"}]}]}
                """)
        .then()
        .statusCode(400)
        .body("error.param", equalTo("messages[0].content[1].image_url.url"))
        .body("error.message", containsString("169.254.169.254, a link-local address"));
    assertThat(embedded.simulator().requests()).isEmpty();
  }
}
