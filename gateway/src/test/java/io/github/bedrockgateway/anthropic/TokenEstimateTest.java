package io.github.bedrockgateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.json.Json;
import org.junit.jupiter.api.Test;

/**
 * The count_tokens estimate: a quarter token per character of what the model reads, images and
 * documents apart.
 */
class TokenEstimateTest {

  @Test
  void counts_a_quarter_token_per_character_of_text_rounded_up() throws Exception {
    // "Be brief." (9) + "Hello there" (11) = 20 characters -> 5 tokens
    assertThat(
            TokenEstimate.of(
                Json.MAPPER.readTree(
                    """
        {"model": "m", "system": "Be brief.", "messages": [{"role": "user", "content": "Hello there"}]}
        """)))
        .isEqualTo(5);
    // "abc" -> 1
    assertThat(
            TokenEstimate.of(
                Json.MAPPER.readTree(
                    """
        {"model": "m", "messages": [{"role": "user", "content": [{"type": "text", "text": "abc",
          "cache_control": {"type": "ephemeral"}}]}]}
        """)))
        .isEqualTo(1);
  }

  @Test
  void counts_tools_tool_inputs_results_and_fixed_amounts_for_images_and_documents()
      throws Exception {
    String body =
        """
        {"model": "m",
         "tools": [{"name": "t", "input_schema": {"type": "object"}}],
         "messages": [
           {"role": "user", "content": [{"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                                                       "data": "AAAA"}}]},
           {"role": "assistant", "content": [{"type": "tool_use", "id": "x", "name": "t", "input": {"q": "abcd"}}]},
           {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "x", "content": "12345678"},
             {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                             "data": "%s"}}]}]}
        """
            .formatted("A".repeat(1600));
    String tool = "{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"}}";
    // tool JSON + "t" + "abcd" + "12345678" characters, plus an image, plus 1200 document bytes / 4
    int characters = tool.length() + 1 + 4 + 8;
    assertThat(TokenEstimate.of(Json.MAPPER.readTree(body)))
        .isEqualTo((characters + 3) / 4 + TokenEstimate.IMAGE_TOKENS + 300);
  }

  @Test
  void never_answers_zero() throws Exception {
    assertThat(TokenEstimate.of(Json.MAPPER.readTree("{\"model\": \"m\", \"messages\": []}")))
        .isEqualTo(1);
  }
}
