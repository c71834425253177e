package io.github.bedrockgateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.simulator.credentials.FakeSts;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fake STS's raw wire format, as a client that is not the SDK sees it. */
class FakeStsWireTest {

  static Vertx vertx;
  static FakeSts sts;
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    sts = new FakeSts(vertx, new FakeSts.Options().expectedWebIdentityToken("EXAMPLE-token"));
    sts.start();
  }

  @AfterAll
  static void stop() {
    sts.stop();
    vertx.close();
  }

  private static HttpResponse<String> post(String form) throws Exception {
    return post(HTTP, form);
  }

  private static HttpResponse<String> post(HttpClient http, String form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(sts.endpoint() + "/"))
            .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void assume_role_with_web_identity_answers_the_sts_xml_document() throws Exception {
    HttpResponse<String> response =
        post(
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
                + "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fweb&RoleSessionName=s1&WebIdentityToken=EXAMPLE-token");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .startsWith(
            "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
        .contains("<AccessKeyId>ASIAEXAMPLES")
        .contains("<Arn>arn:aws:sts::123456789012:assumed-role/web/s1</Arn>")
        .containsPattern("<Expiration>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ</Expiration>")
        .contains("<ResponseMetadata>");
  }

  @Test
  void an_unsigned_assume_role_is_refused_as_sts_refuses_it() throws Exception {
    HttpResponse<String> response =
        post(
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr"
                + "&RoleSessionName=s1");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body())
        .startsWith("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
        .contains("<Type>Sender</Type>")
        .contains("<Code>MissingAuthenticationToken</Code>")
        .contains("<RequestId>");
  }

  @Test
  void outages_answer_503_throttling_or_refuse_connections() throws Exception {
    sts.outage(FakeSts.Outage.SERVICE_UNAVAILABLE);
    HttpResponse<String> unavailable = post("Action=AssumeRoleWithWebIdentity");
    sts.outage(FakeSts.Outage.THROTTLING);
    HttpResponse<String> throttled = post("Action=AssumeRoleWithWebIdentity");
    sts.outage(FakeSts.Outage.REFUSE_CONNECTIONS);
    Exception refused = null;
    // a client of its own: a pooled connection from before the outage would fail differently
    // (GOAWAY,
    // closed), which is not what a new connection attempt to a refusing endpoint sees
    try {
      post(
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
          "Action=AssumeRoleWithWebIdentity");
    } catch (java.io.IOException e) {
      refused = e;
    }
    sts.restore();
    HttpResponse<String> back = post("Action=Nope");

    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(unavailable.body()).contains("<Code>ServiceUnavailable</Code>");
    assertThat(throttled.statusCode()).isEqualTo(400);
    assertThat(throttled.body()).contains("<Code>Throttling</Code>").contains("Rate exceeded");
    assertThat(refused).isInstanceOf(java.net.ConnectException.class);
    assertThat(back.statusCode()).isEqualTo(400);
    assertThat(back.body()).contains("<Code>InvalidAction</Code>");
  }

  @Test
  void a_session_shorter_than_fifteen_minutes_is_a_validation_error() throws Exception {
    HttpResponse<String> response =
        post(
            "Action=AssumeRoleWithWebIdentity&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fweb"
                + "&RoleSessionName=s1&WebIdentityToken=EXAMPLE-token&DurationSeconds=600");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .contains("<Code>ValidationError</Code>")
        .contains(
            "Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
  }
}
