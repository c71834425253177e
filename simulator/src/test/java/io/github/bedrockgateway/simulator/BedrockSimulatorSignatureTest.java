package io.github.bedrockgateway.simulator;

import static io.github.bedrockgateway.simulator.SimulatorClients.DEV;
import static io.github.bedrockgateway.simulator.SimulatorClients.converse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkGlobalTime;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;

/**
 * SigV4 checks: the SDK's clients and its stand-alone signer are accepted, and every credential
 * failure comes back as the 403 and error code Bedrock's front door uses.
 */
class BedrockSimulatorSignatureTest {

  private static final String PATH = "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse";
  private static final String BODY =
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"signed by hand\"}]}]}";

  private static BedrockSimulator simulator;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    simulator = new BedrockSimulator(SimulatorOptions.defaults());
    simulator.start();
  }

  @AfterAll
  static void stop() {
    simulator.stop();
  }

  @BeforeEach
  void clear() {
    simulator.clearRequests();
  }

  private static BedrockRuntimeException failure(AwsCredentialsProvider credentials) {
    try (BedrockRuntimeClient client = SimulatorClients.sync(simulator, credentials)) {
      return catchThrowableOfType(
          BedrockRuntimeException.class, () -> client.converse(converse("hi")));
    }
  }

  private static AwsCredentialsProvider basic(String accessKeyId, String secret) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret));
  }

  private static AwsCredentialsProvider session(String accessKeyId, String secret, String token) {
    return StaticCredentialsProvider.create(
        AwsSessionCredentials.create(accessKeyId, secret, token));
  }

  @Test
  void an_unknown_access_key_is_an_unrecognized_client() {
    BedrockRuntimeException thrown = failure(basic("AKIAUNKNOWNEXAMPLE00", "secret"));

    assertThat(thrown.statusCode()).isEqualTo(403);
    assertThat(thrown.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
    assertThat(thrown.awsErrorDetails().errorMessage())
        .isEqualTo("The security token included in the request is invalid.");
    assertThat(thrown.requestId()).isNotBlank();
    assertThat(simulator.lastRequest().accessKeyId()).isEqualTo("AKIAUNKNOWNEXAMPLE00");
    assertThat(simulator.lastRequest().errorType())
        .isEqualTo(BedrockErrorType.UNRECOGNIZED_CLIENT_EXCEPTION);
  }

  @Test
  void a_wrong_secret_is_an_invalid_signature() {
    BedrockRuntimeException thrown =
        failure(basic(SimulatorCredentials.DEV_ACCESS_KEY_ID, "not-the-secret"));

    assertThat(thrown.statusCode()).isEqualTo(403);
    assertThat(thrown.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
    assertThat(thrown.awsErrorDetails().errorMessage())
        .isEqualTo(
            "The request signature we calculated does not"
                + " match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the"
                + " service documentation for details.");
  }

  @Test
  void session_credentials_registered_at_runtime_are_accepted_until_they_expire() {
    simulator
        .credentials()
        .register(
            "ASIASESSIONEXAMPLE01", "session-secret", "token-1", Instant.now().plusSeconds(600));
    try (BedrockRuntimeClient client =
        SimulatorClients.sync(
            simulator, session("ASIASESSIONEXAMPLE01", "session-secret", "token-1"))) {
      assertThat(
              client
                  .converse(converse("with a session"))
                  .output()
                  .message()
                  .content()
                  .get(0)
                  .text())
          .isEqualTo("with a session");
    }
    assertThat(simulator.lastRequest().accessKeyId()).isEqualTo("ASIASESSIONEXAMPLE01");

    simulator
        .credentials()
        .register(
            "ASIAEXPIREDEXAMPLE01", "expired-secret", "token-2", Instant.now().minusSeconds(1));
    BedrockRuntimeException expired =
        failure(session("ASIAEXPIREDEXAMPLE01", "expired-secret", "token-2"));
    assertThat(expired.statusCode()).isEqualTo(403);
    assertThat(expired.awsErrorDetails().errorCode()).isEqualTo("ExpiredTokenException");
    assertThat(expired.awsErrorDetails().errorMessage())
        .isEqualTo("The security token included in the request is expired");
  }

  @Test
  void a_session_token_that_does_not_match_the_registered_one_is_unrecognized() {
    simulator.credentials().register("ASIATOKENEXAMPLE0001", "secret", "the-right-token", null);

    BedrockRuntimeException wrongToken =
        failure(session("ASIATOKENEXAMPLE0001", "secret", "another-token"));
    BedrockRuntimeException noToken = failure(basic("ASIATOKENEXAMPLE0001", "secret"));
    BedrockRuntimeException tokenOnLongTermKey =
        failure(
            session(
                SimulatorCredentials.DEV_ACCESS_KEY_ID,
                SimulatorCredentials.DEV_SECRET_ACCESS_KEY,
                "unexpected-token"));

    for (BedrockRuntimeException thrown : List.of(wrongToken, noToken, tokenOnLongTermKey)) {
      assertThat(thrown.statusCode()).isEqualTo(403);
      assertThat(thrown.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
    }
  }

  @Test
  void
      a_request_signed_more_than_five_minutes_off_has_an_expired_signature_and_the_sdk_corrects_its_clock() {
    Clock tenMinutesAhead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));
    try (BedrockSimulator skewed =
        new BedrockSimulator(SimulatorOptions.builder().clock(tenMinutesAhead).build())) {
      skewed.start();
      try (BedrockRuntimeClient client = SimulatorClients.sync(skewed, DEV)) {
        BedrockRuntimeException thrown =
            catchThrowableOfType(
                BedrockRuntimeException.class, () -> client.converse(converse("late")));
        assertThat(thrown.statusCode()).isEqualTo(403);
        assertThat(thrown.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
        assertThat(thrown.awsErrorDetails().errorMessage())
            .startsWith("Signature expired: ")
            .endsWith(" - 5 min.)");
      }
      // Like AWS, the simulator's Date header lets the SDK measure the skew and re-sign on retry.
      try (BedrockRuntimeClient retrying =
          BedrockRuntimeClient.builder()
              .endpointOverride(skewed.endpoint())
              .region(Region.US_EAST_1)
              .credentialsProvider(DEV)
              .httpClientBuilder(UrlConnectionHttpClient.builder())
              .build()) {
        assertThat(
                retrying.converse(converse("on time")).output().message().content().get(0).text())
            .isEqualTo("on time");
      }
    } finally {
      // The SDK keeps the measured skew process-wide; later clients must not inherit it.
      SdkGlobalTime.setGlobalTimeOffset(0);
    }
  }

  @Test
  void signature_checks_can_be_turned_off() {
    try (BedrockSimulator open =
        new BedrockSimulator(SimulatorOptions.builder().verifySignatures(false).build())) {
      open.start();
      try (BedrockRuntimeClient client =
          SimulatorClients.sync(open, basic("AKIAANYTHINGEXAMPLE0", "whatever"))) {
        assertThat(
                client.converse(converse("unchecked")).output().message().content().get(0).text())
            .isEqualTo("unchecked");
      }
      assertThat(open.lastRequest().accessKeyId()).isEqualTo("AKIAANYTHINGEXAMPLE0");
    }
  }

  @Test
  void a_request_without_authorization_is_missing_its_token() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(simulator.endpoint().resolve(PATH))
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("MissingAuthenticationTokenException");
    assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
    assertThat(new ObjectMapper().readTree(response.body()).path("message").asText())
        .isEqualTo("Missing Authentication Token");
    assertThat(simulator.lastRequest().accessKeyId()).isNull();
  }

  @Test
  void a_request_signed_by_the_sdk_signer_is_accepted_and_fails_once_its_body_changes()
      throws Exception {
    Map<String, List<String>> headers = sign(URI.create(simulator.endpoint() + PATH), BODY, true);

    assertThat(send(headers, BODY).statusCode()).isEqualTo(200);
    HttpResponse<String> tampered =
        send(headers, BODY.replace("signed by hand", "changed in transit"));
    assertThat(tampered.statusCode()).isEqualTo(403);
    assertThat(tampered.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("InvalidSignatureException");
  }

  @Test
  void an_unsigned_payload_is_honoured() throws Exception {
    // The SDK only leaves the payload unsigned over HTTPS; the scheme is not part of what is
    // signed.
    URI https = URI.create(simulator.endpoint().toString().replace("http:", "https:") + PATH);
    Map<String, List<String>> headers = sign(https, BODY, false);
    assertThat(headers.get("x-amz-content-sha256")).containsExactly("UNSIGNED-PAYLOAD");

    HttpResponse<String> response = send(headers, BODY.replace("signed by hand", "anything goes"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("anything goes");
  }

  private static Map<String, List<String>> sign(URI uri, String body, boolean signPayload) {
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(uri)
            .putHeader("Content-Type", "application/json")
            .build();
    return AwsV4HttpSigner.create()
        .sign(
            r ->
                r.identity(
                        AwsCredentialsIdentity.create(
                            SimulatorCredentials.DEV_ACCESS_KEY_ID,
                            SimulatorCredentials.DEV_SECRET_ACCESS_KEY))
                    .request(request)
                    .payload(ContentStreamProvider.fromUtf8String(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, signPayload))
        .request()
        .headers();
  }

  private static HttpResponse<String> send(Map<String, List<String>> signedHeaders, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(simulator.endpoint().resolve(PATH))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    // java.net.http sets Host itself, to the same host:port the signer saw.
    signedHeaders.forEach(
        (name, values) -> {
          if (!name.equalsIgnoreCase("host")) {
            values.forEach(value -> request.header(name, value));
          }
        });
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
