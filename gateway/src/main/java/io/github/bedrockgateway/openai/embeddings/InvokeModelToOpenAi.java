package io.github.bedrockgateway.openai.embeddings;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;

/**
 * Bedrock embedding answers -> OpenAI's embeddings list. Pure: no I/O. {@link #read} takes one
 * InvokeModel answer apart (Titan's {@code {embedding, inputTextTokenCount}} or Cohere's {@code
 * {embeddings: {float: [...]}}}), {@link #list} writes the client's answer once every call has
 * answered.
 */
public final class InvokeModelToOpenAi {

  /**
   * What one call answered.
   *
   * @param vectors one per text of the call, in order
   * @param inputTokens the tokens Bedrock counted (or, when it gave no count, {@link
   *     #estimateTokens})
   */
  public record Answer(List<float[]> vectors, int inputTokens) {}

  private InvokeModelToOpenAi() {}

  /**
   * Reads one InvokeModel answer.
   *
   * @param headerTokens Bedrock's {@code X-Amzn-Bedrock-Input-Token-Count}, when the answer carried
   *     it
   * @throws GatewayException a 502 {@code upstream_protocol_error} when the answer is not what the
   *     model gives (unreadable, or not one vector per text)
   */
  public static Answer read(
      EmbeddingModel model,
      OpenAiToInvokeModel.Batch batch,
      byte[] body,
      OptionalInt headerTokens) {
    List<float[]> vectors = new ArrayList<>(batch.texts().size());
    Integer bodyTokens = null;
    try (JsonParser p = Json.FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw unreadable(model, "it is not a JSON object");
      }
      float[] byType = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (!model.cohere() && field.equals("embedding") && value == JsonToken.START_ARRAY) {
          vectors.add(floats(p, model));
        } else if (!model.cohere()
            && field.equals("embeddingsByType")
            && value == JsonToken.START_OBJECT) {
          byType = titanFloatByType(p, model);
        } else if (!model.cohere() && field.equals("inputTextTokenCount") && value.isNumeric()) {
          bodyTokens = p.getIntValue();
        } else if (model.cohere() && field.equals("embeddings")) {
          cohereEmbeddings(p, value, vectors, model);
        } else {
          p.skipChildren();
        }
      }
      if (vectors.isEmpty() && byType != null) {
        vectors.add(byType);
      }
    } catch (IOException e) {
      throw unreadable(model, e.getMessage());
    }
    if (vectors.size() != batch.texts().size()) {
      throw unreadable(
          model, vectors.size() + " embedding(s) for " + batch.texts().size() + " text(s)");
    }
    int tokens;
    if (bodyTokens != null) {
      tokens = bodyTokens;
    } else if (headerTokens.isPresent()) {
      tokens = headerTokens.getAsInt();
    } else {
      tokens = batch.texts().stream().mapToInt(InvokeModelToOpenAi::estimateTokens).sum();
    }
    return new Answer(vectors, tokens);
  }

  /**
   * The token count the gateway reports when Bedrock gives none: a quarter of the text's length in
   * UTF-16 units, rounded up, at least 1 (the rule of thumb Bedrock's own model pages give: 1 token
   * is about 4 characters).
   */
  public static int estimateTokens(String text) {
    return Math.max(1, (text.length() + 3) / 4);
  }

  /** {@code {object: "list", data: [{object: "embedding", index, embedding}], model, usage}}. */
  public static byte[] list(EmbeddingsRequest request, List<float[]> vectors, int promptTokens) {
    try (ByteArrayBuilder out =
            new ByteArrayBuilder(
                64 + vectors.size() * 8 * (vectors.isEmpty() ? 0 : vectors.get(0).length));
        JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("object", "list");
      g.writeArrayFieldStart("data");
      for (int i = 0; i < vectors.size(); i++) {
        g.writeStartObject();
        g.writeStringField("object", "embedding");
        g.writeNumberField("index", i);
        g.writeFieldName("embedding");
        float[] vector = vectors.get(i);
        if (request.encoding() == EncodingFormat.BASE64) {
          g.writeString(base64(vector));
        } else {
          // one float at a time: as doubles, 0.1f would be written 0.10000000149011612
          g.writeStartArray();
          for (float v : vector) {
            g.writeNumber(v);
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("model", request.clientModel());
      g.writeObjectFieldStart("usage");
      g.writeNumberField("prompt_tokens", promptTokens);
      g.writeNumberField("total_tokens", promptTokens);
      g.writeEndObject();
      g.writeEndObject();
      g.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** OpenAI's {@code base64} encoding: the float32 values, little-endian, in standard base64. */
  public static String base64(float[] vector) {
    ByteBuffer bytes =
        ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(vector);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  /**
   * A failed call's error as the client sees it: Bedrock refusing a body the gateway built from
   * valid parameters means it refused a text (too long, most often), so the error names {@code
   * input} and says which inputs that call carried.
   */
  public static GatewayException refused(
      GatewayException e, OpenAiToInvokeModel.Batch batch, int inputs) {
    if (e.status() != 400
        || !GatewayException.INVALID_REQUEST.equals(e.type())
        || e.param() != null) {
      return e;
    }
    int last = batch.first() + batch.texts().size() - 1;
    String which =
        inputs == 1
            ? "the input"
            : batch.first() == last
                ? "input[" + last + "]"
                : "one of input[" + batch.first() + "] to input[" + last + "]";
    return new GatewayException(
        e.status(),
        e.type(),
        "Bedrock refused " + which + ": " + e.getMessage(),
        "input",
        e.code(),
        e.headers());
  }

  private static void cohereEmbeddings(
      JsonParser p, JsonToken value, List<float[]> into, EmbeddingModel model) throws IOException {
    if (value == JsonToken.START_ARRAY) {
      // embeddings_floats: the answer when no embedding_types were named
      vectorList(p, into, model);
      return;
    }
    if (value != JsonToken.START_OBJECT) {
      throw unreadable(model, "'embeddings' is neither an array nor an object");
    }
    // embeddings_by_type: {"float": [[...], ...], "int8": ...}
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String type = p.currentName();
      JsonToken t = p.nextToken();
      if (type.equals("float") && t == JsonToken.START_ARRAY) {
        vectorList(p, into, model);
      } else {
        p.skipChildren();
      }
    }
  }

  private static void vectorList(JsonParser p, List<float[]> into, EmbeddingModel model)
      throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.START_ARRAY) {
      into.add(floats(p, model));
    }
    if (t != JsonToken.END_ARRAY) {
      throw unreadable(model, "an embedding is not an array of numbers");
    }
  }

  private static float[] titanFloatByType(JsonParser p, EmbeddingModel model) throws IOException {
    float[] found = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String type = p.currentName();
      JsonToken t = p.nextToken();
      if (type.equals("float") && t == JsonToken.START_ARRAY) {
        found = floats(p, model);
      } else {
        p.skipChildren();
      }
    }
    return found;
  }

  /** The numbers of the array whose START_ARRAY was just read. */
  private static float[] floats(JsonParser p, EmbeddingModel model) throws IOException {
    float[] values = new float[1024];
    int n = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
        throw unreadable(model, "an embedding holds a non-number");
      }
      if (n == values.length) {
        values = Arrays.copyOf(values, n * 2);
      }
      values[n++] = p.getFloatValue();
    }
    if (n == 0) {
      throw unreadable(model, "an embedding is empty");
    }
    return n == values.length ? values : Arrays.copyOf(values, n);
  }

  private static GatewayException unreadable(EmbeddingModel model, String why) {
    return new GatewayException(
        502,
        GatewayException.API_ERROR,
        "Bedrock's answer from " + model.displayName() + " could not be read: " + why + ".",
        null,
        "upstream_protocol_error");
  }
}
