package io.github.bedrockgateway.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.json.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and malformed bodies thrown at the HTTP layer: every answer is a 2xx or a 4xx in the
 * OpenAI envelope, never a 5xx, a hang or a stack trace.
 */
@QuarkusTest
class HttpFuzzTest {

  private static final List<String> VALID =
      List.of(
          "{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
          "{\"model\": \"gpt-4o\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
          "{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"hi\"}]}],"
              + " \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}], \"tool_choice\": \"auto\"}");
  private static final List<String> CONTENT_TYPES =
      List.of(
          "application/json",
          "application/json; charset=utf-8",
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/vnd.api+json");

  @TestHTTPResource("/v1/chat/completions")
  URL endpoint;

  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Test
  void random_and_malformed_requests_get_a_2xx_or_a_4xx_envelope_never_a_5xx_or_a_stack_trace()
      throws Exception {
    Random random = new Random(20261122);
    int ok = 0;
    int refused = 0;
    for (int i = 0; i < 400; i++) {
      byte[] body =
          mutate(VALID.get(random.nextInt(VALID.size())).getBytes(StandardCharsets.UTF_8), random);
      String contentType =
          random.nextInt(5) == 0
              ? CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size()))
              : "application/json";
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(endpoint.toString()))
              .timeout(Duration.ofSeconds(20))
              .header("Authorization", "Bearer test-key-1")
              .header("Content-Type", contentType)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      String answer = r.body();
      assertThat(r.statusCode())
          .as("case %d: %s -> %s", i, new String(body, StandardCharsets.UTF_8), answer)
          .isBetween(200, 499);
      assertThat(answer).doesNotContain("\tat ").doesNotContain("Exception");
      if (r.statusCode() >= 400) {
        refused++;
        JsonNode error = Json.MAPPER.readTree(answer).path("error");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("type").asText()).isNotBlank();
      } else {
        ok++;
      }
    }
    assertThat(ok).as("some mutated requests still succeed").isGreaterThan(10);
    assertThat(refused).as("most mutated requests are refused").isGreaterThan(100);
  }

  /** Byte-level damage of a valid body: flips, cuts, insertions, invalid UTF-8, deep nesting. */
  private static byte[] mutate(byte[] valid, Random random) {
    int kind = random.nextInt(8);
    switch (kind) {
      case 0:
        return valid;
      case 1:
        {
          byte[] b = valid.clone();
          for (int n = 1 + random.nextInt(3); n > 0; n--) {
            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
          }
          return b;
        }
      case 2:
        return java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
      case 3:
        {
          String s = new String(valid, StandardCharsets.UTF_8);
          int at = random.nextInt(s.length());
          String[] junk = {
            "\"", "{", "}", "[", "]", ",", ":", "null", "1e999", "-0", "\\u0000", "\uD800", "\"x\":"
          };
          return (s.substring(0, at) + junk[random.nextInt(junk.length)] + s.substring(at))
              .getBytes(StandardCharsets.UTF_8);
        }
      case 4:
        {
          byte[] b = new byte[random.nextInt(200)];
          random.nextBytes(b);
          return b;
        }
      case 5:
        return ("{\"model\": \"gpt-4o\", \"messages\": " + "[".repeat(100 + random.nextInt(500)))
            .getBytes(StandardCharsets.UTF_8);
      case 6:
        {
          // valid JSON with a field of the wrong type
          String[] fields = {
            "model",
            "messages",
            "stream",
            "max_tokens",
            "temperature",
            "stop",
            "tools",
            "n",
            "top_p"
          };
          String[] values = {
            "1", "\"x\"", "[]", "{}", "true", "null", "-1", "1.5", "[1,2]", "{\"a\":{\"b\":[]}}"
          };
          String s = new String(valid, StandardCharsets.UTF_8);
          return (s.substring(0, s.length() - 1)
                  + ", \""
                  + fields[random.nextInt(fields.length)]
                  + "\": "
                  + values[random.nextInt(values.length)]
                  + "}")
              .getBytes(StandardCharsets.UTF_8);
        }
      default:
        {
          byte[] b = valid.clone();
          b[random.nextInt(b.length)] = (byte) 0xC3; // a UTF-8 lead byte without its continuation
          return b;
        }
    }
  }
}
