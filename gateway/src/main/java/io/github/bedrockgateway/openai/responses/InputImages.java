package io.github.bedrockgateway.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bedrockgateway.images.ImageInliner;
import java.util.ArrayList;
import java.util.List;

/**
 * The remote image URLs of a Responses API request: {@code input_image} parts of user messages and
 * of tool outputs whose {@code image_url} is an {@code http(s)://} URL. Anything malformed is left
 * for the translator to refuse.
 */
final class InputImages {

  private InputImages() {}

  static List<ImageInliner.Ref> find(JsonNode body) {
    List<ImageInliner.Ref> out = new ArrayList<>();
    JsonNode input = body == null ? null : body.get("input");
    if (input == null || !input.isArray()) {
      return out;
    }
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      if (!item.isObject()) {
        continue;
      }
      String type = item.path("type").asText(item.has("role") ? "message" : "");
      if (type.equals("message") && "user".equals(item.path("role").asText())) {
        parts(item.get("content"), "input[" + i + "].content", out);
      } else if (type.equals("function_call_output") || type.equals("custom_tool_call_output")) {
        parts(item.get("output"), "input[" + i + "].output", out);
      }
    }
    return out;
  }

  private static void parts(JsonNode content, String p, List<ImageInliner.Ref> out) {
    if (content == null || !content.isArray()) {
      return;
    }
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      JsonNode url = part.get("image_url");
      if (part.isObject()
          && "input_image".equals(part.path("type").asText())
          && url != null
          && url.isTextual()
          && ImageInliner.isRemote(url.asText())) {
        out.add(
            new ImageInliner.Ref(
                (ObjectNode) part, "image_url", url.asText(), p + "[" + j + "].image_url"));
      }
    }
  }
}
