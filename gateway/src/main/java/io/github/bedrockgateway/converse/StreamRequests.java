package io.github.bedrockgateway.converse;

import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailStreamConfiguration;

/**
 * Converse request -> the same request for {@code ConverseStream}: the two operations share every
 * input field.
 */
public final class StreamRequests {

  private StreamRequests() {}

  /**
   * @param guardrailStreamProcessingMode {@code sync}, {@code async}, or null for Bedrock's default
   */
  public static ConverseStreamRequest of(ConverseRequest c, String guardrailStreamProcessingMode) {
    ConverseStreamRequest.Builder b =
        ConverseStreamRequest.builder()
            .modelId(c.modelId())
            .inferenceConfig(c.inferenceConfig())
            .toolConfig(c.toolConfig())
            .additionalModelRequestFields(c.additionalModelRequestFields())
            .performanceConfig(c.performanceConfig())
            .serviceTier(c.serviceTier())
            .outputConfig(c.outputConfig());
    if (c.hasMessages()) {
      b.messages(c.messages());
    }
    if (c.hasSystem()) {
      b.system(c.system());
    }
    if (c.hasRequestMetadata()) {
      b.requestMetadata(c.requestMetadata());
    }
    if (c.hasAdditionalModelResponseFieldPaths()) {
      b.additionalModelResponseFieldPaths(c.additionalModelResponseFieldPaths());
    }
    if (c.hasPromptVariables()) {
      b.promptVariables(c.promptVariables());
    }
    if (c.guardrailConfig() != null) {
      b.guardrailConfig(
          GuardrailStreamConfiguration.builder()
              .guardrailIdentifier(c.guardrailConfig().guardrailIdentifier())
              .guardrailVersion(c.guardrailConfig().guardrailVersion())
              .trace(c.guardrailConfig().traceAsString())
              .streamProcessingMode(guardrailStreamProcessingMode)
              .build());
    }
    return b.build();
  }
}
