package io.github.bedrockgateway.converse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;

class SignedReasoningTest {

  private static final ReasoningContentBlock SIGNED =
      ReasoningContentBlock.fromReasoningText(
          ReasoningTextBlock.builder()
              .text("Let me think: \u00e9t\u00e9, \"quotes\", newlines\nand more.")
              .signature("c2lnbmF0dXJl")
              .build());
  private static final ReasoningContentBlock REDACTED =
      ReasoningContentBlock.fromRedactedContent(
          SdkBytes.fromByteArray(new byte[] {1, 2, 3, (byte) 0xff}));

  @Test
  void round_trips_signed_and_redacted_reasoning_through_the_tool_call_id() {
    String id = SignedReasoning.encode("tooluse_AbC-123_x", List.of(SIGNED, REDACTED));
    assertThat(id).startsWith("tooluse_AbC-123_x.rs1.").matches("[A-Za-z0-9_.-]+");
    SignedReasoning.Decoded decoded = SignedReasoning.decode(id);
    assertThat(decoded.toolUseId()).isEqualTo("tooluse_AbC-123_x");
    assertThat(decoded.reasoning()).containsExactly(SIGNED, REDACTED);
    // the same reasoning always gives the same id, so a streamed and a plain answer agree
    assertThat(SignedReasoning.encode("tooluse_AbC-123_x", List.of(SIGNED, REDACTED)))
        .isEqualTo(id);
  }

  @Test
  void seals_reasoning_into_one_opaque_string_and_unseals_it_for_the_responses_api() {
    String sealed = SignedReasoning.seal(List.of(SIGNED, REDACTED));
    assertThat(sealed).startsWith("rs1.").matches("[A-Za-z0-9_.-]+");
    assertThat(SignedReasoning.unseal(sealed)).containsExactly(SIGNED, REDACTED);
    assertThat(
            SignedReasoning.seal(
                List.of(
                    ReasoningContentBlock.fromReasoningText(
                        ReasoningTextBlock.builder().text("unsigned").build()))))
        .isNull();
    // what a client made up, or OpenAI's own encrypted content, is not ours: nothing is restored
    assertThat(SignedReasoning.unseal("gAAAAABo-openai-blob")).isNull();
    assertThat(SignedReasoning.unseal("rs1.@@@")).isNull();
    assertThat(SignedReasoning.unseal("rs1.AAAA")).isNull();
    assertThat(SignedReasoning.unseal(null)).isNull();
  }

  @Test
  void unsigned_reasoning_is_not_carried() {
    ReasoningContentBlock unsigned =
        ReasoningContentBlock.fromReasoningText(ReasoningTextBlock.builder().text("hm").build());
    assertThat(SignedReasoning.encode("tooluse_1", List.of(unsigned))).isEqualTo("tooluse_1");
    assertThat(SignedReasoning.encode("tooluse_1", List.of())).isEqualTo("tooluse_1");
  }

  @Test
  void other_ids_pass_unchanged_or_become_bedrock_safe() {
    assertThat(SignedReasoning.decode("call_abc123"))
        .isEqualTo(new SignedReasoning.Decoded("call_abc123", List.of()));
    // looks like ours but the payload is not: passed on (made safe for Bedrock's id pattern)
    SignedReasoning.Decoded forged = SignedReasoning.decode("tooluse_1.rs1.bm90LWRlZmxhdGU");
    assertThat(forged.reasoning()).isEmpty();
    assertThat(forged.toolUseId()).matches("call_[A-Za-z0-9_-]{40}");
    assertThat(SignedReasoning.decode("call:1/a").toolUseId())
        .isEqualTo(SignedReasoning.decode("call:1/a").toolUseId())
        .matches("[a-zA-Z0-9_-]{1,64}");
    assertThat(SignedReasoning.bedrockSafe("x".repeat(65))).hasSize(45);
  }

  @Test
  void a_payload_that_inflates_beyond_the_limit_is_refused() {
    String huge = "a".repeat(5 * 1024 * 1024);
    ReasoningContentBlock big =
        ReasoningContentBlock.fromReasoningText(
            ReasoningTextBlock.builder().text(huge).signature("s").build());
    String id = SignedReasoning.encode("tooluse_big", List.of(big));
    assertThat(id.length()).isLessThan(100_000); // deflate shrinks the repetition...
    assertThat(SignedReasoning.decode(id).reasoning()).isEmpty(); // ...but inflating it is capped
  }
}
