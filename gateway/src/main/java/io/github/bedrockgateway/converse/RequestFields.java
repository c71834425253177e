package io.github.bedrockgateway.converse;

import static io.github.bedrockgateway.converse.Fields.optionalObject;
import static io.github.bedrockgateway.converse.Fields.optionalString;
import static io.github.bedrockgateway.converse.Fields.requiredString;
import static io.github.bedrockgateway.error.GatewayException.invalid;
import static io.github.bedrockgateway.error.GatewayException.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.bedrockruntime.model.PerformanceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceTier;

/** Top-level request fields that several OpenAI-shaped protocols map to Converse the same way. */
public final class RequestFields {

  private RequestFields() {}

  /** {@code metadata}: a map of strings -> Converse {@code requestMetadata}. */
  public static Map<String, String> metadata(JsonNode body) {
    JsonNode metadata = body.get("metadata");
    if (metadata == null || metadata.isNull()) {
      return Map.of();
    }
    if (!metadata.isObject()) {
      throw invalid("metadata", "metadata must be an object of string values.");
    }
    Map<String, String> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = metadata.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw invalid("metadata." + e.getKey(), "metadata values must be strings.");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /**
   * OpenAI {@code service_tier} -> Converse {@code serviceTier}; {@code auto} leaves the choice to
   * Bedrock.
   */
  public static ServiceTier serviceTier(JsonNode body) {
    String tier = optionalString(body, "service_tier");
    if (tier == null || tier.equals("auto")) {
      return null;
    }
    return switch (tier) {
      case "default", "flex", "priority", "reserved" -> ServiceTier.builder().type(tier).build();
      default ->
          throw unsupported(
              "service_tier",
              "Invalid value: '"
                  + tier
                  + "'. Bedrock offers 'auto', 'default', 'flex', 'priority' and 'reserved'.");
    };
  }

  /** The {@code performanceConfig} extension (Converse's shape). */
  public static PerformanceConfiguration performanceConfig(JsonNode body) {
    JsonNode config = optionalObject(body, "performanceConfig", "performanceConfig");
    if (config == null) {
      return null;
    }
    String latency = requiredString(config, "latency", "performanceConfig.latency");
    if (!latency.equals("standard") && !latency.equals("optimized")) {
      throw invalid(
          "performanceConfig.latency",
          "Invalid value: '" + latency + "'. Supported values are: 'standard' and 'optimized'.");
    }
    return PerformanceConfiguration.builder().latency(latency).build();
  }

  /**
   * Merges {@code from} into {@code into}, {@code from} winning key by key; objects merge
   * recursively.
   */
  public static void merge(ObjectNode into, JsonNode from) {
    Iterator<Map.Entry<String, JsonNode>> it = from.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = into.get(e.getKey());
      if (existing instanceof ObjectNode target && e.getValue().isObject()) {
        merge(target, e.getValue());
      } else {
        into.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }
}
