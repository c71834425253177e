package io.github.bedrockgateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The embedding models the simulator answers through InvokeModel, with the bodies Bedrock takes and
 * gives: Amazon Titan Text Embeddings V2 ({@code {inputText, dimensions, normalize,
 * embeddingTypes}} -> {@code {embedding, inputTextTokenCount}}) and Cohere Embed v3 / v4 ({@code
 * {texts, input_type, truncate, embedding_types[, output_dimension]}} -> {@code {embeddings, id,
 * response_type, texts}}). Bedrock's schema errors come back as 400 {@code ValidationException} in
 * its wording.
 *
 * <p>Vectors are made up but deterministic: {@link #vector} is a function of the text alone (the
 * same text gives the same direction in every model; a shorter vector is a prefix of a longer one
 * before normalising), so tests can compute what to expect. {@code @sim error=}, {@code
 * error-message=} and {@code latency=} lines inside a text script failures as on the chat routes.
 */
public final class EmbeddingModels {

  public static final String TITAN_TEXT_V2 = "amazon.titan-embed-text-v2:0";
  public static final String COHERE_ENGLISH_V3 = "cohere.embed-english-v3";
  public static final String COHERE_MULTILINGUAL_V3 = "cohere.embed-multilingual-v3";
  public static final String COHERE_V4 = "cohere.embed-v4:0";

  /** Titan V2's sizes; 1024 when the request names none. */
  public static final Set<Integer> TITAN_DIMENSIONS = Set.of(256, 512, 1024);

  /** Cohere Embed v4's {@code output_dimension} values; 1536 when the request names none. */
  public static final Set<Integer> COHERE_V4_DIMENSIONS = Set.of(256, 512, 1024, 1536);

  /** Cohere Embed v3's fixed size. */
  public static final int COHERE_V3_DIMENSIONS = 1024;

  /** At most this many texts in one Cohere request. */
  public static final int COHERE_MAX_TEXTS = 96;

  /** Cohere's per-text limit; longer texts are refused unless {@code truncate} is START or END. */
  public static final int COHERE_MAX_TEXT_CHARACTERS = 2048;

  /** Titan V2's limit on {@code inputText}. */
  public static final int TITAN_MAX_TEXT_CHARACTERS = 50_000;

  private static final Set<String> TITAN_KEYS =
      Set.of("inputText", "dimensions", "normalize", "embeddingTypes");
  private static final Set<String> COHERE_V3_KEYS =
      Set.of("texts", "images", "input_type", "truncate", "embedding_types");
  private static final Set<String> COHERE_V4_KEYS =
      Set.of(
          "texts",
          "images",
          "input_type",
          "truncate",
          "embedding_types",
          "output_dimension",
          "max_tokens");
  private static final List<String> INPUT_TYPES =
      List.of("search_document", "search_query", "classification", "clustering");
  private static final List<String> TRUNCATE = List.of("NONE", "START", "END");
  private static final List<String> COHERE_TYPES =
      List.of("float", "int8", "uint8", "binary", "ubinary");
  private static final List<String> TITAN_TYPES = List.of("float", "binary");

  /** The model families answered; others are not embedding models to the simulator. */
  enum Family {
    TITAN_V2,
    COHERE_V3,
    COHERE_V4;

    /** The family of a model id (base id or inference profile), or null. */
    static Family of(String modelId) {
      String id = modelId.toLowerCase(Locale.ROOT);
      if (id.contains("amazon.titan-embed-text-v2")) {
        return TITAN_V2;
      }
      if (id.contains("cohere.embed-english-v3") || id.contains("cohere.embed-multilingual-v3")) {
        return COHERE_V3;
      }
      return id.contains("cohere.embed-v4") ? COHERE_V4 : null;
    }
  }

  /**
   * The answer to one request: an error, or a body with the input tokens for Bedrock's header.
   *
   * @param latencyMs the wait a {@code @sim latency} line asked for
   */
  record Answer(BedrockError error, ObjectNode body, int inputTokens, long latencyMs) {}

  private EmbeddingModels() {}

  /**
   * The simulated embedding of {@code text}: {@code dimensions} components drawn from a generator
   * seeded with the SHA-256 of the text, scaled to unit length when {@code normalize} is true.
   */
  public static float[] vector(String text, int dimensions, boolean normalize) {
    SplittableRandom random =
        new SplittableRandom(ByteBuffer.wrap(ReplyScript.sha256(text)).getLong());
    float[] vector = new float[dimensions];
    double sumOfSquares = 0;
    for (int i = 0; i < dimensions; i++) {
      vector[i] = (float) (random.nextDouble() * 2 - 1);
      sumOfSquares += (double) vector[i] * vector[i];
    }
    if (normalize && sumOfSquares > 0) {
      double norm = Math.sqrt(sumOfSquares);
      for (int i = 0; i < dimensions; i++) {
        vector[i] = (float) (vector[i] / norm);
      }
    }
    return vector;
  }

