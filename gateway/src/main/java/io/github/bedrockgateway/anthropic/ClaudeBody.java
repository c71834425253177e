package io.github.bedrockgateway.anthropic;

import static io.github.bedrockgateway.error.GatewayException.invalid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.bedrock.ClaudeBetas;
import io.github.bedrockgateway.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Anthropic Messages body -> the body Claude takes on Bedrock through InvokeModel: the same JSON,
 * without {@code model} and {@code stream}, with {@code anthropic_version: "bedrock-2023-05-31"}
 * and the allowed betas as {@code anthropic_beta}. Everything else is forwarded as the client sent
 * it (thinking, tools with {@code defer_loading}, {@code cache_control} with TTLs, {@code
 * metadata}, {@code context_management}, {@code output_config}...): what Bedrock refuses, it
 * refuses with its own message. Three repairs make real clients work: a {@code role: "system"} turn
 * inside {@code messages} (Claude Code sends one) is folded into {@code system}, {@code max_tokens}
 * above the model's limit is clamped, and {@code service_tier} becomes Bedrock's service-tier
 * header. Pure.
 */
public final class ClaudeBody {

  /** The only {@code anthropic_version} Bedrock takes. */
  public static final String BEDROCK_VERSION = "bedrock-2023-05-31";

  /** Top-level keys that do not travel in the body. */
  private static final List<String> NOT_FORWARDED =
      List.of("model", "stream", "anthropic_version", "anthropic_beta", "service_tier");

  private ClaudeBody() {}

  /**
   * The InvokeModel call to make.
   *
   * @param body the JSON body
   * @param forwardedBetas the betas sent in {@code anthropic_beta}
   * @param droppedBetas the client's betas Bedrock does not take for this model
   * @param clampedFrom the client's {@code max_tokens} when it was lowered to the model's limit,
   *     else null
   * @param serviceTier Bedrock's service tier ({@code X-Amzn-Bedrock-Service-Tier}), or null
   */
  public record Invocation(
      byte[] body,
      List<String> forwardedBetas,
      List<String> droppedBetas,
      Integer clampedFrom,
      String serviceTier) {}

