package io.github.bedrockgateway.passthrough;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.github.bedrockgateway.bedrock.ModelCatalog;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The two Bedrock control-plane lists that clients in Bedrock mode read before they call a model
 * (Claude Code lists the system inference profiles to pick the ids of its models), answered from
 * the gateway's model catalog instead of Bedrock: the gateway's key grants the models of its
 * catalog, not the account's whole list, and the client's key must never reach AWS. Shapes are
 * Bedrock's ({@code ListInferenceProfiles}, {@code GetInferenceProfile}, {@code
 * ListFoundationModels}); what the catalog does not know is inferred from the id (a profile's
 * geography and backing model, a model's provider and output modality). Pure.
 */
final class ControlPlaneLists {

  /** Bedrock's bounds of {@code maxResults}. */
  static final int MAX_RESULTS = 1000;

  private static final Set<String> GEOGRAPHIES =
      Set.of("us", "eu", "apac", "global", "us-gov", "jp", "au", "ca", "uk");

  /** An inference profile: its id, name, ARN, type and the foundation models behind it. */
  record Profile(String id, String name, String arn, String type, List<String> modelArns) {}

  /** A foundation model. */
  record Model(
      String id, String arn, String provider, String outputModality, String inferenceType) {}

  /** Where ARNs point: the partition and region of the gateway. */
  record Place(String partition, String region) {

    String foundationModelArn(String modelId) {
      return "arn:" + partition + ":bedrock:" + region + "::foundation-model/" + modelId;
    }

    String profileArn(String profileId) {
      // the account of a system profile's ARN is the caller's, which the gateway does not know
      return "arn:" + partition + ":bedrock:" + region + "::inference-profile/" + profileId;
    }
  }

  private ControlPlaneLists() {}

  /**
   * The inference profiles among the catalog's Bedrock ids (system profiles, application profile
   * ARNs).
   */
  static List<Profile> profiles(List<ModelCatalog.Entry> catalog, Place place) {
    Map<String, Profile> out = new LinkedHashMap<>();
    for (ModelCatalog.Entry e : catalog) {
      String id = e.bedrockModelId();
      if (out.containsKey(id)) {
        continue;
      }
      if (id.startsWith("arn:") && id.contains(":application-inference-profile/")) {
        String shortId = id.substring(id.lastIndexOf('/') + 1);
        out.put(id, new Profile(shortId, e.id(), id, "APPLICATION", List.of()));
      } else if (geography(id) != null) {
        String geo = geography(id);
        String model = id.substring(geo.length() + 1);
        out.put(
            id,
            new Profile(
                id,
                geo.toUpperCase(Locale.ROOT) + " " + model,
                place.profileArn(id),
                "SYSTEM_DEFINED",
                List.of(place.foundationModelArn(model))));
      }
    }
    return List.copyOf(out.values());
  }

  /**
   * The foundation models among the catalog's Bedrock ids, and those behind its system profiles.
   */
  static List<Model> foundationModels(List<ModelCatalog.Entry> catalog, Place place) {
    Map<String, Model> out = new LinkedHashMap<>();
    for (ModelCatalog.Entry e : catalog) {
      String id = e.bedrockModelId();
      if (id.startsWith("arn:") || !id.contains(".")) {
        continue;
      }
      String geo = geography(id);
      String model = geo == null ? id : id.substring(geo.length() + 1);
      String inference = geo == null ? "ON_DEMAND" : "INFERENCE_PROFILE";
      Model existing = out.get(model);
      if (existing == null
          || (existing.inferenceType().equals("INFERENCE_PROFILE") && geo == null)) {
        out.put(
            model,
            new Model(
                model,
                place.foundationModelArn(model),
                ModelCatalog.ownerOf(model),
                outputModality(model),
                inference));
      }
    }
    return List.copyOf(out.values());
  }

  /**
   * The {@code us} of {@code us.anthropic.claude-...}, or null for an id that is not a system
   * profile.
   */
  static String geography(String id) {
    int dot = id.indexOf('.');
    if (dot <= 0 || id.startsWith("arn:") || id.indexOf('.', dot + 1) < 0) {
      return null;
    }
    String prefix = id.substring(0, dot);
    return GEOGRAPHIES.contains(prefix) ? prefix : null;
  }

  private static String outputModality(String modelId) {
    String id = modelId.toLowerCase(Locale.ROOT);
    if (id.contains("embed")) {
      return "EMBEDDING";
    }
    if (id.contains("image")
        || id.contains("canvas")
        || id.contains("stable-")
        || id.contains("sd3")) {
      return "IMAGE";
    }
    return "TEXT";
  }

  /**
   * {@code ListInferenceProfiles}: {@code {"inferenceProfileSummaries": [...], "nextToken": ...}}.
   *
   * @param type the {@code type} query parameter: {@code SYSTEM_DEFINED} (also when absent, as
   *     Bedrock does) or {@code APPLICATION}
   * @param maxResults the {@code maxResults} query parameter, or null
   * @param nextToken the {@code nextToken} query parameter, or null
   * @throws GatewayException 400 for a parameter Bedrock would refuse, worded as Bedrock words it
   */
  static byte[] listInferenceProfiles(
      List<Profile> profiles, String type, String maxResults, String nextToken) {
    String wanted = type == null ? "SYSTEM_DEFINED" : type;
    if (!wanted.equals("SYSTEM_DEFINED") && !wanted.equals("APPLICATION")) {
      throw GatewayException.invalid(
          "type",
          "1 validation error detected: Value '"
              + type
              + "' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: "
              + "[SYSTEM_DEFINED, APPLICATION]");
    }
    List<Profile> matching = profiles.stream().filter(p -> p.type().equals(wanted)).toList();
    int limit = maxResults(maxResults);
    int from = offset(nextToken, matching.size());
    int to = Math.min(matching.size(), from + limit);
    return json(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("inferenceProfileSummaries");
          for (Profile p : matching.subList(from, to)) {
            writeProfile(g, p);
          }
          g.writeEndArray();
          if (to < matching.size()) {
            g.writeStringField("nextToken", token(to));
          }
          g.writeEndObject();
        });
  }

  /**
   * {@code GetInferenceProfile} of a profile id or ARN, or null when the catalog has no such
   * profile.
   */
  static byte[] getInferenceProfile(List<Profile> profiles, String identifier) {
    for (Profile p : profiles) {
      if (p.id().equals(identifier) || p.arn().equals(identifier)) {
        return json(g -> writeProfile(g, p));
      }
    }
    return null;
  }

  private static void writeProfile(JsonGenerator g, Profile p) throws IOException {
    g.writeStartObject();
    g.writeStringField("inferenceProfileName", p.name());
    g.writeStringField("description", "Served by the Bedrock Chat Gateway's model catalog.");
    g.writeStringField("inferenceProfileArn", p.arn());
    g.writeArrayFieldStart("models");
    for (String arn : p.modelArns()) {
      g.writeStartObject();
      g.writeStringField("modelArn", arn);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeStringField("inferenceProfileId", p.id());
    g.writeStringField("status", "ACTIVE");
    g.writeStringField("type", p.type());
    g.writeEndObject();
  }

  /**
   * {@code ListFoundationModels}: {@code {"modelSummaries": [...]}}, filtered by {@code byProvider}
   * (ignoring case), {@code byOutputModality} and {@code byInferenceType} as Bedrock filters.
   */
  static byte[] listFoundationModels(
      List<Model> models, String byProvider, String byOutputModality, String byInferenceType) {
    if (byOutputModality != null
        && !Set.of("TEXT", "IMAGE", "EMBEDDING").contains(byOutputModality)) {
      throw GatewayException.invalid(
          "byOutputModality",
          "1 validation error detected: Value '"
              + byOutputModality
              + "' at 'byOutputModality' failed to satisfy constraint: Member must satisfy enum value set: "
              + "[TEXT, IMAGE, EMBEDDING]");
    }
    if (byInferenceType != null && !Set.of("ON_DEMAND", "PROVISIONED").contains(byInferenceType)) {
      throw GatewayException.invalid(
          "byInferenceType",
          "1 validation error detected: Value '"
              + byInferenceType
              + "' at 'byInferenceType' failed to satisfy constraint: Member must satisfy enum value set: "
              + "[ON_DEMAND, PROVISIONED]");
    }
    List<Model> matching = new ArrayList<>();
    for (Model m : models) {
      if (byProvider != null && !m.provider().equalsIgnoreCase(byProvider)) {
        continue;
      }
      if (byOutputModality != null && !m.outputModality().equals(byOutputModality)) {
        continue;
      }
      if (byInferenceType != null && !m.inferenceType().equals(byInferenceType)) {
        continue;
      }
      matching.add(m);
    }
    return json(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("modelSummaries");
          for (Model m : matching) {
            g.writeStartObject();
            g.writeStringField("modelArn", m.arn());
            g.writeStringField("modelId", m.id());
            g.writeStringField("modelName", m.id());
            g.writeStringField("providerName", m.provider());
            g.writeArrayFieldStart("inputModalities");
            g.writeString("TEXT");
            g.writeEndArray();
            g.writeArrayFieldStart("outputModalities");
            g.writeString(m.outputModality());
            g.writeEndArray();
            g.writeBooleanField("responseStreamingSupported", m.outputModality().equals("TEXT"));
            g.writeArrayFieldStart("customizationsSupported");
            g.writeEndArray();
            g.writeArrayFieldStart("inferenceTypesSupported");
            g.writeString(m.inferenceType());
            g.writeEndArray();
            g.writeObjectFieldStart("modelLifecycle");
            g.writeStringField("status", "ACTIVE");
            g.writeEndObject();
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private static int maxResults(String value) {
    if (value == null) {
      return MAX_RESULTS;
    }
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw GatewayException.invalid(
          "maxResults",
          "1 validation error detected: Value '"
              + value
              + "' at 'maxResults' failed to satisfy constraint: Member must be a number");
    }
    if (n < 1 || n > MAX_RESULTS) {
      throw GatewayException.invalid(
          "maxResults",
          "1 validation error detected: Value '"
              + n
              + "' at 'maxResults' failed to satisfy constraint: Member must have value "
              + (n < 1 ? "greater than or equal to 1" : "less than or equal to " + MAX_RESULTS));
    }
    return n;
  }

  /** An opaque token: the index of the next profile. */
  private static String token(int offset) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("profiles:" + offset).getBytes(UTF_8));
  }

  private static int offset(String token, int size) {
    if (token == null || token.isEmpty()) {
      return 0;
    }
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(token), UTF_8);
      if (decoded.startsWith("profiles:")) {
        int offset = Integer.parseInt(decoded.substring("profiles:".length()));
        if (offset >= 0 && offset <= size) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the refusal
    }
    throw GatewayException.invalid("nextToken", "The nextToken is invalid or has expired.");
  }

  private interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] json(Writer writer) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(1024);
        JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      writer.write(g);
      g.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
