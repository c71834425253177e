package io.github.bedrockgateway.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The part of the Bedrock control plane the gateway reads, as real Bedrock speaks it (REST-JSON):
 * {@code GET /foundation-models} ({@code ListFoundationModels}, filtered by {@code byProvider},
 * {@code byOutputModality}, {@code byInferenceType}, {@code byCustomizationType}) and {@code GET
 * /inference-profiles} ({@code ListInferenceProfiles}, filtered by {@code type} and paged with
 * {@code maxResults} / {@code nextToken}). Without {@code type}, like Bedrock, only system-defined
 * profiles are listed.
 *
 * <p>Scriptable at run time: replace the catalog, change the page size, or make an operation fail
 * (for instance {@link #denyAccess(Operation)}, the {@code AccessDeniedException} of an IAM policy
 * that does not allow it). Thread-safe.
 */
public final class ControlPlane {

  /** The account id in the ARNs the simulator makes up. */
  public static final String ACCOUNT = "123456789012";

  /**
   * Profiles per page unless the request asks for fewer: small, so that paging is always exercised.
   */
  public static final int DEFAULT_PAGE_SIZE = 5;

  /** The control-plane operations the simulator answers. */
  public enum Operation {
    LIST_FOUNDATION_MODELS("ListFoundationModels", "list-foundation-models", "/foundation-models"),
    LIST_INFERENCE_PROFILES(
        "ListInferenceProfiles", "list-inference-profiles", "/inference-profiles");

    private final String action;
    private final String recordedName;
    private final String path;

    Operation(String action, String recordedName, String path) {
      this.action = action;
      this.recordedName = recordedName;
      this.path = path;
    }

    /** The IAM action name, e.g. {@code ListFoundationModels}. */
    public String action() {
      return action;
    }

    /** {@link RecordedRequest#operation()} of such a request. */
    public String recordedName() {
      return recordedName;
    }

    static Operation of(String rawPath) {
      for (Operation op : values()) {
        if (op.path.equals(rawPath) || (op.path + "/").equals(rawPath)) {
          return op;
        }
      }
      return null;
    }
  }

  /**
   * One foundation model, as {@code FoundationModelSummary}; the ARN is made from the region the
   * request was signed for.
   */
  public record FoundationModel(
      String modelId,
      String modelName,
      String providerName,
      List<String> inputModalities,
      List<String> outputModalities,
      boolean responseStreamingSupported,
      List<String> inferenceTypesSupported,
      List<String> customizationsSupported,
      String lifecycleStatus) {

    public FoundationModel {
      Objects.requireNonNull(modelId, "modelId");
      inputModalities = List.copyOf(inputModalities);
      outputModalities = List.copyOf(outputModalities);
      inferenceTypesSupported = List.copyOf(inferenceTypesSupported);
      customizationsSupported = List.copyOf(customizationsSupported);
    }

    /** A text model (text and image in, text out) invocable on demand. */
    public static FoundationModel text(String modelId, String modelName, String providerName) {
      return new FoundationModel(
          modelId,
          modelName,
          providerName,
          List.of("TEXT", "IMAGE"),
          List.of("TEXT"),
          true,
          List.of("ON_DEMAND"),
          List.of(),
          "ACTIVE");
    }
  }

  /**
   * One inference profile, as {@code InferenceProfileSummary}: {@code SYSTEM_DEFINED} (id such as
   * {@code us.anthropic...}) or {@code APPLICATION} (id a random string; ARN {@code
   * ...:application-inference-profile/ID}), routing to {@code modelId} in {@code regions}.
   */
  public record InferenceProfile(
      String inferenceProfileId,
      String inferenceProfileName,
      String type,
      String status,
      String modelId,
      List<String> regions) {

    public InferenceProfile {
      Objects.requireNonNull(inferenceProfileId, "inferenceProfileId");
      regions = List.copyOf(regions);
    }

    public static InferenceProfile system(
        String id, String name, String modelId, String... regions) {
      return new InferenceProfile(id, name, "SYSTEM_DEFINED", "ACTIVE", modelId, List.of(regions));
    }

    public static InferenceProfile application(
        String id, String name, String modelId, String region) {
      return new InferenceProfile(id, name, "APPLICATION", "ACTIVE", modelId, List.of(region));
    }

    String arn(String region) {
      String kind =
          "APPLICATION".equals(type) ? "application-inference-profile" : "inference-profile";
      return "arn:aws:bedrock:" + region + ":" + ACCOUNT + ":" + kind + "/" + inferenceProfileId;
    }
  }

  private static final Set<String> MODALITIES = Set.of("TEXT", "IMAGE", "EMBEDDING");
  private static final Set<String> INFERENCE_TYPES = Set.of("ON_DEMAND", "PROVISIONED");
  private static final Set<String> CUSTOMIZATION_TYPES =
      Set.of("FINE_TUNING", "CONTINUED_PRE_TRAINING", "DISTILLATION");
  private static final Set<String> PROFILE_TYPES = Set.of("SYSTEM_DEFINED", "APPLICATION");
  private static final Instant CREATED = Instant.parse("2024-08-27T00:00:00Z");

  private volatile List<FoundationModel> foundationModels = defaultFoundationModels();
  private volatile List<InferenceProfile> inferenceProfiles = defaultInferenceProfiles();
  private volatile int pageSize = DEFAULT_PAGE_SIZE;
  private final Map<Operation, BedrockError> failures = new EnumMap<>(Operation.class);

  /** A catalog of realistic models: text models, plus ones discovery must leave out. */
  public static List<FoundationModel> defaultFoundationModels() {
    return List.of(
        FoundationModel.text(
            "anthropic.claude-3-5-haiku-20241022-v1:0", "Claude 3.5 Haiku", "Anthropic"),
        new FoundationModel(
            "anthropic.claude-sonnet-4-20250514-v1:0",
            "Claude Sonnet 4",
            "Anthropic",
            List.of("TEXT", "IMAGE"),
            List.of("TEXT"),
            true,
            List.of("INFERENCE_PROFILE"),
            List.of(),
            "ACTIVE"),
        FoundationModel.text("amazon.nova-pro-v1:0", "Nova Pro", "Amazon"),
        FoundationModel.text("amazon.nova-lite-v1:0", "Nova Lite", "Amazon"),
        new FoundationModel(
            "meta.llama3-8b-instruct-v1:0",
            "Llama 3 8B Instruct",
            "Meta",
            List.of("TEXT"),
            List.of("TEXT"),
            true,
            List.of("ON_DEMAND"),
            List.of(),
            "ACTIVE"),
        new FoundationModel(
            "mistral.mistral-large-2402-v1:0",
            "Mistral Large (24.02)",
            "Mistral AI",
            List.of("TEXT"),
            List.of("TEXT"),
            true,
            List.of("ON_DEMAND"),
            List.of(),
            "ACTIVE"),
        new FoundationModel(
            "anthropic.claude-v2:1",
            "Claude",
            "Anthropic",
            List.of("TEXT"),
            List.of("TEXT"),
            true,
            List.of("ON_DEMAND"),
            List.of(),
            "LEGACY"),
        new FoundationModel(
            "anthropic.claude-3-haiku-20240307-v1:0:200k",
            "Claude 3 Haiku",
            "Anthropic",
            List.of("TEXT", "IMAGE"),
            List.of("TEXT"),
            true,
            List.of("PROVISIONED"),
            List.of(),
            "ACTIVE"),
        new FoundationModel(
            "amazon.titan-embed-text-v2:0",
            "Titan Text Embeddings V2",
            "Amazon",
            List.of("TEXT"),
            List.of("EMBEDDING"),
            false,
            List.of("ON_DEMAND"),
            List.of(),
            "ACTIVE"),
        new FoundationModel(
            "amazon.nova-canvas-v1:0",
            "Nova Canvas",
            "Amazon",
            List.of("TEXT", "IMAGE"),
            List.of("IMAGE"),
            false,
            List.of("ON_DEMAND"),
            List.of(),
            "ACTIVE"));
  }

  /** System-defined profiles in each geography, one inactive, and one application profile. */
  public static List<InferenceProfile> defaultInferenceProfiles() {
    return List.of(
        InferenceProfile.system(
            "us.anthropic.claude-sonnet-4-20250514-v1:0",
            "US Claude Sonnet 4",
            "anthropic.claude-sonnet-4-20250514-v1:0",
            "us-east-1",
            "us-east-2",
            "us-west-2"),
        InferenceProfile.system(
            "eu.anthropic.claude-sonnet-4-20250514-v1:0",
            "EU Claude Sonnet 4",
            "anthropic.claude-sonnet-4-20250514-v1:0",
            "eu-central-1",
            "eu-west-1",
            "eu-west-3"),
        InferenceProfile.system(
            "apac.anthropic.claude-sonnet-4-20250514-v1:0",
            "APAC Claude Sonnet 4",
            "anthropic.claude-sonnet-4-20250514-v1:0",
            "ap-northeast-1",
            "ap-southeast-1"),
        InferenceProfile.system(
            "global.anthropic.claude-sonnet-4-20250514-v1:0",
            "Global Claude Sonnet 4",
            "anthropic.claude-sonnet-4-20250514-v1:0",
            "us-east-1",
            "eu-west-1",
            "ap-northeast-1"),
        InferenceProfile.system(
            "us.anthropic.claude-3-5-haiku-20241022-v1:0",
            "US Claude 3.5 Haiku",
            "anthropic.claude-3-5-haiku-20241022-v1:0",
            "us-east-1",
            "us-east-2",
            "us-west-2"),
        InferenceProfile.system(
            "us.amazon.nova-pro-v1:0",
            "US Nova Pro",
            "amazon.nova-pro-v1:0",
            "us-east-1",
            "us-east-2",
            "us-west-2"),
        InferenceProfile.system(
            "us.meta.llama3-2-90b-instruct-v1:0",
            "US Meta Llama 3.2 90B Instruct",
            "meta.llama3-2-90b-instruct-v1:0",
            "us-east-1",
            "us-west-2"),
        new InferenceProfile(
            "us.deepseek.r1-v1:0",
            "US DeepSeek-R1",
            "SYSTEM_DEFINED",
            "INACTIVE",
            "deepseek.r1-v1:0",
            List.of("us-east-1")),
        InferenceProfile.application(
            "k3x9q2example",
            "team-a claude sonnet 4",
            "anthropic.claude-sonnet-4-20250514-v1:0",
            "us-east-1"));
  }

  /** Replaces the foundation models listed. */
  public void foundationModels(List<FoundationModel> models) {
    this.foundationModels = List.copyOf(models);
  }

  /** Replaces the inference profiles listed. */
  public void inferenceProfiles(List<InferenceProfile> profiles) {
    this.inferenceProfiles = List.copyOf(profiles);
  }

  /** Inference profiles per page when the request asks for more (or says nothing). */
  public void pageSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("page size must be at least 1");
    }
    this.pageSize = size;
  }

  /** Answers every request of {@code operation} with {@code error} until {@link #reset()}. */
  public void fail(Operation operation, BedrockError error) {
    synchronized (failures) {
      failures.put(operation, Objects.requireNonNull(error, "error"));
    }
  }

  /**
   * The {@code AccessDeniedException} Bedrock answers when the caller's IAM policy does not allow
   * the action.
   */
  public void denyAccess(Operation operation) {
    fail(operation, accessDenied(operation));
  }

  /** Bedrock's message for an action the identity's policies do not allow. */
  public static BedrockError accessDenied(Operation operation) {
    return new BedrockError(
        BedrockErrorType.ACCESS_DENIED_EXCEPTION,
        "User: arn:aws:sts::"
            + ACCOUNT
            + ":assumed-role/bedrock-gateway/simulator is not authorized to perform: bedrock:"
            + operation.action()
            + " because no identity-based policy allows the bedrock:"
            + operation.action()
            + " action");
  }

  /** Back to the default catalog and page size, with no scripted failure. */
  public void reset() {
    foundationModels = defaultFoundationModels();
    inferenceProfiles = defaultInferenceProfiles();
    pageSize = DEFAULT_PAGE_SIZE;
    synchronized (failures) {
      failures.clear();
    }
  }

  /**
   * The model an inference profile ARN routes to (an application profile's id is a random string,
   * so only the catalog knows it is Claude), or {@code modelId} itself.
   */
  String resolveModel(String modelId) {
    int slash = modelId.lastIndexOf('/');
    if (!modelId.startsWith("arn:") || !modelId.contains("inference-profile/") || slash < 0) {
      return modelId;
    }
    String id = modelId.substring(slash + 1);
    for (InferenceProfile profile : inferenceProfiles) {
      if (profile.inferenceProfileId().equals(id)) {
        return profile.modelId();
      }
    }
    return modelId;
  }

  BedrockError scriptedFailure(Operation operation) {
    synchronized (failures) {
      return failures.get(operation);
    }
  }

  /** The body of a successful answer, or the validation error a real Bedrock would give. */
  Answer answer(Operation operation, MultiMap query, String region) {
    return switch (operation) {
      case LIST_FOUNDATION_MODELS -> listFoundationModels(query, region);
      case LIST_INFERENCE_PROFILES -> listInferenceProfiles(query, region);
    };
  }

  /** Either a JSON body or an error. */
  record Answer(ObjectNode body, BedrockError error) {}

  private Answer listFoundationModels(MultiMap query, String region) {
    String provider = query.get("byProvider");
    String output = query.get("byOutputModality");
    String inference = query.get("byInferenceType");
    String customization = query.get("byCustomizationType");
    BedrockError invalid = checkEnum("byOutputModality", output, MODALITIES);
    invalid = invalid != null ? invalid : checkEnum("byInferenceType", inference, INFERENCE_TYPES);
    invalid =
        invalid != null
            ? invalid
            : checkEnum("byCustomizationType", customization, CUSTOMIZATION_TYPES);
    if (invalid != null) {
      return new Answer(null, invalid);
    }
    ObjectNode body = ConverseWire.JSON.createObjectNode();
    ArrayNode summaries = body.putArray("modelSummaries");
    for (FoundationModel m : foundationModels) {
      if ((provider != null && !provider.equalsIgnoreCase(m.providerName()))
          || (output != null && !m.outputModalities().contains(output))
          || (inference != null && !m.inferenceTypesSupported().contains(inference))
          || (customization != null && !m.customizationsSupported().contains(customization))) {
        continue;
      }
      ObjectNode s = summaries.addObject();
      s.put("modelArn", "arn:aws:bedrock:" + region + "::foundation-model/" + m.modelId());
      s.put("modelId", m.modelId());
      s.put("modelName", m.modelName());
      s.put("providerName", m.providerName());
      strings(s.putArray("inputModalities"), m.inputModalities());
      strings(s.putArray("outputModalities"), m.outputModalities());
      s.put("responseStreamingSupported", m.responseStreamingSupported());
      strings(s.putArray("customizationsSupported"), m.customizationsSupported());
      strings(s.putArray("inferenceTypesSupported"), m.inferenceTypesSupported());
      s.putObject("modelLifecycle").put("status", m.lifecycleStatus());
    }
    return new Answer(body, null);
  }

  private Answer listInferenceProfiles(MultiMap query, String region) {
    String type = query.get("type");
    BedrockError invalid = checkEnum("typeEquals", type, PROFILE_TYPES);
    if (invalid != null) {
      return new Answer(null, invalid);
    }
    String wanted = type == null ? "SYSTEM_DEFINED" : type;
    int limit = pageSize;
    String maxResults = query.get("maxResults");
    if (maxResults != null) {
      int max;
      try {
        max = Integer.parseInt(maxResults);
      } catch (NumberFormatException e) {
        max = -1;
      }
      if (max < 1 || max > 1000) {
        return new Answer(
            null,
            BedrockError.validation(
                "1 validation error detected: Value '"
                    + maxResults
                    + "' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000"));
      }
      limit = Math.min(limit, max);
    }
    List<InferenceProfile> matching = new ArrayList<>();
    for (InferenceProfile p : inferenceProfiles) {
      if (p.type().equals(wanted)) {
        matching.add(p);
      }
    }
    int from = 0;
    String token = query.get("nextToken");
    if (token != null) {
      from = decodeToken(token, wanted);
      if (from < 0 || from > matching.size()) {
        return new Answer(
            null, BedrockError.validation("The provided pagination token is invalid."));
      }
    }
    int to = Math.min(matching.size(), from + limit);
    ObjectNode body = ConverseWire.JSON.createObjectNode();
    ArrayNode summaries = body.putArray("inferenceProfileSummaries");
    for (InferenceProfile p : matching.subList(from, to)) {
      ObjectNode s = summaries.addObject();
      s.put("inferenceProfileName", p.inferenceProfileName());
      s.put("description", p.inferenceProfileName() + " (simulated)");
      s.put("createdAt", CREATED.toString());
      s.put("updatedAt", CREATED.toString());
      s.put("inferenceProfileArn", p.arn(region));
      ArrayNode models = s.putArray("models");
      for (String r : p.regions()) {
        models
            .addObject()
            .put("modelArn", "arn:aws:bedrock:" + r + "::foundation-model/" + p.modelId());
      }
      s.put("inferenceProfileId", p.inferenceProfileId());
      s.put("status", p.status());
      s.put("type", p.type());
    }
    if (to < matching.size()) {
      body.put("nextToken", encodeToken(to, wanted));
    }
    return new Answer(body, null);
  }

  private static String encodeToken(int offset, String type) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((type + ":" + offset).getBytes(UTF_8));
  }

  private static int decodeToken(String token, String type) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(token), UTF_8);
      if (!decoded.startsWith(type + ":")) {
        return -1;
      }
      return Integer.parseInt(decoded.substring(type.length() + 1));
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  private static BedrockError checkEnum(String member, String value, Set<String> allowed) {
    if (value == null || allowed.contains(value)) {
      return null;
    }
    return BedrockError.validation(
        "1 validation error detected: Value '"
            + value
            + "' at '"
            + member
            + "' failed to satisfy constraint: Member must satisfy enum value set: "
            + new java.util.TreeSet<>(allowed));
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  /** The region a SigV4 {@code Authorization} header is scoped to, or {@code us-east-1}. */
  static String regionOf(String authorization) {
    if (authorization != null) {
      int at = authorization.indexOf("Credential=");
      if (at >= 0) {
        String[] scope =
            authorization.substring(at + "Credential=".length()).split("[,\\s]", 2)[0].split("/");
        if (scope.length == 5 && !scope[2].isBlank()) {
          return scope[2].toLowerCase(Locale.ROOT);
        }
      }
    }
    return "us-east-1";
  }
}