  static Answer answer(Family family, JsonNode body, String modelId) {
    return family == Family.TITAN_V2 ? titan(body, modelId) : cohere(family, body, modelId);
  }

  private static Answer titan(JsonNode body, String modelId) {
    List<String> problems = SchemaErrors.unknownKeys(body, TITAN_KEYS);
    JsonNode text = body.get("inputText");
    if (text == null) {
      problems.add("#: required key [inputText] not found");
    } else if (!text.isTextual()) {
      problems.add("#/inputText: expected type: String, found: " + SchemaErrors.typeName(text));
    } else if (text.asText().isEmpty()) {
      problems.add("#/inputText: expected minLength: 1, actual: 0");
    } else if (text.asText().length() > TITAN_MAX_TEXT_CHARACTERS) {
      problems.add(
          "#/inputText: expected maxLength: "
              + TITAN_MAX_TEXT_CHARACTERS
              + ", actual: "
              + text.asText().length());
    }
    JsonNode dimensions = body.get("dimensions");
    if (dimensions != null
        && !(dimensions.canConvertToInt() && TITAN_DIMENSIONS.contains(dimensions.intValue()))) {
      problems.add("#/dimensions: " + dimensions + " is not a valid enum value");
    }
    JsonNode normalize = body.get("normalize");
    if (normalize != null && !normalize.isBoolean()) {
      problems.add(
          "#/normalize: expected type: Boolean, found: " + SchemaErrors.typeName(normalize));
    }
    List<String> types = types(body, "embeddingTypes", TITAN_TYPES, problems);
    if (!problems.isEmpty()) {
      return new Answer(SchemaErrors.malformed(problems), null, 0, 0);
    }
    Answer scripted = scripted(List.of(text.asText()), modelId);
    if (scripted.error() != null) {
      return scripted;
    }
    float[] vector =
        vector(
            text.asText(),
            dimensions == null ? 1024 : dimensions.intValue(),
            normalize == null || normalize.booleanValue());
    int tokens = tokens(text.asText());
    ObjectNode answer = ConverseWire.JSON.createObjectNode();
    floats(answer.putArray("embedding"), vector);
    answer.put("inputTextTokenCount", tokens);
    if (types != null) {
      ObjectNode byType = answer.putObject("embeddingsByType");
      for (String type : types) {
        ArrayNode values = byType.putArray(type);
        if (type.equals("float")) {
          floats(values, vector);
        } else {
          for (float value : vector) {
            values.add(value > 0 ? 1 : 0);
          }
        }
      }
    }
    return new Answer(null, answer, tokens, scripted.latencyMs());
  }

  private static Answer cohere(Family family, JsonNode body, String modelId) {
    List<String> problems =
        SchemaErrors.unknownKeys(
            body, family == Family.COHERE_V4 ? COHERE_V4_KEYS : COHERE_V3_KEYS);
    JsonNode texts = body.get("texts");
    if (body.has("images")) {
      problems.add("#/images: the Bedrock simulator embeds texts only");
    }
    if (texts == null) {
      problems.add("#: required key [texts] not found");
    } else if (!texts.isArray()) {
      problems.add("#/texts: expected type: JSONArray, found: " + SchemaErrors.typeName(texts));
    } else if (texts.size() > COHERE_MAX_TEXTS) {
      problems.add("#/texts: expected maxItems: " + COHERE_MAX_TEXTS + ", actual: " + texts.size());
    }
    JsonNode inputType = body.get("input_type");
    if (inputType == null) {
      problems.add("#: required key [input_type] not found");
    } else if (!INPUT_TYPES.contains(inputType.asText())) {
      problems.add("#/input_type: " + inputType.asText() + " is not a valid enum value");
    }
    String truncate = body.path("truncate").asText("NONE");
    if (!TRUNCATE.contains(truncate)) {
      problems.add("#/truncate: " + truncate + " is not a valid enum value");
    }
    JsonNode outputDimension = body.get("output_dimension");
    if (outputDimension != null
        && !(outputDimension.canConvertToInt()
            && COHERE_V4_DIMENSIONS.contains(outputDimension.intValue()))) {
      problems.add("#/output_dimension: " + outputDimension + " is not a valid enum value");
    }
    List<String> types = types(body, "embedding_types", COHERE_TYPES, problems);
    List<String> inputs = new ArrayList<>();
    if (texts != null && texts.isArray()) {
      for (int i = 0; i < texts.size(); i++) {
        JsonNode text = texts.get(i);
        if (!text.isTextual()) {
          problems.add(
              "#/texts/" + i + ": expected type: String, found: " + SchemaErrors.typeName(text));
        } else if (text.asText().length() > COHERE_MAX_TEXT_CHARACTERS && truncate.equals("NONE")) {
          problems.add(
              "#/texts/"
                  + i
                  + ": expected maxLength: "
                  + COHERE_MAX_TEXT_CHARACTERS
                  + ", actual: "
                  + text.asText().length());
        } else {
          inputs.add(text.asText());
        }
      }
    }
    if (!problems.isEmpty()) {
      return new Answer(SchemaErrors.malformed(problems), null, 0, 0);
    }
    Answer scripted = scripted(inputs, modelId);
    if (scripted.error() != null) {
      return scripted;
    }
    int dimensions =
        family == Family.COHERE_V3
            ? COHERE_V3_DIMENSIONS
            : outputDimension == null ? 1536 : outputDimension.intValue();
    List<float[]> vectors = new ArrayList<>(inputs.size());
    int tokens = 0;
    for (String text : inputs) {
      String kept =
          text.length() <= COHERE_MAX_TEXT_CHARACTERS
              ? text
              : truncate.equals("START")
                  ? text.substring(text.length() - COHERE_MAX_TEXT_CHARACTERS)
                  : text.substring(0, COHERE_MAX_TEXT_CHARACTERS);
      vectors.add(vector(kept, dimensions, true));
      tokens += tokens(kept);
    }
    ObjectNode answer = ConverseWire.JSON.createObjectNode();
    if (types == null) {
      ArrayNode embeddings = answer.putArray("embeddings");
      vectors.forEach(vector -> floats(embeddings.addArray(), vector));
    } else {
      ObjectNode byType = answer.putObject("embeddings");
      for (String type : types) {
        ArrayNode values = byType.putArray(type);
        vectors.forEach(vector -> quantized(values.addArray(), vector, type));
      }
    }
    answer.put("id", UUID.randomUUID().toString());
    answer.put("response_type", types == null ? "embeddings_floats" : "embeddings_by_type");
    ArrayNode echoed = answer.putArray("texts");
    inputs.forEach(echoed::add);
    return new Answer(null, answer, tokens, scripted.latencyMs());
  }

