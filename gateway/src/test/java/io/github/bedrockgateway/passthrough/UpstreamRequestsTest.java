package io.github.bedrockgateway.passthrough;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bedrockgateway.bedrock.ClaudeBetas;
import io.github.bedrockgateway.converse.TranslationOptions;
import io.github.bedrockgateway.error.GatewayException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What goes to Bedrock for a client's request: whole requests compared, one named case per rule.
 */
class UpstreamRequestsTest {

  static final String SONNET = "us.anthropic.claude-sonnet-4-20250514-v1:0";
  static final String SONNET_PATH = "us.anthropic.claude-sonnet-4-20250514-v1%3A0";
  static final String ARN =
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3x9q2example";
  static final String ARN_PATH =
      "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile"
          + "%2Fk3x9q2example";
  static final Map<String, String> ATTRIBUTION = attribution();
  static final TranslationOptions.Guardrail GUARDRAIL =
      new TranslationOptions.Guardrail("gr-123", "7", "enabled", "async", false);
  static final TranslationOptions.Guardrail OVERRIDABLE =
      new TranslationOptions.Guardrail("gr-123", "7", "enabled", "async", true);

  private static Map<String, String> attribution() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("gateway-key", "team-a");
    m.put("gateway-request-id", "req1");
    return m;
  }

  static UpstreamRequests.Policy policy(
      Map<String, String> attribution, TranslationOptions.Guardrail guardrail) {
    return new UpstreamRequests.Policy(attribution, ClaudeBetas.defaults(), guardrail, 3, 2);
  }

  /** The comparable view of an Outbound. */
  record Sent(String path, Map<String, String> headers, String body, List<String> dropped) {
    static Sent of(UpstreamRequests.Outbound o) {
      return new Sent(o.path(), o.headers(), new String(o.body(), UTF_8), o.droppedBetas());
    }
  }

  static Map<String, String> json() {
    return Map.of("content-type", "application/json");
  }

  static Map<String, String> headers(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  static final String CONVERSE =
      "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}]}";
  static final String CLAUDE =
      "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":1,"
          + "\"anthropic_beta\":[\"interleaved-thinking-2025-05-14\",\"claude-code-20250219\",\"tool-search-tool-2025-10-19\","
          + "\"thinking-token-count-2026-05-13\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "converse: requestMetadata is appended, everything else byte for byte",
            new UpstreamRequests.Inbound(
                Operation.CONVERSE, SONNET, CONVERSE.getBytes(UTF_8), json()),
            policy(ATTRIBUTION, TranslationOptions.Guardrail.NONE),
            new Sent(
                "/model/" + SONNET_PATH + "/converse",
                headers("Content-Type", "application/json"),
                "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}],"
                    + "\"requestMetadata\":{\"gateway-key\":\"team-a\",\"gateway-request-id\":\"req1\"}}",
                List.of())),
        Arguments.of(
            "converse: the client's requestMetadata is kept and the gateway's keys win",
            new UpstreamRequests.Inbound(
                Operation.CONVERSE_STREAM,
                "amazon.nova-pro-v1:0",
                ("{\"requestMetadata\":{\"team\":\"x\",\"gateway-key\":\"forged\"},\"messages\":[]}")
                    .getBytes(UTF_8),
                json()),
            policy(ATTRIBUTION, TranslationOptions.Guardrail.NONE),
            new Sent(
                "/model/amazon.nova-pro-v1%3A0/converse-stream",
                headers("Content-Type", "application/json"),
                "{\"requestMetadata\":{\"team\":\"x\",\"gateway-key\":\"team-a\",\"gateway-request-id\":\"req1\"},"
                    + "\"messages\":[]}",
                List.of())),
        Arguments.of(
            "converse: without attribution or guardrail the body is the client's",
            new UpstreamRequests.Inbound(
                Operation.CONVERSE, SONNET, CONVERSE.getBytes(UTF_8), json()),
            policy(Map.of(), TranslationOptions.Guardrail.NONE),
            new Sent(
                "/model/" + SONNET_PATH + "/converse",
                headers("Content-Type", "application/json"),
                CONVERSE,
                List.of())),
        Arguments.of(
            "converse-stream: the configured guardrail is added with its stream mode",
            new UpstreamRequests.Inbound(
                Operation.CONVERSE_STREAM, SONNET, CONVERSE.getBytes(UTF_8), json()),
            policy(Map.of(), GUARDRAIL),
            new Sent(
                "/model/" + SONNET_PATH + "/converse-stream",
                headers("Content-Type", "application/json"),
                CONVERSE.substring(0, CONVERSE.length() - 1)
                    + ",\"guardrailConfig\":{\"guardrailIdentifier\":"
                    + "\"gr-123\",\"guardrailVersion\":\"7\",\"trace\":\"enabled\",\"streamProcessingMode\":\"async\"}}",
                List.of())),
        Arguments.of(
            "converse: a request's own guardrail replaces the configured one only when allowed",
            new UpstreamRequests.Inbound(
                Operation.CONVERSE,
                SONNET,
                "{\"guardrailConfig\":{\"guardrailIdentifier\":\"mine\",\"guardrailVersion\":\"1\"}}"
                    .getBytes(UTF_8),
                json()),
            policy(Map.of(), OVERRIDABLE),
            new Sent(
                "/model/" + SONNET_PATH + "/converse",
                headers("Content-Type", "application/json"),
                "{\"guardrailConfig\":{\"guardrailIdentifier\":\"mine\",\"guardrailVersion\":\"1\"}}",
                List.of())),
        Arguments.of(
            "converse: a request's own guardrail is replaced when overriding is not allowed",
            new UpstreamRequests.Inbound(
                Operation.CONVERSE,
                SONNET,
                "{\"guardrailConfig\":{\"guardrailIdentifier\":\"mine\",\"guardrailVersion\":\"1\"}}"
                    .getBytes(UTF_8),
                json()),
            policy(Map.of(), GUARDRAIL),
            new Sent(
                "/model/" + SONNET_PATH + "/converse",
                headers("Content-Type", "application/json"),
                "{\"guardrailConfig\":{\"guardrailIdentifier\":\"gr-123\",\"guardrailVersion\":\"7\","
                    + "\"trace\":\"enabled\"}}",
                List.of())),
        Arguments.of(
            "only Bedrock's request headers are forwarded, in Bedrock's spelling",
            new UpstreamRequests.Inbound(
                Operation.INVOKE,
                "amazon.titan-embed-text-v2:0",
                "{\"inputText\":\"x\"}".getBytes(UTF_8),
                headers(
                    "authorization",
                    "Bearer test-key-1",
                    "x-amz-date",
                    "20250101T000000Z",
                    "x-amz-security-token",
                    "tok",
                    "x-amz-content-sha256",
                    "abc",
                    "host",
                    "gw:8080",
                    "content-type",
                    "application/json",
                    "accept",
                    "*/*",
                    "anthropic-beta",
                    "x",
                    "x-app",
                    "cli",
                    "x-api-key",
                    "k",
                    "user-agent",
                    "aws-sdk-java",
                    "x-amzn-bedrock-trace",
                    "ENABLED",
                    "x-amzn-bedrock-performanceconfig-latency",
                    "optimized",
                    "x-amzn-bedrock-service-tier",
                    "priority",
                    "x-amzn-bedrock-made-up",
                    "1")),
            policy(Map.of(), TranslationOptions.Guardrail.NONE),
            new Sent(
                "/model/amazon.titan-embed-text-v2%3A0/invoke",
                headers(
                    "Content-Type",
                    "application/json",
                    "Accept",
                    "*/*",
                    "X-Amzn-Bedrock-Trace",
                    "ENABLED",
                    "X-Amzn-Bedrock-PerformanceConfig-Latency",
                    "optimized",
                    "X-Amzn-Bedrock-Service-Tier",
                    "priority"),
                "{\"inputText\":\"x\"}",
                List.of())),
        Arguments.of(
            "invoke: attribution joins the client's metadata header, non-ASCII escaped",
            new UpstreamRequests.Inbound(
                Operation.INVOKE,
                "meta.llama3-70b-instruct-v1:0",
                "{\"prompt\":\"x\"}".getBytes(UTF_8),
                headers(
                    "content-type",
                    "application/json",
                    "x-amzn-bedrock-request-metadata",
                    "{\"team\": \"caf\u00e9\"}")),
            policy(ATTRIBUTION, TranslationOptions.Guardrail.NONE),
            new Sent(
                "/model/meta.llama3-70b-instruct-v1%3A0/invoke",
                headers(
                    "Content-Type",
                    "application/json",
                    "X-Amzn-Bedrock-Request-Metadata",
                    "{\"team\":\"caf\\u00E9\",\"gateway-key\":\"team-a\",\"gateway-request-id\":\"req1\"}"),
                "{\"prompt\":\"x\"}",
                List.of())),
        Arguments.of(
            "invoke: the configured guardrail travels in headers, trace upper case",
            new UpstreamRequests.Inbound(
                Operation.INVOKE_STREAM,
                "meta.llama3-70b-instruct-v1:0",
                "{\"prompt\":\"x\"}".getBytes(UTF_8),
                headers(
                    "content-type",
                    "application/json",
                    "x-amzn-bedrock-guardrailidentifier",
                    "mine",
                    "x-amzn-bedrock-guardrailversion",
                    "1")),
            policy(Map.of(), GUARDRAIL),
            new Sent(
                "/model/meta.llama3-70b-instruct-v1%3A0/invoke-with-response-stream",
                headers(
                    "Content-Type",
                    "application/json",
                    "X-Amzn-Bedrock-GuardrailIdentifier",
                    "gr-123",
                    "X-Amzn-Bedrock-GuardrailVersion",
                    "7",
                    "X-Amzn-Bedrock-Trace",
                    "ENABLED"),
                "{\"prompt\":\"x\"}",
                List.of())),
        Arguments.of(
            "invoke Claude: betas Bedrock does not take are dropped, the rest of the body kept",
            new UpstreamRequests.Inbound(
                Operation.INVOKE_STREAM,
                "us.anthropic.claude-opus-5-5",
                CLAUDE.getBytes(UTF_8),
                json()),
            policy(Map.of(), TranslationOptions.Guardrail.NONE),
            new Sent(
                "/model/us.anthropic.claude-opus-5-5/invoke-with-response-stream",
                headers("Content-Type", "application/json"),
                "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":1,\"anthropic_beta\":"
                    + "[\"interleaved-thinking-2025-05-14\",\"tool-search-tool-2025-10-19\"],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                List.of("claude-code-20250219", "thinking-token-count-2026-05-13"))),
        Arguments.of(
            "invoke Claude: no beta left removes the member",
            new UpstreamRequests.Inbound(
                Operation.INVOKE,
                "anthropic.claude-3-5-haiku-20241022-v1:0",
                "{\"anthropic_beta\":[\"claude-code-20250219\"],\"max_tokens\":1}".getBytes(UTF_8),
                json()),
            policy(Map.of(), TranslationOptions.Guardrail.NONE),
            new Sent(
                "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke",
                headers("Content-Type", "application/json"),
                "{\"max_tokens\":1}",
                List.of("claude-code-20250219"))),
        Arguments.of(
            "invoke Claude: accepted betas leave the body untouched",
            new UpstreamRequests.Inbound(
                Operation.INVOKE,
                SONNET,
                "{\"anthropic_beta\": [\"context-1m-2025-08-07\"], \"max_tokens\": 1}"
                    .getBytes(UTF_8),
                json()),
            policy(Map.of(), TranslationOptions.Guardrail.NONE),
            new Sent(
                "/model/" + SONNET_PATH + "/invoke",
                headers("Content-Type", "application/json"),
                "{\"anthropic_beta\": [\"context-1m-2025-08-07\"], \"max_tokens\": 1}",
                List.of())),
        Arguments.of(
            "invoke of an application profile ARN behind a Claude alias: betas filtered",
            new UpstreamRequests.Inbound(
                Operation.INVOKE,
                ARN,
                "{\"anthropic_beta\":[\"claude-code-20250219\",\"context-1m-2025-08-07\"],\"max_tokens\":1}"
                    .getBytes(UTF_8),
                json(),
                "claude-sonnet-4-5-team"),
            policy(Map.of(), TranslationOptions.Guardrail.NONE),
            new Sent(
                "/model/" + ARN_PATH + "/invoke",
                headers("Content-Type", "application/json"),
                "{\"anthropic_beta\":[\"context-1m-2025-08-07\"],\"max_tokens\":1}",
                List.of("claude-code-20250219"))),
        Arguments.of(
            "invoke of an application profile ARN with a Claude body: the general betas kept",
            new UpstreamRequests.Inbound(
                Operation.INVOKE,
                ARN,
                ("{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":[\"claude-code-20250219\","
                        + "\"interleaved-thinking-2025-05-14\"]}")
                    .getBytes(UTF_8),
                json(),
                "team-model"),
            policy(Map.of(), TranslationOptions.Guardrail.NONE),
            new Sent(
                "/model/" + ARN_PATH + "/invoke",
                headers("Content-Type", "application/json"),
                "{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":[\"interleaved-thinking-2025-05-14\"]}",
                List.of("claude-code-20250219"))),
        Arguments.of(
            "invoke of another model: the body is never looked at",
            new UpstreamRequests.Inbound(
                Operation.INVOKE,
                "mistral.mistral-large-2407-v1:0",
                "{\"anthropic_beta\":[\"made-up\"],\"prompt\":\"x\"}".getBytes(UTF_8),
                json()),
            policy(Map.of(), TranslationOptions.Guardrail.NONE),
            new Sent(
                "/model/mistral.mistral-large-2407-v1%3A0/invoke",
                headers("Content-Type", "application/json"),
                "{\"anthropic_beta\":[\"made-up\"],\"prompt\":\"x\"}",
                List.of())),
        Arguments.of(
            "an application inference profile ARN is one encoded path segment",
            new UpstreamRequests.Inbound(
                Operation.CONVERSE,
                "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3x9q2example",
                "{}".getBytes(UTF_8),
                json()),
            policy(Map.of(), TranslationOptions.Guardrail.NONE),
            new Sent(
                "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile"
                    + "%2Fk3x9q2example/converse",
                headers("Content-Type", "application/json"), "{}", List.of())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void builds_the_request_bedrock_gets(
      String name, UpstreamRequests.Inbound in, UpstreamRequests.Policy policy, Sent expected) {
    assertThat(Sent.of(UpstreamRequests.build(in, policy))).isEqualTo(expected);
  }

  @Test
  void an_unchanged_body_is_the_clients_own_array() {
    byte[] body = CONVERSE.getBytes(UTF_8);
    UpstreamRequests.Outbound out =
        UpstreamRequests.build(
            new UpstreamRequests.Inbound(Operation.CONVERSE, SONNET, body, json()),
            policy(Map.of(), TranslationOptions.Guardrail.NONE));
    assertThat(out.body()).isSameAs(body);
  }

  @Test
  void count_tokens_filters_the_betas_of_the_invoke_model_body_inside() {
    String inner =
        "{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":[\"claude-code-20250219\","
            + "\"context-management-2025-06-27\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    String body =
        "{\"input\":{\"invokeModel\":{\"body\":\""
            + Base64.getEncoder().encodeToString(inner.getBytes(UTF_8))
            + "\"}}}";
    UpstreamRequests.Outbound out =
        UpstreamRequests.build(
            new UpstreamRequests.Inbound(
                Operation.COUNT_TOKENS, SONNET, body.getBytes(UTF_8), json()),
            policy(ATTRIBUTION, TranslationOptions.Guardrail.NONE));
    String expectedInner =
        "{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":"
            + "[\"context-management-2025-06-27\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    assertThat(Sent.of(out))
        .isEqualTo(
            new Sent(
                "/model/" + SONNET_PATH + "/count-tokens",
                headers("Content-Type", "application/json"),
                "{\"input\":{\"invokeModel\":{\"body\":\""
                    + Base64.getEncoder().encodeToString(expectedInner.getBytes(UTF_8))
                    + "\"}}}",
                List.of("claude-code-20250219")));
  }

  /** name, operation, model, body, expected status, param, code */
  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(
            "a Converse body that is not JSON",
            Operation.CONVERSE,
            SONNET,
            "{\"messages\":",
            400,
            null,
            BedrockErrors.SERIALIZATION),
        Arguments.of(
            "a Converse body that is an array",
            Operation.CONVERSE_STREAM,
            SONNET,
            "[]",
            400,
            null,
            BedrockErrors.SERIALIZATION),
        Arguments.of(
            "more messages than the limit",
            Operation.CONVERSE,
            SONNET,
            "{\"messages\":[{},{},{},{}]}",
            400,
            "messages",
            null),
        Arguments.of(
            "more Converse tools than the limit",
            Operation.CONVERSE,
            SONNET,
            "{\"toolConfig\":{\"tools\":[{},{},{}]}}",
            400,
            "toolConfig.tools",
            null),
        Arguments.of(
            "more Claude tools than the limit",
            Operation.INVOKE,
            SONNET,
            "{\"tools\":[{},{},{}],\"max_tokens\":1}",
            400,
            "tools",
            null),
        Arguments.of(
            "a requestMetadata that is not a map of strings",
            Operation.CONVERSE,
            SONNET,
            "{\"requestMetadata\":{\"n\":1}}",
            400,
            "requestMetadata",
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refuses_what_bedrock_would_refuse_with_the_offending_param(
      String name,
      Operation operation,
      String model,
      String body,
      int status,
      String param,
      String code) {
    assertThatThrownBy(
            () ->
                UpstreamRequests.build(
                    new UpstreamRequests.Inbound(operation, model, body.getBytes(UTF_8), json()),
                    policy(ATTRIBUTION, TranslationOptions.Guardrail.NONE)))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.param()).isEqualTo(param);
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).isNotBlank();
            });
  }
}
