package io.github.bedrockgateway.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bedrockgateway.converse.PendingImage;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.openai.chat.ChatRequest;
import io.github.bedrockgateway.openai.chat.OpenAiToConverse;
import io.github.bedrockgateway.openai.responses.ResponsesRequest;
import io.github.bedrockgateway.openai.responses.ResponsesToConverse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;

/**
 * The translators meet {@code http(s)://} image URLs: each becomes a placeholder block in the
 * Converse request and a pending image naming its param, in request order; every other check still
 * applies, so a request refused anyway is refused by the translation, before any download.
 */
class RemoteImageTranslationTest {

  static final String PNG_URL = "https://img.example/cat.png";
  static final String JPG_URL = "http://img.example/dog.jpg";
  static final String DATA_URL = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
  static final String WEATHER =
      "{\"type\": \"function\", \"name\": \"get_weather\", \"parameters\": {\"type\": \"object\"}}";

  /** One translation: the Converse request and its pending images. */
  record Translated(ConverseRequest converse, List<PendingImage> pending) {}

  static Translated chat(String body) throws Exception {
    ChatRequest r = OpenAiToConverse.translate(Json.MAPPER.readTree(body), m -> m);
    return new Translated(r.converse(), r.remoteImages());
  }

  static Translated responses(String body) throws Exception {
    ResponsesRequest r = ResponsesToConverse.translate(Json.MAPPER.readTree(body), m -> m);
    return new Translated(r.converse(), r.remoteImages());
  }

  interface Translator {
    Translated translate(String body) throws Exception;
  }

  /**
   * Where a placeholder sits in the Converse request: {@code m<i>.c<j>} for a message block, plus
   * {@code .r<k>} inside a tool result; null when it is not there.
   */
  static String locate(ConverseRequest converse, ImageBlock placeholder) {
    List<Message> messages = converse.messages();
    for (int i = 0; i < messages.size(); i++) {
      List<ContentBlock> content = messages.get(i).content();
      for (int j = 0; j < content.size(); j++) {
        ContentBlock b = content.get(j);
        if (b.image() == placeholder) {
          return "m" + i + ".c" + j;
        }
        if (b.toolResult() != null) {
          List<ToolResultContentBlock> parts = b.toolResult().content();
          for (int k = 0; k < parts.size(); k++) {
            if (parts.get(k).image() == placeholder) {
              return "m" + i + ".c" + j + ".r" + k;
            }
          }
        }
      }
    }
    return null;
  }

  static Arguments row(
      String name,
      Translator t,
      String body,
      List<String> urls,
      List<String> params,
      List<String> at) {
    return Arguments.of(name, t, body, urls, params, at);
  }

