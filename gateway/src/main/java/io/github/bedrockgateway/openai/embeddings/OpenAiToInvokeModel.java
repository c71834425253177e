package io.github.bedrockgateway.openai.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * OpenAI {@code POST /v1/embeddings} -> the InvokeModel bodies of a Bedrock embedding model. Pure:
 * no I/O. {@link #parse} checks the request once (every refusal names its parameter), {@link
 * #batches} cuts it into the calls the model takes: one text per Titan call, up to 96 texts per
 * Cohere call.
 */
public final class OpenAiToInvokeModel {

  /** The request rules that come from configuration. */
  public record Rules(int maxInputs, InputType defaultInputType) {}

  /**
   * One InvokeModel call.
   *
   * @param first the index of its first text in the request (its texts are {@code first,
   *     first+1...})
   * @param texts the texts it embeds
   * @param body the InvokeModel body
   */
  public record Batch(int first, List<String> texts, JsonNode body) {}

  /**
   * Cohere's {@code truncate} values (Bedrock's default is {@code NONE}: too long a text is an
   * error).
   */
  private static final Set<String> TRUNCATE = Set.of("NONE", "START", "END");

  private OpenAiToInvokeModel() {}

  /**
   * Parses and checks a request body.
   *
   * @param resolve the catalog's alias resolution: client model name -> Bedrock model id
   * @throws GatewayException a 400 naming the offending parameter
   */
  public static EmbeddingsRequest parse(JsonNode body, UnaryOperator<String> resolve, Rules rules) {
    if (!body.isObject()) {
      throw GatewayException.invalid(
          null, "The request body must be a JSON object with 'model' and 'input'.");
    }
    JsonNode modelNode = body.path("model");
    if (!modelNode.isTextual() || modelNode.asText().isBlank()) {
      throw GatewayException.invalid(
          "model",
          "You must provide a model parameter: the name of an "
              + "embedding model, e.g. amazon.titan-embed-text-v2:0 or an alias of it.");
    }
    Inputs inputs = inputs(body.get("input"));
    String clientModel = modelNode.asText();
    String bedrockModelId = resolve.apply(clientModel);
    EmbeddingModel model =
        EmbeddingModel.of(bedrockModelId)
            .orElseThrow(() -> notAnEmbeddingModel(clientModel, bedrockModelId));
    if (inputs.tokens()) {
      throw GatewayException.invalid(
          "input",
          "The model '"
              + cut(clientModel)
              + "' ("
              + model.displayName()
              + ") takes text only, and 'input' holds token ids: Bedrock's embedding models cannot read "
              + "tokens. Send the text itself. (LangChain's OpenAIEmbeddings sends token ids by default; "
              + "set check_embedding_ctx_length=False.)");
    }
    if (inputs.texts().size() > rules.maxInputs()) {
      throw GatewayException.invalid(
          "input",
          "Too many inputs: "
              + inputs.texts().size()
              + " were sent and at most "
              + rules.maxInputs()
              + " are accepted in one request.");
    }
    Integer dimensions = dimensions(body.get("dimensions"), model);
    EncodingFormat encoding = encoding(body.get("encoding_format"));
    InputType inputType = inputType(body.get("input_type"), rules.defaultInputType());
    String truncate = truncate(body.get("truncate"));
    // Titan has neither input types nor truncation: the fields are checked, then left out (a client
    // that sets them once for every model keeps working when it switches to Titan).
    return new EmbeddingsRequest(
        clientModel,
        bedrockModelId,
        model,
        inputs.texts(),
        dimensions,
        encoding,
        model.cohere() ? inputType : null,
        model.cohere() ? truncate : null);
  }

  /** The InvokeModel calls that embed {@code request}, in input order. */
  public static List<Batch> batches(EmbeddingsRequest request) {
    EmbeddingModel model = request.model();
    List<String> texts = request.texts();
    List<Batch> batches =
        new ArrayList<>((texts.size() + model.textsPerCall() - 1) / model.textsPerCall());
    for (int first = 0; first < texts.size(); first += model.textsPerCall()) {
      List<String> slice =
          texts.subList(first, Math.min(texts.size(), first + model.textsPerCall()));
      batches.add(
          new Batch(
              first,
              List.copyOf(slice),
              model.cohere() ? cohere(request, slice) : titan(request, slice.get(0))));
    }
    return batches;
  }

  private static JsonNode titan(EmbeddingsRequest request, String text) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("inputText", text);
    if (request.dimensions() != null) {
      body.put("dimensions", request.dimensions());
    }
    // OpenAI's vectors have unit length, and clients compare them by dot product.
    body.put("normalize", true);
    return body;
  }

  private static JsonNode cohere(EmbeddingsRequest request, List<String> texts) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode array = body.putArray("texts");
    texts.forEach(array::add);
    body.put("input_type", request.inputType().wire());
    // Asking for floats by name gives the same answer shape ("embeddings": {"float": [...]}) on v3
    // and v4.
    body.putArray("embedding_types").add("float");
    if (request.model() == EmbeddingModel.COHERE_V4 && request.dimensions() != null) {
      body.put("output_dimension", request.dimensions());
    }
    if (request.truncate() != null) {
      body.put("truncate", request.truncate());
    }
    return body;
  }

  /**
   * The texts of {@code input}, or token ids (which no model takes, refused once the model is
   * known).
   */
  private record Inputs(List<String> texts, boolean tokens) {}

  private static Inputs inputs(JsonNode input) {
    String shapes =
        "'input' must be a string, an array of strings, an array of token ids or an array of "
            + "token id arrays";
    if (input == null || input.isNull()) {
      throw GatewayException.invalid(
          "input", "You must provide 'input': the text to embed, or an array " + "of texts.");
    }
    if (input.isTextual()) {
      if (input.asText().isEmpty()) {
        throw GatewayException.invalid("input", "'input' must not be an empty string.");
      }
      return new Inputs(List.of(input.asText()), false);
    }
    if (!input.isArray()) {
      throw GatewayException.invalid("input", shapes + "; it is " + kind(input) + ".");
    }
    if (input.isEmpty()) {
      throw GatewayException.invalid("input", "'input' must not be an empty array.");
    }
    JsonNode first = input.get(0);
    if (first.isIntegralNumber() || first.isArray()) {
      for (int i = 0; i < input.size(); i++) {
        JsonNode item = input.get(i);
        boolean ok =
            first.isArray() ? item.isArray() && allIntegral(item) : item.isIntegralNumber();
        if (!ok) {
          throw GatewayException.invalid(
              "input",
              shapes
                  + "; input["
                  + i
                  + "] is "
                  + kind(item)
                  + " where "
                  + kind(first)
                  + " came first.");
        }
      }
      return new Inputs(List.of(), true);
    }
    List<String> texts = new ArrayList<>(input.size());
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      if (!item.isTextual()) {
        throw GatewayException.invalid(
            "input", shapes + "; input[" + i + "] is " + kind(item) + " in an array of strings.");
      }
      if (item.asText().isEmpty()) {
        throw GatewayException.invalid(
            "input", "input[" + i + "] is an empty string; every input must " + "hold some text.");
      }
      texts.add(item.asText());
    }
    return new Inputs(texts, false);
  }

  private static boolean allIntegral(JsonNode array) {
    for (JsonNode n : array) {
      if (!n.isIntegralNumber()) {
        return false;
      }
    }
    return true;
  }

  private static String kind(JsonNode n) {
    return switch (n.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> n.isIntegralNumber() ? "an integer" : "a number";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static GatewayException notAnEmbeddingModel(String clientModel, String bedrockModelId) {
    String named =
        clientModel.equals(bedrockModelId)
            ? "'" + cut(clientModel) + "'"
            : "'" + cut(clientModel) + "' (" + bedrockModelId + ")";
    return GatewayException.invalid(
        "model",
        "The model "
            + named
            + " is not an embedding model this gateway "
            + "serves. /v1/embeddings serves "
            + EmbeddingModel.SERVED
            + ", as base model ids, system "
            + "inference profiles (us.cohere.embed-v4:0) or aliases of them in GATEWAY_MODELS_LIST.");
  }

  private static Integer dimensions(JsonNode node, EmbeddingModel model) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw GatewayException.invalid(
          "dimensions", "'dimensions' must be an integer; it is " + kind(node) + ".");
    }
    int value = node.intValue();
    if (!model.dimensions().contains(value)) {
      String offered =
          model.dimensions().size() == 1
              ? "has " + model.dimensions().get(0) + " dimensions only"
              : "offers " + orList(model.dimensions()) + " dimensions";
      throw GatewayException.invalid(
          "dimensions",
          model.displayName() + " " + offered + "; 'dimensions' " + value + " is not available.");
    }
    return value;
  }

  /** {@code 256, 512 or 1024} */
  private static String orList(List<Integer> values) {
    List<String> text = values.stream().map(String::valueOf).toList();
    return String.join(", ", text.subList(0, text.size() - 1)) + " or " + text.get(text.size() - 1);
  }

  private static EncodingFormat encoding(JsonNode node) {
    if (node == null || node.isNull()) {
      return EncodingFormat.FLOAT;
    }
    if (node.isTextual()) {
      switch (node.asText()) {
        case "float":
          return EncodingFormat.FLOAT;
        case "base64":
          return EncodingFormat.BASE64;
        default:
          break;
      }
    }
    throw GatewayException.invalid(
        "encoding_format",
        "'encoding_format' must be 'float' or 'base64'; it is " + shown(node) + ".");
  }

  private static InputType inputType(JsonNode node, InputType fallback) {
    if (node == null || node.isNull()) {
      return fallback;
    }
    return InputType.fromWire(node.isTextual() ? node.asText() : "")
        .orElseThrow(
            () ->
                GatewayException.invalid(
                    "input_type",
                    "'input_type' must be one of "
                        + InputType.allowed()
                        + "; it is "
                        + shown(node)
                        + "."));
  }

  private static String truncate(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual() && TRUNCATE.contains(node.asText())) {
      return node.asText();
    }
    throw GatewayException.invalid(
        "truncate", "'truncate' must be NONE, START or END; it is " + shown(node) + ".");
  }

  /**
   * A client's value in an error message, cut short: the message is not a place to echo a whole
   * body.
   */
  private static String shown(JsonNode node) {
    return cut(node.toString());
  }

  private static String cut(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
