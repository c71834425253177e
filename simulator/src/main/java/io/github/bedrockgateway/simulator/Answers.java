package io.github.bedrockgateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides the answer to one runtime request whose body is a JSON object: which {@link ReplyScript}
 * (the reply or the error, and the scripted timing) and which {@link Wire} writes it. Converse
 * plans directly; a Claude InvokeModel body is checked as Bedrock does and planned through its
 * Converse translation; embedding models answer from {@link EmbeddingModels}; CountTokens counts
 * what a reply's usage would.
 */
final class Answers {

  /** Bedrock's answer to CountTokens for a model that cannot count. */
  static final String CANNOT_COUNT = "The provided model doesn't support counting tokens.";

  /** The planned answer and how it is written. */
  record Planned(ReplyScript script, Wire wire) {
    static Planned error(BedrockError error) {
      return new Planned(ReplyScript.error(error), ConverseWire.WIRE);
    }
  }

  private final PromptCache promptCache;
  private final ControlPlane controlPlane;

  Answers(PromptCache promptCache, ControlPlane controlPlane) {
    this.promptCache = promptCache;
    this.controlPlane = controlPlane;
  }

  Planned plan(String operation, String modelId, JsonNode body, Map<String, List<String>> headers) {
    return switch (operation) {
      case RecordedRequest.CONVERSE, RecordedRequest.CONVERSE_STREAM ->
          new Planned(ReplyScript.plan(body, modelId, promptCache), ConverseWire.WIRE);
      case RecordedRequest.INVOKE, RecordedRequest.INVOKE_STREAM ->
          invoke(modelId, body, headers, operation.equals(RecordedRequest.INVOKE_STREAM));
      case RecordedRequest.COUNT_TOKENS -> countTokens(modelId, body);
      default -> throw new IllegalArgumentException("not a runtime operation: " + operation);
    };
  }

  private Planned invoke(
      String modelId, JsonNode body, Map<String, List<String>> headers, boolean streaming) {
    String model = controlPlane.resolveModel(modelId);
    EmbeddingModels.Family family = EmbeddingModels.Family.of(model);
    if (family != null) {
      return streaming
          ? Planned.error(BedrockError.validation("The model is unsupported for streaming."))
          : embeddings(family, body, modelId);
    }
    // An ARN the catalog does not know may still name Claude: the body says so.
    boolean claude =
        ClaudeRules.applies(model) || (model.startsWith("arn:") && body.has("anthropic_version"));
    if (!claude) {
      return Planned.error(
          BedrockError.validation(
              "The Bedrock simulator answers InvokeModel for Anthropic Claude"
                  + " models and the embedding models "
                  + String.join(
                      ", ",
                      EmbeddingModels.TITAN_TEXT_V2,
                      EmbeddingModels.COHERE_ENGLISH_V3,
                      EmbeddingModels.COHERE_MULTILINGUAL_V3,
                      EmbeddingModels.COHERE_V4)
                  + " only; use Converse for "
                  + modelId
                  + "."));
    }
    BedrockError invalid = AnthropicRequest.check(body);
    if (invalid != null) {
      return Planned.error(invalid);
    }
    ReplyScript script = ReplyScript.plan(AnthropicRequest.toConverse(body), model, promptCache);
    Map<String, String> echoed = new LinkedHashMap<>();
    for (String header :
        List.of("X-Amzn-Bedrock-Service-Tier", "X-Amzn-Bedrock-PerformanceConfig-Latency")) {
      List<String> values = headers.get(header);
      if (values != null && !values.isEmpty()) {
        echoed.put(header, values.get(0));
      }
    }
    return new Planned(script, new AnthropicWire(AnthropicRequest.modelName(model), echoed));
  }

  private static Planned embeddings(EmbeddingModels.Family family, JsonNode body, String modelId) {
    EmbeddingModels.Answer answer = EmbeddingModels.answer(family, body, modelId);
    if (answer.error() != null) {
      return new Planned(ReplyScript.error(answer.error(), answer.latencyMs()), ConverseWire.WIRE);
    }
    return new Planned(
        ReplyScript.pause(answer.latencyMs()),
        Wire.json(
            answer.body(),
            latencyMs ->
                Map.of(
                    AnthropicWire.INPUT_TOKENS_HEADER, String.valueOf(answer.inputTokens()),
                    AnthropicWire.OUTPUT_TOKENS_HEADER, "0",
                    AnthropicWire.LATENCY_HEADER, String.valueOf(latencyMs))));
  }

  /**
   * {@code {"input": {"invokeModel": {"body": BASE64}}}} or {@code {"input": {"converse": {...}}}}:
   * checked as the operation it stands for would be, then {@code {"inputTokens": N}}, the figure a
   * reply's usage would add up to (input plus cache reads and writes). Only Claude models count.
   */
  private Planned countTokens(String modelId, JsonNode body) {
    String model = controlPlane.resolveModel(modelId);
    if (!ClaudeRules.applies(model)) {
      return Planned.error(BedrockError.validation(CANNOT_COUNT));
    }
    JsonNode input = body.path("input");
    JsonNode converse;
    if (input.has("invokeModel")) {
      JsonNode invokeBody;
      try {
        invokeBody =
            ConverseWire.JSON.readTree(
                Base64.getDecoder().decode(input.path("invokeModel").path("body").asText("")));
      } catch (IOException | IllegalArgumentException e) {
        invokeBody = null;
      }
      if (invokeBody == null || !invokeBody.isObject()) {
        return Planned.error(
            BedrockError.validation("The input.invokeModel.body is not a valid JSON object."));
      }
      BedrockError invalid = AnthropicRequest.check(invokeBody);
      if (invalid != null) {
        return Planned.error(invalid);
      }
      converse = AnthropicRequest.toConverse(invokeBody);
    } else if (input.path("converse").isObject()) {
      converse = input.get("converse");
    } else {
      return Planned.error(
          BedrockError.validation(
              "1 validation error detected: Value null at 'input' failed to"
                  + " satisfy constraint: Member must not be null"));
    }
    // Planned without the prompt cache: counting reads nothing from it and writes nothing to it.
    ReplyScript script = ReplyScript.plan(converse, model, null);
    if (script.error() != null) {
      return new Planned(script, ConverseWire.WIRE);
    }
    ObjectNode answer =
        ConverseWire.JSON.createObjectNode().put("inputTokens", ReplyScript.inputTokens(converse));
    return new Planned(
        ReplyScript.pause(script.latencyMs()), Wire.json(answer, latencyMs -> Map.of()));
  }
}
