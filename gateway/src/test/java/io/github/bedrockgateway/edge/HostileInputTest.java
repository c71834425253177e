package io.github.bedrockgateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.json.Json;
import io.github.bedrockgateway.testing.EmbeddedSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bodies an attacker or a broken client sends, on the wire as they would send them (raw sockets
 * where a client library would tidy them up): every one is answered in the OpenAI envelope, refused
 * bodies never reach Bedrock, and a body over the limit is refused without being read. The limit is
 * the default one, {@code gateway.http.max-body-size} = 25 MiB.
 */
@QuarkusTest
class HostileInputTest {

  static final long LIMIT = 26_214_400;
  static final String VALID =
      "{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";

  @TestHTTPResource("/")
  URL root;

  @Inject EmbeddedSimulator embedded;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void clear() {
    embedded.simulator().clearRequests();
  }

  /** What came back on a raw connection: status, body, and whether the server closed it. */
  record Answer(int status, String head, String body, boolean closed) {
    JsonNode error() throws IOException {
      return Json.MAPPER.readTree(body).path("error");
    }
  }

  @Test
  void a_body_announced_over_the_limit_gets_413_in_the_envelope_before_a_byte_of_it_is_sent()
      throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer test-key-1\r\n"
                  + "Content-Type: application/json\r\nContent-Length: "
                  + (LIMIT + 1)
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // not one byte of the body is sent: the answer cannot depend on reading it
      Answer answer = read(socket.getInputStream());
      assertThat(answer.status()).isEqualTo(413);
      assertThat(answer.error().path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(answer.error().path("code").asText()).isEqualTo("request_too_large");
      assertThat(answer.error().path("message").asText()).contains("26214400 bytes");
      assertThat(answer.head().toLowerCase())
          .contains("connection: close")
          .contains("x-request-id: ");
      assertThat(answer.closed())
          .as("the server closed the connection instead of reading the body")
          .isTrue();
    }
    assertThat(embedded.simulator().requests()).isEmpty();
  }

  @Test
  void a_chunked_body_over_the_limit_gets_413_in_the_envelope_and_the_rest_is_not_read()
      throws Exception {
    long offered = 60L * 1024 * 1024;
    AtomicLong sent = new AtomicLong();
    Answer answer;
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer test-key-1\r\n"
                  + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      CompletableFuture<Void> upload =
          CompletableFuture.runAsync(
              () -> {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) '[');
                byte[] size =
                    (Integer.toHexString(chunk.length) + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                try {
                  while (sent.get() < offered) {
                    out.write(size);
                    out.write(chunk);
                    out.write('\r');
                    out.write('\n');
                    sent.addAndGet(chunk.length);
                  }
                  out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                  // the server closed the connection: what this test expects
                }
              });
      answer = read(socket.getInputStream());
      upload.get(30, TimeUnit.SECONDS);
    }
    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.error().path("code").asText()).isEqualTo("request_too_large");
    assertThat(answer.error().path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(answer.closed()).isTrue();
    // the limit, plus what the sockets' buffers held when the server stopped reading
    assertThat(sent.get()).as("bytes the client managed to send").isLessThan(offered);
    assertThat(embedded.simulator().requests()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void a_20_mb_body_under_the_documented_limit_is_read_and_parsed_with_or_without_content_length(
      boolean chunked) throws Exception {
    // 21 MB in one JSON string (over Jackson's default string limit of 20 M chars), and no model:
    // the translation's 400 proves the whole body was read and parsed
    byte[] body =
        ("{\"messages\": [{\"role\": \"user\", \"content\": \"" + "x".repeat(21_000_000) + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest.BodyPublisher publisher =
        chunked
            ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))
            : HttpRequest.BodyPublishers.ofByteArray(body);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(root.toURI().resolve("/v1/chat/completions"))
                .header("Authorization", "Bearer test-key-1")
                .header("Content-Type", "application/json")
                .POST(publisher)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode error = Json.MAPPER.readTree(r.body()).path("error");
    assertThat(error.path("param").asText()).isEqualTo("model");
    assertThat(embedded.simulator().requests()).isEmpty();
  }

  @Test
  void an_overlong_utf8_sequence_inside_a_string_is_refused_and_nothing_reaches_bedrock()
      throws Exception {
    byte[] prefix =
        "{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"a"
            .getBytes(StandardCharsets.UTF_8);
    byte[] suffix = "b\"}]}".getBytes(StandardCharsets.UTF_8);
    for (byte[] bad :
        new byte[][] {
          {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
          {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // overlong '/' in three bytes
          {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a UTF-16 surrogate encoded as UTF-8
          {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, // five-byte form
          {(byte) 0xE2, (byte) 0x82}
        }) { // truncated sequence
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.write(prefix);
      body.write(bad);
      body.write(suffix);
      HttpResponse<String> r = post(body.toByteArray());
      assertThat(r.statusCode()).as(HexFormatOf(bad)).isEqualTo(400);
      JsonNode error = Json.MAPPER.readTree(r.body()).path("error");
      assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.path("message").asText())
          .contains("not valid UTF-8")
          .contains("byte offset " + prefix.length);
    }
    assertThat(embedded.simulator().requests()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"", "}", "null", "{}", " x", "]"})
  void content_after_the_json_document_is_refused_and_nothing_reaches_bedrock(String trailing)
      throws Exception {
    HttpResponse<String> r = post((VALID + trailing).getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode error = Json.MAPPER.readTree(r.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("message").asText())
        .startsWith("We could not parse the JSON body of your request: ")
        .doesNotContain("`")
        .doesNotContain("com.fasterxml")
        .doesNotContain("[Source");
    assertThat(embedded.simulator().requests()).isEmpty();
  }

  @Test
  void whitespace_after_the_json_document_is_fine() throws Exception {
    HttpResponse<String> r = post((VALID + " \r\n\t\n").getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(embedded.simulator().requests()).hasSize(1);
  }

  @Test
  void an_unauthenticated_body_is_not_read_either() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer wrong\r\n"
                  + "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Answer answer = read(socket.getInputStream());
      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.error().path("code").asText()).isEqualTo("invalid_api_key");
      assertThat(answer.closed()).isTrue();
    }
  }

  private HttpResponse<String> post(byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(root.toURI().resolve("/v1/chat/completions"))
            .header("Authorization", "Bearer test-key-1")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String HexFormatOf(byte[] b) {
    return java.util.HexFormat.ofDelimiter(" ").formatHex(b);
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(root.getHost(), root.getPort());
    socket.setSoTimeout(30_000);
    return socket;
  }

  /**
   * Reads the response and then up to the end of the stream: a connection the server closes ends
   * with EOF (or a reset, when our unsent upload was still in its buffers).
   */
  private static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    boolean closed = false;
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        all.write(buf, 0, n);
        if (complete(all.toString(StandardCharsets.ISO_8859_1))) {
          // the answer is all there: the server must now close (a kept-alive connection would block
          // here)
          closed = in.read() < 0;
          break;
        }
      }
      if (n < 0) {
        closed = true;
      }
    } catch (SocketException e) {
      closed = true; // reset by the server after its answer
    }
    String text = all.toString(StandardCharsets.UTF_8);
    int split = text.indexOf("\r\n\r\n");
    assertThat(split).as("a complete response head in: %s", text).isPositive();
    String head = text.substring(0, split);
    return new Answer(
        Integer.parseInt(head.substring(9, 12)), head, text.substring(split + 4), closed);
  }

  private static boolean complete(String text) {
    int split = text.indexOf("\r\n\r\n");
    if (split < 0) {
      return false;
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
            .matcher(text.substring(0, split));
    return m.find() && text.length() - split - 4 >= Integer.parseInt(m.group(1));
  }
}
