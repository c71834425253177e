package io.github.bedrockgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.bedrock.ClaudeBetas;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table tests: a Messages body and its headers in, the whole InvokeModel body for Claude on Bedrock
 * out.
 */
class ClaudeBodyTest {

  private static final ClaudeBetas BETAS =
      ClaudeBetas.parse(List.of(ClaudeBetas.DEFAULT.split(",")));
  private static final OutputLimits LIMITS =
      OutputLimits.parse(List.of(OutputLimits.DEFAULT.split(",")));
  private static final String SONNET_45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  private static final String OPUS_41 = "us.anthropic.claude-opus-4-1-20250805-v1:0";

  static Stream<Arguments> bodies() {
    return Stream.of(
        Arguments.of(
            "model and stream dropped, bedrock version set, the rest as sent",
            SONNET_45,
            List.of(),
            """
            {"model": "claude-sonnet-4-5", "max_tokens": 100, "stream": true,
             "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
             "messages": [{"role": "user", "content": "hi"}],
             "temperature": 0.5, "top_k": 5, "stop_sequences": ["END"], "metadata": {"user_id": "u-1"},
             "tools": [{"name": "t", "input_schema": {"type": "object"}, "defer_loading": true}],
             "tool_choice": {"type": "auto", "disable_parallel_tool_use": true}}
            """,
            """
            {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100,
             "messages": [{"role": "user", "content": "hi"}],
             "temperature": 0.5, "top_k": 5, "stop_sequences": ["END"], "metadata": {"user_id": "u-1"},
             "tools": [{"name": "t", "input_schema": {"type": "object"}, "defer_loading": true}],
             "tool_choice": {"type": "auto", "disable_parallel_tool_use": true},
             "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral", "ttl": "1h"}}]}
            """),
        Arguments.of(
            "what Claude Code sends: 128k clamped, betas filtered, system turn folded, new fields kept",
            SONNET_45,
            List.of(
                "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27",
                "advanced-tool-use-2025-11-20, effort-2025-11-24"),
            """
            {"model": "claude-sonnet-4-5", "max_tokens": 128000, "stream": true,
             "thinking": {"type": "adaptive", "display": "omitted"},
             "context_management": {"edits": [{"type": "clear_thinking_20251015", "keep": "all"}]},
             "output_config": {"effort": "medium"},
             "system": [{"type": "text", "text": "You are Claude Code."}],
             "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]},
                          {"role": "system", "content": "Reminder: be careful."},
                          {"role": "assistant", "content": "ok"}]}
            """,
            """
            {"anthropic_version": "bedrock-2023-05-31",
             "anthropic_beta": ["interleaved-thinking-2025-05-14", "context-management-2025-06-27",
                                "tool-search-tool-2025-10-19", "effort-2025-11-24"],
             "max_tokens": 64000,
             "thinking": {"type": "adaptive", "display": "omitted"},
             "context_management": {"edits": [{"type": "clear_thinking_20251015", "keep": "all"}]},
             "output_config": {"effort": "medium"},
             "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]},
                          {"role": "assistant", "content": "ok"}],
             "system": [{"type": "text", "text": "You are Claude Code."},
                        {"type": "text", "text": "Reminder: be careful."}]}
            """),
        Arguments.of(
            "a string system prompt becomes a block when a system turn joins it",
            SONNET_45,
            List.of(),
            """
            {"model": "m", "max_tokens": 10, "system": "Be brief.",
             "messages": [{"role": "system", "content": [{"type": "text", "text": "Use French.",
                                                          "cache_control": {"type": "ephemeral"}}]},
                          {"role": "user", "content": "hi"}]}
            """,
            """
            {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 10,
             "messages": [{"role": "user", "content": "hi"}],
             "system": [{"type": "text", "text": "Be brief."},
                        {"type": "text", "text": "Use French.", "cache_control": {"type": "ephemeral"}}]}
            """),
        Arguments.of(
            "a system turn alone makes the system prompt",
            SONNET_45,
            List.of(),
            """
            {"model": "m", "max_tokens": 10,
             "messages": [{"role": "user", "content": "hi"}, {"role": "system", "content": "Be brief."}]}
            """,
            """
            {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 10,
             "messages": [{"role": "user", "content": "hi"}],
             "system": [{"type": "text", "text": "Be brief."}]}
            """),
        Arguments.of(
            "a string system prompt without system turns stays a string",
            SONNET_45,
            List.of(),
            """
            {"model": "m", "max_tokens": 10, "system": "Be brief.", "messages": [{"role": "user", "content": "hi"}]}
            """,
            """
            {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 10, "system": "Be brief.",
             "messages": [{"role": "user", "content": "hi"}]}
            """),
        Arguments.of(
            "clamped max_tokens lowers a thinking budget that no longer fits",
            OPUS_41,
            List.of(),
            """
            {"model": "m", "max_tokens": 64000, "thinking": {"type": "enabled", "budget_tokens": 40000},
             "messages": [{"role": "user", "content": "hi"}]}
            """,
            """
            {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 32000,
             "thinking": {"type": "enabled", "budget_tokens": 31999},
             "messages": [{"role": "user", "content": "hi"}]}
            """),
        Arguments.of(
            "a budget that fits is left alone, and so is max_tokens within the limit",
            OPUS_41,
            List.of(),
            """
            {"model": "m", "max_tokens": 20000, "thinking": {"type": "enabled", "budget_tokens": 40000},
             "messages": [{"role": "user", "content": "hi"}]}
            """,
            """
            {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 20000,
             "thinking": {"type": "enabled", "budget_tokens": 40000},
             "messages": [{"role": "user", "content": "hi"}]}
            """),
        Arguments.of(
            "betas in the body (a Bedrock-minded client) are filtered like the header's",
            SONNET_45,
            List.of("interleaved-thinking-2025-05-14"),
            """
            {"model": "m", "max_tokens": 10, "anthropic_version": "2023-06-01",
             "anthropic_beta": ["claude-code-20250219", "context-1m-2025-08-07"],
             "messages": [{"role": "user", "content": "hi"}]}
            """,
            """
            {"anthropic_version": "bedrock-2023-05-31",
             "anthropic_beta": ["interleaved-thinking-2025-05-14", "context-1m-2025-08-07"],
             "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}
            """),
        Arguments.of(
            "a model without a known limit is not clamped",
            "us.anthropic.claude-opus-5-5",
            List.of(),
            """
            {"model": "claude-opus-5-5", "max_tokens": 128000, "messages": [{"role": "user", "content": "hi"}]}
            """,
            """
            {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 128000,
             "messages": [{"role": "user", "content": "hi"}]}
            """),
        Arguments.of(
            "a null system prompt is no system prompt",
            SONNET_45,
            List.of(),
            """
            {"model": "m", "max_tokens": 10, "system": null, "messages": [{"role": "user", "content": "hi"}]}
            """,
            """
            {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 10,
             "messages": [{"role": "user", "content": "hi"}]}
            """),
        Arguments.of(
            "service_tier leaves the body (it is a header on Bedrock)",
            SONNET_45,
            List.of(),
            """
            {"model": "m", "max_tokens": 10, "service_tier": "auto", "messages": [{"role": "user", "content": "hi"}]}
            """,
            """
            {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 10,
             "messages": [{"role": "user", "content": "hi"}]}
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void builds_the_whole_invoke_model_body(
      String name, String modelId, List<String> headers, String client, String expected)
      throws Exception {
    ClaudeBody.Invocation invocation =
        ClaudeBody.build(
            MessagesRequest.parse(Json.MAPPER.readTree(client), false),
            modelId,
            headers,
            BETAS,
            LIMITS);
    assertThat(Json.MAPPER.readTree(invocation.body())).isEqualTo(Json.MAPPER.readTree(expected));
  }

  @Test
  void reports_the_dropped_betas_and_the_clamp() throws Exception {
    ClaudeBody.Invocation invocation =
        ClaudeBody.build(
            MessagesRequest.parse(
                Json.MAPPER.readTree(
                    """
            {"model": "m", "max_tokens": 128000, "service_tier": "standard_only",
             "messages": [{"role": "user", "content": "hi"}]}
            """),
                false),
            SONNET_45,
            List.of("claude-code-20250219,effort-2025-11-24"),
            BETAS,
            LIMITS);
    assertThat(invocation.forwardedBetas()).containsExactly("effort-2025-11-24");
    assertThat(invocation.droppedBetas()).containsExactly("claude-code-20250219");
    assertThat(invocation.clampedFrom()).isEqualTo(128000);
    assertThat(invocation.serviceTier()).isEqualTo("default");
  }

  @Test
  void count_tokens_gets_the_least_max_tokens_bedrock_accepts() throws Exception {
    JsonNode plain =
        Json.MAPPER.readTree(
            ClaudeBody.build(
                    MessagesRequest.parse(
                        Json.MAPPER.readTree(
                            """
        {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
        """),
                        true),
                    SONNET_45,
                    List.of(),
                    BETAS,
                    LIMITS)
                .body());
    assertThat(plain.path("max_tokens").intValue()).isEqualTo(1);
    JsonNode thinking =
        Json.MAPPER.readTree(
            ClaudeBody.build(
                    MessagesRequest.parse(
                        Json.MAPPER.readTree(
                            """
        {"model": "m", "thinking": {"type": "enabled", "budget_tokens": 2048},
         "messages": [{"role": "user", "content": "hi"}]}
        """),
                        true),
                    SONNET_45,
                    List.of(),
                    BETAS,
                    LIMITS)
                .body());
    assertThat(thinking.path("max_tokens").intValue()).isEqualTo(2049);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(
            """
            {"max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}""",
            "model"),
        Arguments.of(
            """
            {"model": "m", "messages": [{"role": "user", "content": "hi"}]}""",
            "max_tokens"),
        Arguments.of(
            """
            {"model": "m", "max_tokens": 0, "messages": [{"role": "user", "content": "hi"}]}""",
            "max_tokens"),
        Arguments.of(
            """
            {"model": "m", "max_tokens": "5", "messages": [{"role": "user", "content": "hi"}]}""",
            "max_tokens"),
        Arguments.of(
            """
            {"model": "m", "max_tokens": 5}""",
            "messages"),
        Arguments.of(
            """
            {"model": "m", "max_tokens": 5, "messages": []}""",
            "messages"),
        Arguments.of(
            """
            {"model": "m", "max_tokens": 5, "messages": [{"content": "hi"}]}""",
            "messages.0.role"),
        Arguments.of(
            """
            {"model": "m", "max_tokens": 5, "messages": [{"role": "user"}]}""",
            "messages.0.content"),
        Arguments.of(
            """
            {"model": "m", "max_tokens": 5, "stream": "yes", "messages": [{"role": "user", "content": "x"}]}""",
            "stream"),
        Arguments.of(
            """
            {"model": "m", "max_tokens": 5, "service_tier": "fastest", "messages": [{"role": "user", "content": "x"}]}""",
            "service_tier"),
        Arguments.of(
            """
            {"model": "m", "max_tokens": 5, "anthropic_beta": "x", "messages": [{"role": "user", "content": "x"}]}""",
            "anthropic_beta"),
        Arguments.of(
            """
            {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "x"},
              {"role": "system", "content": [{"type": "image", "source": {}}]}]}""",
            "messages.1.content.0.type"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("refusals")
  void refuses_what_no_model_could_take_with_a_400_naming_the_field(String body, String param) {
    assertThatThrownBy(
            () ->
                ClaudeBody.build(
                    MessagesRequest.parse(Json.MAPPER.readTree(body), false),
                    SONNET_45,
                    List.of(),
                    BETAS,
                    LIMITS))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.param()).isEqualTo(param);
              assertThat(AnthropicErrors.message(e)).startsWith(param);
            });
  }

  @Test
  void recognises_claude_model_ids() {
    assertThat(ClaudeBody.isClaude("us.anthropic.claude-opus-5-5", "x")).isTrue();
    assertThat(ClaudeBody.isClaude("anthropic.claude-3-5-haiku-20241022-v1:0", "claude-haiku"))
        .isTrue();
    assertThat(
            ClaudeBody.isClaude(
                "arn:aws:bedrock:us-east-1:1:application-inference-profile/a", "claude-team"))
        .isTrue();
    assertThat(
            ClaudeBody.isClaude(
                "arn:aws:bedrock:us-east-1:1:application-inference-profile/a", "team"))
        .isFalse();
    assertThat(ClaudeBody.isClaude("amazon.nova-pro-v1:0", "claude-nova")).isFalse();
    assertThat(ClaudeBody.isClaude("meta.llama3-70b-instruct-v1:0", "x")).isFalse();
  }
}
