package io.github.bedrockgateway.converse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;

/** Putting downloaded images in place of their placeholders in a built Converse request. */
class PendingImageTest {

  static PendingImage pending(String param) {
    return PendingImage.of(
        "https://img.example/" + param, param, Json.MAPPER.createObjectNode(), "image_url");
  }

  static ContentBlock text(String text) {
    return ContentBlock.fromText(text);
  }

  static Message user(ContentBlock... blocks) {
    return Message.builder().role(ConversationRole.USER).content(blocks).build();
  }

  @Test
  void each_placeholder_becomes_its_image_with_the_bytes_not_copied_and_the_rest_kept() {
    PendingImage first = pending("a");
    PendingImage second = pending("b");
    Message assistant =
        Message.builder().role(ConversationRole.ASSISTANT).content(text("seen")).build();
    ConverseRequest request =
        ConverseRequest.builder()
            .modelId("m")
            .system(s -> s.text("be brief"))
            .messages(
                user(text("one"), ContentBlock.fromImage(first.placeholder())),
                assistant,
                user(ContentBlock.fromImage(second.placeholder()), text("two")))
            .build();
    byte[] png = {1, 2, 3};
    byte[] gif = {4, 5};
    ImageBlock pngImage = first.image(ImageFormat.PNG, png);
    ImageBlock gifImage = second.image(ImageFormat.GIF, gif);

    ConverseRequest filled =
        PendingImage.fill(request, List.of(first, second), List.of(pngImage, gifImage));

    List<Message> messages = filled.messages();
    assertThat(messages).hasSize(3);
    assertThat(messages.get(0).content().get(0).text()).isEqualTo("one");
    assertThat(messages.get(0).content().get(1).image()).isSameAs(pngImage);
    assertThat(pngImage.source().bytes().asByteArrayUnsafe()).isSameAs(png);
    assertThat(messages.get(1)).isSameAs(assistant);
    assertThat(messages.get(2).content().get(0).image()).isSameAs(gifImage);
    assertThat(messages.get(2).content().get(0).image().format()).isEqualTo(ImageFormat.GIF);
    assertThat(messages.get(2).content().get(1).text()).isEqualTo("two");
    assertThat(filled.modelId()).isEqualTo("m");
    assertThat(filled.system()).isEqualTo(request.system());
    // the translated request is left as it was
    assertThat(request.messages().get(0).content().get(1).image()).isSameAs(first.placeholder());
  }

  @Test
  void placeholders_inside_tool_results_are_replaced_in_place() {
    PendingImage inResult = pending("input[1].output[1].image_url");
    PendingImage after = pending("input[2].content[0].image_url");
    ToolResultBlock result =
        ToolResultBlock.builder()
            .toolUseId("call_1")
            .content(
                ToolResultContentBlock.fromText("the chart:"),
                ToolResultContentBlock.fromImage(inResult.placeholder()),
                ToolResultContentBlock.fromText("done"))
            .build();
    ConverseRequest request =
        ConverseRequest.builder()
            .modelId("m")
            .messages(
                user(
                    ContentBlock.fromToolResult(result),
                    ContentBlock.fromImage(after.placeholder())))
            .build();
    ImageBlock chart = inResult.image(ImageFormat.JPEG, new byte[] {9});
    ImageBlock photo = after.image(ImageFormat.WEBP, new byte[] {8});

    ConverseRequest filled =
        PendingImage.fill(request, List.of(inResult, after), List.of(chart, photo));

    List<ContentBlock> content = filled.messages().get(0).content();
    ToolResultBlock filledResult = content.get(0).toolResult();
    assertThat(filledResult.toolUseId()).isEqualTo("call_1");
    assertThat(filledResult.content()).hasSize(3);
    assertThat(filledResult.content().get(0).text()).isEqualTo("the chart:");
    assertThat(filledResult.content().get(1).image()).isSameAs(chart);
    assertThat(filledResult.content().get(2).text()).isEqualTo("done");
    assertThat(content.get(1).image()).isSameAs(photo);
  }

  @Test
  void placeholders_are_told_apart_by_identity_not_by_value() {
    PendingImage first = pending("a");
    PendingImage second = pending("b");
    assertThat(first.placeholder())
        .isEqualTo(second.placeholder())
        .isNotSameAs(second.placeholder());
    ConverseRequest request =
        ConverseRequest.builder()
            .modelId("m")
            .messages(
                user(
                    ContentBlock.fromImage(second.placeholder()),
                    ContentBlock.fromImage(first.placeholder())))
            .build();
    ImageBlock a = first.image(ImageFormat.PNG, new byte[] {1});
    ImageBlock b = second.image(ImageFormat.PNG, new byte[] {2});

    List<ContentBlock> content =
        PendingImage.fill(request, List.of(first, second), List.of(a, b))
            .messages()
            .get(0)
            .content();

    assertThat(content.get(0).image()).isSameAs(b);
    assertThat(content.get(1).image()).isSameAs(a);
  }

  @Test
  void nothing_pending_leaves_the_request_as_it_is() {
    ConverseRequest request =
        ConverseRequest.builder().modelId("m").messages(user(text("hi"))).build();
    assertThat(PendingImage.fill(request, List.of(), List.of())).isSameAs(request);
  }

  @Test
  void a_placeholder_missing_from_the_request_or_a_count_mismatch_is_a_bug_not_a_silent_gap() {
    PendingImage image = pending("a");
    ConverseRequest request =
        ConverseRequest.builder().modelId("m").messages(user(text("hi"))).build();
    ImageBlock block = image.image(ImageFormat.PNG, new byte[] {1});
    assertThatThrownBy(() -> PendingImage.fill(request, List.of(image), List.of(block)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> PendingImage.fill(request, List.of(image), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_downloaded_image_converse_would_refuse_is_refused_naming_its_param() {
    PendingImage image = pending("messages[0].content[1].image_url.url");
    assertThatThrownBy(
            () -> image.image(ImageFormat.PNG, new byte[Attachments.MAX_IMAGE_BYTES + 1]))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.param()).isEqualTo("messages[0].content[1].image_url.url");
              assertThat(e.getMessage())
                  .isEqualTo("Image too large: Bedrock accepts images of at most 3.75 MB.");
            });
    assertThatThrownBy(() -> image.image(ImageFormat.PNG, new byte[0]))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> assertThat(e.getMessage()).isEqualTo("Invalid image data: it is empty."));
    assertThat(image.image(ImageFormat.PNG, new byte[Attachments.MAX_IMAGE_BYTES]).format())
        .isEqualTo(ImageFormat.PNG);
  }

  @Test
  void only_http_and_https_urls_are_remote() {
    assertThat(PendingImage.isRemote("https://img.example/a.png")).isTrue();
    assertThat(PendingImage.isRemote("  HTTP://img.example/a.png")).isTrue();
    assertThat(PendingImage.isRemote("data:image/png;base64,AAAA")).isFalse();
    assertThat(PendingImage.isRemote("ftp://img.example/a.png")).isFalse();
  }
}