  /**
   * Builds the body for {@code modelId}.
   *
   * @param request the parsed request ({@code maxTokens() == 0} for {@code count_tokens}, which
   *     gets the smallest {@code max_tokens} Bedrock accepts with the request's thinking settings)
   * @param modelId the Bedrock model id (family of the beta allow-list and of the output limit)
   * @param headerBetas the {@code anthropic-beta} values of the request
   */
  public static Invocation build(
      MessagesRequest request,
      String modelId,
      List<String> headerBetas,
      ClaudeBetas betas,
      OutputLimits limits) {
    ObjectNode client = request.body();
    List<String> requested = new ArrayList<>(headerBetas);
    requested.addAll(bodyBetas(client));
    ClaudeBetas.Filtered filtered = betas.filter(modelId, ClaudeBetas.requested(requested));
    String serviceTier = serviceTier(client);

    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("anthropic_version", BEDROCK_VERSION);
    if (!filtered.forwarded().isEmpty()) {
      ArrayNode list = out.putArray("anthropic_beta");
      filtered.forwarded().forEach(list::add);
    }
    Integer clampedFrom = null;
    Iterator<Map.Entry<String, JsonNode>> fields = client.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      if (NOT_FORWARDED.contains(name) || name.equals("system")) {
        continue;
      }
      if (name.equals("max_tokens") && request.maxTokens() > 0) {
        OptionalInt limit = limits.limit(modelId, filtered.forwarded());
        int maxTokens = request.maxTokens();
        if (limit.isPresent() && maxTokens > limit.getAsInt()) {
          clampedFrom = maxTokens;
          maxTokens = limit.getAsInt();
        }
        out.put("max_tokens", maxTokens);
        continue;
      }
      out.set(name, field.getValue());
    }
    JsonNode system = system(client);
    if (system != null && !system.isNull()) {
      out.set("system", system);
    }
    JsonNode messages = client.get("messages");
    if (hasSystemTurn(messages)) {
      out.set("messages", withoutSystemTurns(messages));
    }
    if (request.maxTokens() == 0) {
      out.put("max_tokens", countTokensMaxTokens(client));
    }
    if (clampedFrom != null) {
      fitThinkingBudget(out);
    }
    try {
      return new Invocation(
          Json.MAPPER.writeValueAsBytes(out),
          filtered.forwarded(),
          filtered.dropped(),
          clampedFrom,
          serviceTier);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** A client that builds Bedrock bodies may already send {@code anthropic_beta} in the body. */
  private static List<String> bodyBetas(ObjectNode client) {
    JsonNode betas = client.get("anthropic_beta");
    if (betas == null || betas.isNull()) {
      return List.of();
    }
    if (!betas.isArray()) {
      throw invalid("anthropic_beta", "anthropic_beta: Input should be a valid list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode beta : betas) {
      if (!beta.isTextual()) {
        throw invalid("anthropic_beta", "anthropic_beta: Input should be a valid list of strings");
      }
      out.add(beta.asText());
    }
    return out;
  }

  /**
   * Anthropic's {@code service_tier} ({@code auto}, {@code standard_only}) as Bedrock's tier:
   * {@code auto} leaves the choice to Bedrock, {@code standard_only} is Bedrock's {@code default};
   * Bedrock's own names ({@code default}, {@code priority}, {@code flex}, {@code reserved}) are
   * taken as they are.
   */
  static String serviceTier(JsonNode client) {
    JsonNode tier = client.get("service_tier");
    if (tier == null || tier.isNull()) {
      return null;
    }
    String value = tier.isTextual() ? tier.asText() : "";
    return switch (value) {
      case "auto" -> null;
      case "standard_only" -> "default";
      case "default", "priority", "flex", "reserved" -> value;
      default ->
          throw invalid(
              "service_tier",
              "service_tier: Input should be 'auto' or 'standard_only' (or one of Bedrock's tiers:"
                  + " 'default', 'priority', 'flex', 'reserved')");
    };
  }

  /**
   * {@code system}, with the text of every {@code role: "system"} turn of {@code messages} appended
   * in order (as text blocks; a string {@code system} becomes one text block first). Claude's
   * Messages API on Bedrock has no system role in {@code messages}; the system prompt is where
   * Claude Code's mid-conversation system turn is meant to act. Null when there is no system
   * prompt.
   */
  private static JsonNode system(ObjectNode client) {
    JsonNode system = client.get("system");
    JsonNode messages = client.get("messages");
    if (!hasSystemTurn(messages)) {
      return system;
    }
    ArrayNode blocks = Json.MAPPER.createArrayNode();
    if (system != null && system.isTextual()) {
      if (!system.asText().isEmpty()) {
        blocks.addObject().put("type", "text").put("text", system.asText());
      }
    } else if (system != null && system.isArray()) {
      blocks.addAll((ArrayNode) system);
    } else if (system != null && !system.isNull()) {
      throw invalid("system", "system: Input should be a string or a list of text blocks");
    }
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      if (!"system".equals(m.path("role").asText())) {
        continue;
      }
      JsonNode content = m.get("content");
      String p = "messages." + i + ".content";
      if (content.isTextual()) {
        if (!content.asText().isEmpty()) {
          blocks.addObject().put("type", "text").put("text", content.asText());
        }
      } else if (content.isArray()) {
        for (int j = 0; j < content.size(); j++) {
          JsonNode block = content.get(j);
          if (!block.isObject() || !"text".equals(block.path("type").asText())) {
            throw invalid(
                p + "." + j + ".type",
                p + "." + j + ": a system turn inside messages can hold text blocks only");
          }
          if (!block.path("text").asText("").isEmpty()) {
            blocks.add(block);
          }
        }
      } else {
        throw invalid(p, p + ": Input should be a string or a list of text blocks");
      }
    }
    return blocks.isEmpty() ? null : blocks;
  }

  private static boolean hasSystemTurn(JsonNode messages) {
    if (messages == null || !messages.isArray()) {
      return false;
    }
    for (JsonNode m : messages) {
      if ("system".equals(m.path("role").asText())) {
        return true;
      }
    }
    return false;
  }

  private static ArrayNode withoutSystemTurns(JsonNode messages) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (JsonNode m : messages) {
      if (!"system".equals(m.path("role").asText())) {
        out.add(m);
      }
    }
    return out;
  }

  /**
   * {@code count_tokens} has no {@code max_tokens}, but the InvokeModel body CountTokens reads
   * must: the least Bedrock accepts, which with extended thinking is one more than the budget.
   */
  private static int countTokensMaxTokens(ObjectNode client) {
    JsonNode budget = client.path("thinking").path("budget_tokens");
    return budget.canConvertToInt() && budget.intValue() >= 1 ? budget.intValue() + 1 : 1;
  }

  /**
   * Claude needs {@code budget_tokens < max_tokens}: a budget the clamp left without room is
   * lowered to the new {@code max_tokens} minus one (a client that asked for more than the model
   * can write gets the most it can).
   */
  private static void fitThinkingBudget(ObjectNode out) {
    JsonNode thinking = out.get("thinking");
    int maxTokens = out.path("max_tokens").intValue();
    if (thinking instanceof ObjectNode t
        && t.path("budget_tokens").canConvertToInt()
        && t.path("budget_tokens").intValue() >= maxTokens) {
      ObjectNode copy = t.deepCopy();
      copy.put("budget_tokens", maxTokens - 1);
      out.set("thinking", copy);
    }
  }

  /** Whether a Bedrock model id (after alias resolution) is Claude, which takes this body. */
  public static boolean isClaude(String modelId, String clientModel) {
    String id = modelId.toLowerCase(java.util.Locale.ROOT);
    if (id.contains("anthropic.claude")) {
      return true;
    }
    // An application inference profile ARN does not name its model: an ARN behind a Claude name
    // (an alias such as claude-team=arn:...) or containing "claude" is taken as Claude.
    return id.startsWith("arn:")
        && (id.contains("claude")
            || clientModel.toLowerCase(java.util.Locale.ROOT).startsWith("claude"));
  }
}