  /**
   * {@code @sim error} / {@code latency} lines in the texts; an error answer carries the latency
   * too.
   */
  private static Answer scripted(List<String> texts, String modelId) {
    long latency = 0;
    for (String text : texts) {
      if (!text.contains("@sim")) {
        continue;
      }
      try {
        Directives directives = Directives.parse(text);
        latency = Math.max(latency, directives.latencyMs);
        BedrockError error = ReplyScript.scriptedError(directives, modelId);
        if (error != null) {
          return new Answer(error, null, 0, directives.latencyMs);
        }
      } catch (Directives.InvalidDirectiveException e) {
        return new Answer(BedrockError.validation(e.getMessage()), null, 0, 0);
      }
    }
    return new Answer(null, null, 0, latency);
  }

  /** The embedding types asked for, or null when the request names none. */
  private static List<String> types(
      JsonNode body, String member, List<String> allowed, List<String> problems) {
    JsonNode types = body.get(member);
    if (types == null) {
      return null;
    }
    if (!types.isArray()) {
      problems.add(
          "#/" + member + ": expected type: JSONArray, found: " + SchemaErrors.typeName(types));
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      String type = types.get(i).asText();
      if (!allowed.contains(type)) {
        problems.add("#/" + member + "/" + i + ": " + type + " is not a valid enum value");
      } else if (!out.contains(type)) {
        out.add(type);
      }
    }
    return out;
  }

  private static void floats(ArrayNode into, float[] vector) {
    for (float value : vector) {
      into.add(value);
    }
  }

  /**
   * Cohere's compressed types: {@code int8} / {@code uint8} scale by the largest magnitude; {@code
   * ubinary} packs the signs eight to a byte (most significant bit first) and {@code binary} is the
   * same byte less 128.
   */
  private static void quantized(ArrayNode into, float[] vector, String type) {
    if (type.equals("float")) {
      floats(into, vector);
      return;
    }
    if (type.equals("binary") || type.equals("ubinary")) {
      for (int start = 0; start < vector.length; start += 8) {
        int packed = 0;
        for (int bit = 0; bit < 8; bit++) {
          int at = start + bit;
          packed = (packed << 1) | (at < vector.length && vector[at] > 0 ? 1 : 0);
        }
        into.add(type.equals("ubinary") ? packed : packed - 128);
      }
      return;
    }
    float largest = 0;
    for (float value : vector) {
      largest = Math.max(largest, Math.abs(value));
    }
    for (float value : vector) {
      double scaled = largest == 0 ? 0 : value / largest;
      into.add(
          type.equals("int8")
              ? (int) Math.round(scaled * 127)
              : (int) Math.round((scaled + 1) * 127.5));
    }
  }

  private static int tokens(String text) {
    return Math.max(1, (text.length() + 3) / 4);
  }
}
