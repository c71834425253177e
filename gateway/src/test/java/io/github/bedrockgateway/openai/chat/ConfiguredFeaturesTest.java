package io.github.bedrockgateway.openai.chat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import io.github.bedrockgateway.images.TestImageServer;
import io.github.bedrockgateway.json.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator's settings: a default guardrail (with its stream processing mode), automatic cache
 * points, and the reasoning budgets, through the official OpenAI SDK.
 */
@QuarkusTest
@TestProfile(ConfiguredFeaturesTest.Configured.class)
class ConfiguredFeaturesTest extends OpenAiClientTest {

  public static class Configured implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "gateway.guardrail.id", "gr-company",
          "gateway.guardrail.version", "7",
          "gateway.guardrail.trace", "enabled_full",
          "gateway.guardrail.stream-processing-mode", "async",
          "gateway.prompt-caching.auto", "true",
          "gateway.reasoning.low-budget", "3000",
          "gateway.reasoning.answer-tokens", "500");
    }
  }

  @Test
  void the_configured_guardrail_guards_every_request_and_a_request_may_not_replace_it() {
    ChatCompletionCreateParams p =
        ChatCompletionCreateParams.builder()
            .model("claude-haiku")
            .addUserMessage("@sim reply=Blocked.\n@sim stop=guardrail_intervened")
            .build();
    ChatCompletion plain = client.chat().completions().create(p);
    assertThat(plain.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
    assertThat(simulator.lastRequest().body().get("guardrailConfig"))
        .isEqualTo(
            json(
                "{\"guardrailIdentifier\": \"gr-company\", \"guardrailVersion\": \"7\", \"trace\": \"enabled_full\"}"));

    ChatCompletion.Choice.FinishReason streamed = null;
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(p)) {
      for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
        for (ChatCompletionChunk.Choice choice : chunk.choices()) {
          if (choice.finishReason().isPresent()) {
            streamed =
                ChatCompletion.Choice.FinishReason.of(choice.finishReason().get().asString());
          }
        }
      }
    }
    assertThat(streamed).isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
    assertThat(simulator.lastRequest().body().get("guardrailConfig"))
        .isEqualTo(
            json(
                "{\"guardrailIdentifier\": \"gr-company\","
                    + " \"guardrailVersion\": \"7\", \"trace\": \"enabled_full\", \"streamProcessingMode\": \"async\"}"));

    simulator.clearRequests();
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        p.toBuilder()
                            .putAdditionalBodyProperty(
                                "guardrailConfig",
                                JsonValue.from(
                                    Map.of(
                                        "guardrailIdentifier",
                                        "none-of-that",
                                        "guardrailVersion",
                                        "1")))
                            .build()))
        .isInstanceOfSatisfying(
            PermissionDeniedException.class,
            e -> {
              assertThat(e.param()).contains("guardrailConfig");
              assertThat(e.code()).contains("guardrail_override_not_allowed");
            });
    assertThat(simulator.requests()).isEmpty();
  }

  @Test
  void automatic_cache_points_after_system_and_tools_make_the_second_request_a_cache_read() {
    String rules = "Automatic caching rules for this test only. ".repeat(30);
    ChatCompletionCreateParams p =
        ChatCompletionCreateParams.builder()
            .model("claude-haiku")
            .addSystemMessage(rules)
            .addUserMessage("@sim reply=Ok.")
            .addTool(
                ChatCompletionFunctionTool.builder()
                    .function(FunctionDefinition.builder().name("lookup").build())
                    .build())
            .build();
    CompletionUsage first = client.chat().completions().create(p).usage().orElseThrow();
    JsonNode body = simulator.lastRequest().body();
    assertThat(body.at("/system/1/cachePoint/type").asText()).isEqualTo("default");
    assertThat(body.at("/toolConfig/tools/1/cachePoint/type").asText()).isEqualTo("default");
    assertThat(first.promptTokensDetails().orElseThrow().cacheWriteTokens().orElseThrow())
        .isPositive();

    CompletionUsage second = null;
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(
                p.toBuilder()
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build())) {
      stream.stream().forEach(chunks::add);
    }
    for (ChatCompletionChunk chunk : chunks) {
      second = chunk.usage().orElse(second);
    }
    assertThat(second.promptTokensDetails().orElseThrow().cachedTokens())
        .isEqualTo(first.promptTokensDetails().get().cacheWriteTokens());
    assertThat(second.promptTokens()).isEqualTo(first.promptTokens());
  }

  @Test
  void reasoning_budgets_and_answer_room_come_from_the_configuration() {
    client
        .chat()
        .completions()
        .create(
            ChatCompletionCreateParams.builder()
                .model("gpt-4o")
                .addUserMessage("@sim reply=Hm.")
                .reasoningEffort(ReasoningEffort.LOW)
                .build());
    JsonNode body = simulator.lastRequest().body();
    assertThat(body.at("/additionalModelRequestFields/thinking/budget_tokens").asInt())
        .isEqualTo(3000);
    assertThat(body.at("/inferenceConfig/maxTokens").asInt()).isEqualTo(3500);
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * The request is translated once, with the operator's options, before its images are fetched:
   * this guardrailConfig is refused by this profile (a configured guardrail, no override), though
   * the default options accept it. (A validation pass with the default options, as the gateway once
   * ran, let it through to the download, and answered 400 invalid_image_url instead.)
   */
  @Test
  void a_request_the_operators_options_refuse_is_refused_before_its_remote_image_is_fetched() {
    try (TestImageServer images = new TestImageServer()) {
      String guardrail =
          "\"guardrailConfig\": {\"guardrailIdentifier\": \"gr-mine\", \"guardrailVersion\": \"1\"}";
      ChatCompletionsEndToEndTest.chat(
              """
              {"model": "claude-haiku", %s, "messages": [{"role": "user", "content": [
                {"type": "image_url", "image_url": {"url": "%s"}}]}]}
              """
                  .formatted(guardrail, images.url("/cat.png")))
          .then()
          .statusCode(403)
          .body("error.code", equalTo("guardrail_override_not_allowed"))
          .body("error.param", equalTo("guardrailConfig"));
      given()
          .header("Authorization", "Bearer " + ChatCompletionsEndToEndTest.KEY)
          .contentType("application/json")
          .body(
              """
              {"model": "claude-haiku", %s, "input": [{"role": "user", "content": [
                {"type": "input_image", "image_url": "%s"}]}]}
              """
                  .formatted(guardrail, images.url("/cat.png")))
          .when()
          .post("/v1/responses")
          .then()
          .statusCode(403)
          .body("error.code", equalTo("guardrail_override_not_allowed"));
      assertThat(images.hits("/cat.png")).isZero();
      assertThat(simulator.requests()).isEmpty();
    }
  }
}