  static Stream<Arguments> pending() {
    Translator chat = RemoteImageTranslationTest::chat;
    Translator responses = RemoteImageTranslationTest::responses;
    return Stream.of(
        row(
            "chat: image_url object in a user message",
            chat,
            """
                {"model": "m", "messages": [{"role": "user", "content": [
                  {"type": "text", "text": "look"},
                  {"type": "image_url", "image_url": {"url": "%s", "detail": "low"}}]}]}
                """
                .formatted(PNG_URL),
            List.of(PNG_URL),
            List.of("messages[0].content[1].image_url.url"),
            List.of("m0.c1")),
        row(
            "chat: string image_url, a data URL left alone, two user turns",
            chat,
            """
                {"model": "m", "messages": [
                  {"role": "system", "content": "be brief"},
                  {"role": "user", "content": [{"type": "image_url", "image_url": "%s"},
                    {"type": "image_url", "image_url": {"url": "%s"}}]},
                  {"role": "assistant", "content": "a cat"},
                  {"role": "user", "content": [{"type": "text", "text": "and this?"},
                    {"type": "image_url", "image_url": {"url": "%s"}}]}]}
                """
                .formatted(PNG_URL, DATA_URL, JPG_URL),
            List.of(PNG_URL, JPG_URL),
            List.of("messages[1].content[0].image_url", "messages[3].content[1].image_url.url"),
            List.of("m0.c0", "m2.c1")),
        row(
            "responses: input_image in a user message",
            responses,
            """
                {"model": "m", "input": [{"role": "user", "content": [
                  {"type": "input_text", "text": "look"},
                  {"type": "input_image", "image_url": "%s", "detail": "auto"}]}]}
                """
                .formatted(PNG_URL),
            List.of(PNG_URL),
            List.of("input[0].content[1].image_url"),
            List.of("m0.c1")),
        row(
            "responses: input_image in a function_call_output, then in a user message",
            responses,
            """
                {"model": "m", "tools": [%s], "input": [
                  {"role": "user", "content": "Weather?"},
                  {"type": "function_call", "call_id": "c1", "name": "get_weather", "arguments": ""},
                  {"type": "function_call_output", "call_id": "c1", "output": [
                    {"type": "input_text", "text": "a chart"},
                    {"type": "input_image", "image_url": "%s"}]},
                  {"role": "user", "content": [{"type": "input_image", "image_url": "%s"}]}]}
                """
                .formatted(WEATHER, PNG_URL, JPG_URL),
            List.of(PNG_URL, JPG_URL),
            List.of("input[2].output[1].image_url", "input[3].content[0].image_url"),
            List.of("m2.c0.r1", "m2.c1")),
        row(
            "responses: input_image in a custom_tool_call_output",
            responses,
            """
                {"model": "m", "tools": [{"type": "custom", "name": "shot"}], "input": [
                  {"role": "user", "content": "Screenshot?"},
                  {"type": "custom_tool_call", "call_id": "c1", "name": "shot", "input": "x"},
                  {"type": "custom_tool_call_output", "call_id": "c1", "output": [
                    {"type": "input_image", "image_url": "%s"}]}]}
                """
                .formatted(JPG_URL),
            List.of(JPG_URL),
            List.of("input[2].output[0].image_url"),
            List.of("m2.c0.r0")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void pending(
      String name,
      Translator translator,
      String body,
      List<String> urls,
      List<String> params,
      List<String> at)
      throws Exception {
    Translated t = translator.translate(body);
    assertThat(t.pending()).extracting(PendingImage::url).isEqualTo(urls);
    assertThat(t.pending()).extracting(PendingImage::param).isEqualTo(params);
    List<String> found = new ArrayList<>();
    for (PendingImage image : t.pending()) {
      found.add(locate(t.converse(), image.placeholder()));
    }
    assertThat(found).isEqualTo(at);
  }

  static Stream<Arguments> refused() {
    Translator chat = RemoteImageTranslationTest::chat;
    Translator responses = RemoteImageTranslationTest::responses;
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 21; i++) {
      many.append(i == 0 ? "" : ",")
          .append("{\"type\": \"input_image\", \"image_url\": \"")
          .append(PNG_URL)
          .append("\"}");
    }
    return Stream.of(
        Arguments.of(
            "chat: a bad parameter next to a remote image",
            chat,
            """
                {"model": "m", "temperature": 7, "messages": [{"role": "user", "content": [
                  {"type": "image_url", "image_url": {"url": "%s"}}]}]}
                """
                .formatted(PNG_URL),
            "temperature"),
        Arguments.of(
            "chat: a remote image in a system message",
            chat,
            """
                {"model": "m", "messages": [{"role": "system", "content": [
                  {"type": "image_url", "image_url": {"url": "%s"}}]},
                  {"role": "user", "content": "hi"}]}
                """
                .formatted(PNG_URL),
            "messages[0].content[0].type"),
        Arguments.of(
            "responses: more remote images than Bedrock takes",
            responses,
            "{\"model\": \"m\", \"input\": [{\"role\": \"user\", \"content\": [" + many + "]}]}",
            "input[0].content[20].image_url"),
        Arguments.of(
            "responses: a remote image in a developer message",
            responses,
            """
                {"model": "m", "input": [{"role": "developer", "content": [
                  {"type": "input_image", "image_url": "%s"}]},
                  {"role": "user", "content": "hi"}]}
                """
                .formatted(PNG_URL),
            "input[0].content[0].type"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void refused(String name, Translator translator, String body, String param) {
    assertThatThrownBy(() -> translator.translate(body))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.param()).isEqualTo(param));
  }
}
