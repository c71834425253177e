package io.github.bedrockgateway.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.json.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * No response body names a Java class, shows a stack frame or a parser's internals, whatever
 * breaks: a Bedrock that answers a truncated or non-JSON body, garbage instead of an event stream,
 * a stream cut by garbage after its first delta, a connection dropped without an answer, image
 * downloads that fail every way, and malformed request bodies. The client gets a fixed sentence and
 * the request id; the details are in the log under that id.
 */
@QuarkusTest
@TestProfile(ErrorDisclosureTest.BrokenBedrockProfile.class)
class ErrorDisclosureTest {

  /** What must never be in a response body. */
  static final List<String> FORBIDDEN =
      List.of(
          "software.amazon",
          "java.",
          "Exception",
          "\tat ",
          " at io.",
          " at java.",
          "[Source:",
          "com.fasterxml",
          "io.netty",
          "io.vertx",
          "jackson");

  public static class BrokenBedrockProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "gateway.bedrock.endpoint",
          "http://127.0.0.1:" + BrokenBedrock.port(),
          "gateway.bedrock.max-attempts",
          "1",
          "gateway.images.allowed-hosts",
          "127.0.0.1",
          "gateway.images.fetch-timeout",
          "3s");
    }
  }

  @TestHTTPResource("/v1/chat/completions")
  URL endpoint;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  record Seen(String mode, int status, String requestId, String body) {}

  @Test
  void no_failure_of_bedrock_shows_implementation_details_and_each_names_the_request_id()
      throws Exception {
    List<Seen> seen = new ArrayList<>();
    for (String model :
        List.of(
            "truncated-json", "not-json", "html-500", "garbage-stream", "reset", "cut-stream")) {
      for (boolean stream : new boolean[] {false, true}) {
        seen.add(send(model + (stream ? " (stream)" : ""), chat(model, stream, "\"hi\"")));
      }
    }
    for (Seen s : seen) {
      assertClean(s);
      assertThat(s.status()).as(s.mode()).isIn(200, 500, 502);
      if (s.mode().startsWith("html-500")) {
        // an error Bedrock answered: its own request id, the one AWS support knows
        assertThat(s.body())
            .as(s.mode())
            .contains("request id 11111111-2222-3333-4444-555555555555");
      } else if (s.status() != 200) {
        assertThat(s.body()).as(s.mode()).contains(s.requestId());
      }
    }
    // the stream that had begun ends with an error event, not [DONE]
    Seen cut =
        seen.stream().filter(s -> s.mode().equals("cut-stream (stream)")).findFirst().orElseThrow();
    assertThat(cut.status()).isEqualTo(200);
    assertThat(cut.body())
        .contains("\"content\":\"hel")
        .contains("data: {\"error\":")
        .doesNotContain("[DONE]")
        .contains(cut.requestId());
    // the details went to the log, under the request id the client was given
    Seen truncated = seen.get(0);
    assertThat(truncated.status()).isEqualTo(502);
    assertThat(Json.MAPPER.readTree(truncated.body()).path("error").path("message").asText())
        .isEqualTo(
            "The call to Bedrock failed before a complete answer arrived. The gateway's log has the "
                + "details under request id "
                + truncated.requestId()
                + ".");
    assertThat(Files.readAllLines(Path.of("target/gateway-test.log")))
        .anySatisfy(line -> assertThat(line).contains(truncated.requestId()).contains("Exception"));
  }

  @Test
  void no_failed_image_download_shows_implementation_details() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    List<Seen> seen = new ArrayList<>();
    for (String url :
        List.of(
            "http://127.0.0.1:" + closed + "/a.png",
            "http://127.0.0.1:" + BrokenBedrock.port() + "/reset.png",
            "http://127.0.0.1:" + BrokenBedrock.port() + "/not-an-image.png",
            "https://127.0.0.1:" + BrokenBedrock.port() + "/tls.png",
            "http://no-such-host.invalid/a.png",
            "http://[::1/a.png")) {
      String content = "[{\"type\": \"image_url\", \"image_url\": {\"url\": \"" + url + "\"}}]";
      Seen s = send(url, chat("truncated-json", false, content));
      assertClean(s);
      assertThat(s.status()).as(s.mode()).isEqualTo(400);
      seen.add(s);
    }
    assertThat(Json.MAPPER.readTree(seen.get(0).body()).path("error").path("message").asText())
        .contains("the connection was refused");
  }

  @Test
  void no_malformed_request_body_shows_parser_internals() throws Exception {
    for (String body :
        List.of(
            "{",
            "{\"model\": }",
            "[1, 2",
            "{\"a\": \"\\u12\"}",
            "nul",
            "{\"a\": 1e999999999}",
            "{\"model\": \"x\"}}",
            "{\"messages\": [" + "[".repeat(100) + "]}",
            "\"just a string\"",
            "{'a': 1}")) {
      assertClean(send(body, body));
    }
  }

  private static void assertClean(Seen s) {
    for (String bad : FORBIDDEN) {
      assertThat(s.body()).as("%s: %s", s.mode(), s.body()).doesNotContainIgnoringCase(bad);
    }
  }

  private static String chat(String model, boolean stream, String content) {
    return "{\"model\": \""
        + model
        + "\", \"stream\": "
        + stream
        + ", \"messages\": [{\"role\": \"user\", \"content\": "
        + content
        + "}]}";
  }

  private Seen send(String mode, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(endpoint.toURI())
                .header("Authorization", "Bearer test-key-1")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Seen(
        mode, r.statusCode(), r.headers().firstValue("x-request-id").orElseThrow(), r.body());
  }

  /**
   * A Bedrock endpoint that answers wrongly on purpose, chosen by the model id in the path. Raw
   * sockets, so that it can send what no HTTP library would. One connection per request.
   */
  static final class BrokenBedrock {
    private static ServerSocket server;

    static synchronized int port() {
      if (server == null) {
        try {
          server = new ServerSocket(0);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        Thread accept = new Thread(BrokenBedrock::serve, "broken-bedrock");
        accept.setDaemon(true);
        accept.start();
      }
      return server.getLocalPort();
    }

    private static void serve() {
      while (true) {
        try {
          Socket socket = server.accept();
          Thread t = new Thread(() -> answer(socket), "broken-bedrock-connection");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private static void answer(Socket socket) {
      try (socket) {
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        if (head == null) {
          return;
        }
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        if (length.find()) {
          in.readNBytes(Integer.parseInt(length.group(1)));
        }
        String path =
            head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
        OutputStream out = socket.getOutputStream();
        if (path.contains("reset")) {
          socket.setSoLinger(true, 0); // RST, no answer at all
          return;
        }
        if (path.endsWith("not-an-image.png")) {
          respond(
              out,
              200,
              "text/plain",
              "java.lang.IllegalStateException: at com.example.Foo"
                  .getBytes(StandardCharsets.UTF_8));
        } else if (path.contains("truncated-json")) {
          respond(
              out,
              200,
              "application/json",
              "{\"output\": {\"message\": {\"role\": \"assistant\", \"content\": [{\"text\": \"hel"
                  .getBytes(StandardCharsets.UTF_8));
        } else if (path.contains("not-json")) {
          respond(
              out,
              200,
              "application/json",
              "<html>surprise</html>".getBytes(StandardCharsets.UTF_8));
        } else if (path.contains("html-500")) {
          respond(
              out,
              500,
              "text/html",
              "<html><body>java.lang.NullPointerException\n\tat com.example.Proxy.run(Proxy.java:1)</body></html>"
                  .getBytes(StandardCharsets.UTF_8));
        } else if (path.contains("garbage-stream")) {
          respond(
              out,
              200,
              "application/vnd.amazon.eventstream",
              "this is not an event stream at all, sorry"
                  .repeat(10)
                  .getBytes(StandardCharsets.UTF_8));
        } else if (path.contains("cut-stream")) {
          ByteArrayOutputStream frames = new ByteArrayOutputStream();
          frames.write(event("messageStart", "{\"role\": \"assistant\"}"));
          frames.write(
              event(
                  "contentBlockDelta",
                  "{\"contentBlockIndex\": 0, \"delta\": {\"text\": \"hel\"}}"));
          byte[] garbage =
              "garbage after the first delta, not a frame"
                  .repeat(5)
                  .getBytes(StandardCharsets.UTF_8);
          out.write(
              ("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\nContent-Length: "
                      + (frames.size() + garbage.length)
                      + "\r\nx-amzn-RequestId: 11111111-2222-3333-4444-555555555555"
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.write(frames.toByteArray());
          out.flush();
          Thread.sleep(500); // the first delta reaches the client before the garbage arrives
          out.write(garbage);
          out.flush();
        } else {
          respond(
              out,
              404,
              "application/json",
              "{\"message\": \"no such route\"}".getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        // the client went away: nothing to answer
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static byte[] event(String type, String json) {
      Map<String, HeaderValue> headers = new java.util.LinkedHashMap<>();
      headers.put(":event-type", HeaderValue.fromString(type));
      headers.put(":content-type", HeaderValue.fromString("application/json"));
      headers.put(":message-type", HeaderValue.fromString("event"));
      ByteBuffer buffer =
          new Message(headers, json.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    }

    private static void respond(OutputStream out, int status, String type, byte[] body)
        throws IOException {
      out.write(
          ("HTTP/1.1 "
                  + status
                  + " X\r\nContent-Type: "
                  + type
                  + "\r\nContent-Length: "
                  + body.length
                  + "\r\nx-amzn-RequestId: 11111111-2222-3333-4444-555555555555\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        head.write(b);
        byte[] h = head.toByteArray();
        int n = h.length;
        if (n >= 4
            && h[n - 4] == '\r'
            && h[n - 3] == '\n'
            && h[n - 2] == '\r'
            && h[n - 1] == '\n') {
          return head.toString(StandardCharsets.ISO_8859_1);
        }
      }
      return null;
    }
  }
}
