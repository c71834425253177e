package io.github.bedrockgateway.passthrough;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.bedrock.ClaudeBetas;
import io.github.bedrockgateway.converse.TranslationOptions;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * What the pass-through sends to Bedrock for a client's request: the same operation and body, with
 * only these changes, each applied only when it changes something (otherwise the client's exact
 * bytes go):
 *
 * <ul>
 *   <li>the model id of the path, resolved through the catalog (done by the caller) and encoded as
 *       the SDK encodes it;
 *   <li>{@code requestMetadata} attribution: merged into the Converse body's {@code
 *       requestMetadata}, or into InvokeModel's {@code X-Amzn-Bedrock-Request-Metadata} header (the
 *       gateway's keys win over the client's of the same name, so attribution cannot be forged);
 *   <li>the {@code anthropic_beta} allow-list on the body of a Claude model (InvokeModel, and the
 *       InvokeModel body inside CountTokens);
 *   <li>the configured guardrail, where one is set ({@code gateway.guardrail.*}), as for {@code
 *       /v1/*}.
 * </ul>
 *
 * Only the request headers Bedrock defines for these operations are forwarded; the client's {@code
 * Authorization}, {@code x-amz-*} and any other header never are. A body member is rewritten, not
 * re-encoded: every other member is copied byte for byte ({@link JsonMembers}). Pure.
 */
final class UpstreamRequests {

  /**
   * The request headers Bedrock defines for the five operations (lower case), forwarded as sent.
   */
  static final Map<String, String> FORWARDED_HEADERS = forwarded();

  static final String METADATA_HEADER = "X-Amzn-Bedrock-Request-Metadata";
  static final String GUARDRAIL_ID_HEADER = "X-Amzn-Bedrock-GuardrailIdentifier";
  static final String GUARDRAIL_VERSION_HEADER = "X-Amzn-Bedrock-GuardrailVersion";
  static final String TRACE_HEADER = "X-Amzn-Bedrock-Trace";

  private static Map<String, String> forwarded() {
    Map<String, String> names = new LinkedHashMap<>();
    for (String name :
        List.of(
            "Content-Type",
            "Accept",
            "X-Amzn-Bedrock-Accept",
            "X-Amzn-Bedrock-Content-Type",
            TRACE_HEADER,
            GUARDRAIL_ID_HEADER,
            GUARDRAIL_VERSION_HEADER,
            "X-Amzn-Bedrock-PerformanceConfig-Latency",
            "X-Amzn-Bedrock-Service-Tier",
            METADATA_HEADER)) {
      names.put(name.toLowerCase(Locale.ROOT), name);
    }
    return Map.copyOf(names);
  }

  /**
   * A client's request.
   *
   * @param operation the operation of the path
   * @param bedrockModelId the model id to call (after the catalog)
   * @param body the body as received
   * @param headers the client's request headers, names in lower case (first value of each)
   * @param clientModelId the model id as the client sent it (an alias may tell a Claude model where
   *     the Bedrock id, an application inference profile ARN, does not)
   */
  record Inbound(
      Operation operation,
      String bedrockModelId,
      byte[] body,
      Map<String, String> headers,
      String clientModelId) {

    /** A request naming the Bedrock id itself. */
    Inbound(Operation operation, String bedrockModelId, byte[] body, Map<String, String> headers) {
      this(operation, bedrockModelId, body, headers, bedrockModelId);
    }
  }

  /**
   * The operator's rules.
   *
   * @param attribution the {@code requestMetadata} entries the gateway adds (empty: none)
   * @param betas the {@code anthropic_beta} allow-list
   * @param guardrail the configured guardrail ({@link TranslationOptions.Guardrail#NONE} for none)
   * @param maxMessages most {@code messages} accepted
   * @param maxTools most tools accepted
   */
  record Policy(
      Map<String, String> attribution,
      ClaudeBetas betas,
      TranslationOptions.Guardrail guardrail,
      int maxMessages,
      int maxTools) {}

  /**
   * What to send.
   *
   * @param path the encoded path below the endpoint: {@code /model/{modelId}/{operation}}
   * @param headers the headers to send (and sign), Bedrock's spelling
   * @param body the body to send: the client's own array when nothing had to change
   * @param droppedBetas the {@code anthropic_beta} values removed
   */
  record Outbound(
      String path, Map<String, String> headers, byte[] body, List<String> droppedBetas) {}

  private UpstreamRequests() {}

  /**
   * @throws GatewayException for a body Bedrock would refuse before reading it (not JSON, over the
   *     limits)
   */
  static Outbound build(Inbound in, Policy policy) {
    Map<String, String> headers = new LinkedHashMap<>();
    in.headers()
        .forEach(
            (name, value) -> {
              String spelled = FORWARDED_HEADERS.get(name.toLowerCase(Locale.ROOT));
              if (spelled != null) {
                headers.put(spelled, value);
              }
            });
    String path =
        "/model/" + SdkHttpUtils.urlEncode(in.bedrockModelId()) + "/" + in.operation().path;
    byte[] body = in.body();
    List<String> dropped = List.of();
    Operation op = in.operation();
    if (op.converse()) {
      body = converseBody(in, policy);
    } else if (op.invoke()) {
      invokeHeaders(headers, policy);
      if (looksLikeJson(headers.get("Content-Type"))) {
        Rewritten r = claudeBody(body, in, policy, true);
        body = r.body();
        dropped = r.dropped();
      }
    } else if (op == Operation.COUNT_TOKENS) {
      Rewritten r = countTokensBody(body, in, policy);
      body = r.body();
      dropped = r.dropped();
    }
    return new Outbound(path, headers, body, dropped);
  }

  private record Rewritten(byte[] body, List<String> dropped) {}

  /**
   * Converse and ConverseStream: the limits, {@code requestMetadata} and the guardrail, in the
   * body.
   */
  private static byte[] converseBody(Inbound in, Policy policy) {
    JsonMembers.Scan scan = scanObject(in.body(), Set.of("messages", "toolConfig.tools"));
    checkLimits(scan, policy, "toolConfig.tools");
    Map<String, byte[]> replace = new HashMap<>();
    LinkedHashMap<String, byte[]> add = new LinkedHashMap<>();
    if (!policy.attribution().isEmpty()) {
      JsonMembers.Member existing = scan.member("requestMetadata");
      Map<String, String> metadata =
          new LinkedHashMap<>(
              existing == null ? Map.of() : metadataOf(scan.value(existing), "requestMetadata"));
      metadata.putAll(policy.attribution());
      byte[] value = writeMap(metadata, false);
      if (existing == null) {
        add.put("requestMetadata", value);
      } else {
        replace.put("requestMetadata", value);
      }
    }
    TranslationOptions.Guardrail g = policy.guardrail();
    if (g.identifier() != null) {
      boolean own = scan.member("guardrailConfig") != null;
      if (!own || !g.allowRequestOverride()) {
        byte[] value = guardrailConfig(g, in.operation().streaming);
        if (own) {
          replace.put("guardrailConfig", value);
        } else {
          add.put("guardrailConfig", value);
        }
      }
    }
    if (replace.isEmpty() && add.isEmpty()) {
      return in.body();
    }
    return JsonMembers.edit(scan, replace, add);
  }

  /** InvokeModel: {@code requestMetadata} and the guardrail travel in headers. */
  private static void invokeHeaders(Map<String, String> headers, Policy policy) {
    if (!policy.attribution().isEmpty()) {
      String existing = headers.get(METADATA_HEADER);
      Map<String, String> metadata =
          new LinkedHashMap<>(
              existing == null || existing.isBlank()
                  ? Map.of()
                  : metadataOf(existing.getBytes(UTF_8), METADATA_HEADER));
      metadata.putAll(policy.attribution());
      // a header value is ASCII: anything else travels as JSON \\u escapes
      headers.put(METADATA_HEADER, new String(writeMap(metadata, true), UTF_8));
    }
    TranslationOptions.Guardrail g = policy.guardrail();
    if (g.identifier() != null
        && (!g.allowRequestOverride() || !headers.containsKey(GUARDRAIL_ID_HEADER))) {
      headers.put(GUARDRAIL_ID_HEADER, g.identifier());
      headers.put(GUARDRAIL_VERSION_HEADER, g.version());
      if (g.trace() != null) {
        headers.put(TRACE_HEADER, g.trace().toUpperCase(Locale.ROOT));
      } else {
        headers.remove(TRACE_HEADER);
      }
    }
  }

  /**
   * A Claude Messages body: the limits, and {@code anthropic_beta} filtered. A body that is not a
   * JSON object goes as it is: Bedrock's own answer says best what is wrong with it.
   */
  private static Rewritten claudeBody(byte[] body, Inbound in, Policy policy, boolean checkLimits) {
    JsonMembers.Scan scan;
    try {
      scan = JsonMembers.scan(body, Set.of("messages", "tools"));
    } catch (JsonMembers.NotAnObject e) {
      return new Rewritten(body, List.of());
    }
    // a Claude model by its Bedrock id, by the client's alias, or by its body (an application
    // inference
    // profile ARN names no model); any other model's body is never changed
    boolean claudeId = ClaudeBetas.isClaude(in.bedrockModelId());
    if (!claudeId
        && !ClaudeBetas.isClaude(in.clientModelId())
        && scan.member("anthropic_version") == null) {
      return new Rewritten(body, List.of());
    }
    String modelId = claudeId ? in.bedrockModelId() : in.clientModelId();
    if (checkLimits) {
      checkLimits(scan, policy, "tools");
    }
    JsonMembers.Member betas = scan.member("anthropic_beta");
    if (betas == null) {
      return new Rewritten(body, List.of());
    }
    JsonNode array = readTree(scan.value(betas));
    if (array == null || !array.isArray()) {
      return new Rewritten(body, List.of());
    }
    List<String> requested = new ArrayList<>();
    for (JsonNode beta : array) {
      if (!beta.isTextual()) {
        // not a list of names: Bedrock's validation will say so
        return new Rewritten(body, List.of());
      }
      requested.add(beta.textValue());
    }
    ClaudeBetas.Filtered filtered = policy.betas().filter(modelId, requested);
    if (filtered.forwarded().equals(requested)) {
      return new Rewritten(body, List.of());
    }
    Map<String, byte[]> replace = new HashMap<>();
    // no beta left: the member goes, as a client that asked for none would have sent it
    replace.put(
        "anthropic_beta", filtered.forwarded().isEmpty() ? null : writeList(filtered.forwarded()));
    return new Rewritten(
        JsonMembers.edit(scan, replace, new LinkedHashMap<>()), filtered.dropped());
  }

  /**
   * CountTokens with an InvokeModel body ({@code input.invokeModel.body}, base64): its betas
   * filtered.
   */
  private static Rewritten countTokensBody(byte[] body, Inbound in, Policy policy) {
    JsonNode root = readTree(body);
    if (root == null || !root.path("input").path("invokeModel").path("body").isTextual()) {
      return new Rewritten(body, List.of());
    }
    byte[] inner;
    try {
      inner =
          Base64.getDecoder()
              .decode(root.path("input").path("invokeModel").path("body").textValue());
    } catch (IllegalArgumentException e) {
      return new Rewritten(body, List.of());
    }
    Rewritten r = claudeBody(inner, in, policy, false);
    if (r.body() == inner) {
      return new Rewritten(body, List.of());
    }
    ((ObjectNode) root.path("input").path("invokeModel"))
        .put("body", Base64.getEncoder().encodeToString(r.body()));
    try {
      return new Rewritten(Json.MAPPER.writeValueAsBytes(root), r.dropped());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonMembers.Scan scanObject(byte[] body, Set<String> counted) {
    try {
      return JsonMembers.scan(body, counted);
    } catch (JsonMembers.NotAnObject e) {
      throw new GatewayException(
          400, GatewayException.INVALID_REQUEST, e.getMessage(), null, BedrockErrors.SERIALIZATION);
    }
  }

  private static void checkLimits(JsonMembers.Scan scan, Policy policy, String toolsPath) {
    Integer messages = scan.arrayLengths().get("messages");
    if (messages != null && messages > policy.maxMessages()) {
      throw GatewayException.invalid(
          "messages",
          "Too many messages: this gateway accepts at most "
              + policy.maxMessages()
              + " (the request has "
              + messages
              + ").");
    }
    Integer tools = scan.arrayLengths().get(toolsPath);
    if (tools != null && tools > policy.maxTools()) {
      throw GatewayException.invalid(
          toolsPath,
          "Too many tools in "
              + toolsPath
              + ": this gateway accepts at most "
              + policy.maxTools()
              + " (the request has "
              + tools
              + ").");
    }
  }

  /** A {@code requestMetadata} map: a JSON object of strings. */
  private static Map<String, String> metadataOf(byte[] json, String where) {
    JsonNode node = readTree(json);
    if (node == null || !node.isObject()) {
      throw GatewayException.invalid(
          where, where + " must be a JSON object of string keys and values.");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw GatewayException.invalid(
            where,
            where
                + " must be a JSON object of string keys and values; '"
                + e.getKey()
                + "' is not a string.");
      }
      map.put(e.getKey(), e.getValue().textValue());
    }
    return map;
  }

  private static byte[] guardrailConfig(TranslationOptions.Guardrail g, boolean streaming) {
    ObjectNode config =
        Json.MAPPER
            .createObjectNode()
            .put("guardrailIdentifier", g.identifier())
            .put("guardrailVersion", g.version());
    if (g.trace() != null) {
      config.put("trace", g.trace());
    }
    if (streaming && g.streamProcessingMode() != null) {
      config.put("streamProcessingMode", g.streamProcessingMode());
    }
    try {
      return Json.MAPPER.writeValueAsBytes(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean looksLikeJson(String contentType) {
    if (contentType == null) {
      return true;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || type.endsWith("+json") || type.equals("*/*");
  }

  private static JsonNode readTree(byte[] json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] writeMap(Map<String, String> map, boolean asciiOnly) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(128);
        JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      if (asciiOnly) {
        g.enable(JsonGenerator.Feature.ESCAPE_NON_ASCII);
      }
      g.writeStartObject();
      for (Map.Entry<String, String> e : map.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] writeList(List<String> values) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    values.forEach(array::add);
    try {
      return Json.MAPPER.writeValueAsBytes(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
