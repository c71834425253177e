package io.github.bedrockgateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.bedrock.BedrockConfig;
import io.github.bedrockgateway.bedrock.HttpProtocol;
import io.github.bedrockgateway.credentials.CredentialsConfig;
import io.github.bedrockgateway.credentials.CredentialsStrategy;
import io.github.bedrockgateway.observability.AccessLogFormat;
import io.github.bedrockgateway.observability.ObservabilityConfig;
import io.github.bedrockgateway.openai.embeddings.EmbeddingsConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Closed-set settings through SmallRye's mapping, as the gateway reads them: the accepted spellings
 * convert, anything else is one problem sentence naming the setting, the value and the accepted
 * values (what Quarkus prints at startup, see StartupMistakesIT).
 */
class ConfigMistakesTest {

  static <T> T map(Class<T> mapping, Map<String, String> properties) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(properties, "test", 500))
            // Quarkus's duration syntax (5m, 10s), as in the application
            .withConverter(Duration.class, 200, new DurationConverter())
            .withMapping(mapping)
            .build();
    return config.getConfigMapping(mapping);
  }

  static String problems(Class<?> mapping, Map<String, String> properties) {
    try {
      map(mapping, properties);
    } catch (ConfigValidationException e) {
      return IntStream.range(0, e.getProblemCount())
          .mapToObj(i -> e.getProblem(i).getMessage())
          .collect(Collectors.joining("\n"));
    }
    throw new AssertionError("no problem reported for " + properties);
  }

  @Test
  void defaults() {
    assertThat(map(ObservabilityConfig.class, Map.of()).accessLogFormat())
        .isEqualTo(AccessLogFormat.TEXT);
    TranslationConfig.Guardrail guardrail = map(TranslationConfig.class, Map.of()).guardrail();
    assertThat(guardrail.trace()).isEqualTo(GuardrailTrace.DISABLED);
    assertThat(guardrail.streamProcessingMode()).isEmpty();
    assertThat(map(BedrockConfig.class, Map.of()).protocol()).isEqualTo(HttpProtocol.HTTP1_1);
    CredentialsConfig credentials = map(CredentialsConfig.class, Map.of());
    assertThat(credentials.strategy()).isEqualTo(CredentialsStrategy.DEFAULT);
    assertThat(credentials.source()).isEqualTo(CredentialsStrategy.DEFAULT);
  }

  @Test
  void an_enum_value_is_read_in_any_case_with_underscore_or_hyphen() {
    for (String written :
        new String[] {"enabled_full", "enabled-full", "ENABLED_FULL", "Enabled_Full"}) {
      assertThat(
              map(TranslationConfig.class, Map.of("gateway.guardrail.trace", written))
                  .guardrail()
                  .trace())
          .as(written)
          .isEqualTo(GuardrailTrace.ENABLED_FULL);
    }
    assertThat(
            map(
                    TranslationConfig.class,
                    Map.of("gateway.guardrail.stream-processing-mode", "ASYNC"))
                .guardrail()
                .streamProcessingMode())
        .contains(GuardrailStreamMode.ASYNC);
    assertThat(
            map(
                    ObservabilityConfig.class,
                    Map.of("gateway.observability.access-log-format", "JSON"))
                .accessLogFormat())
        .isEqualTo(AccessLogFormat.JSON);
    CredentialsConfig credentials =
        map(
            CredentialsConfig.class,
            Map.of(
                "gateway.credentials.strategy", "assume_role",
                "gateway.credentials.source", "Instance-Role"));
    assertThat(credentials.strategy()).isEqualTo(CredentialsStrategy.ASSUME_ROLE);
    assertThat(credentials.source()).isEqualTo(CredentialsStrategy.INSTANCE_ROLE);
  }

  @Test
  void the_protocol_is_written_as_http_versions() {
    for (String written : new String[] {"http1.1", "HTTP/1.1", "http1"}) {
      assertThat(map(BedrockConfig.class, Map.of("gateway.bedrock.protocol", written)).protocol())
          .isEqualTo(HttpProtocol.HTTP1_1);
    }
    for (String written : new String[] {"http2", "h2", "HTTP/2"}) {
      assertThat(map(BedrockConfig.class, Map.of("gateway.bedrock.protocol", written)).protocol())
          .isEqualTo(HttpProtocol.HTTP2);
    }
  }

  @Test
  void an_empty_optional_enum_is_unset() {
    Optional<GuardrailStreamMode> mode =
        map(TranslationConfig.class, Map.of("gateway.guardrail.stream-processing-mode", ""))
            .guardrail()
            .streamProcessingMode();
    assertThat(mode).isEmpty();
  }

  @Test
  void a_typo_is_one_sentence_naming_the_setting_the_value_and_the_accepted_values() {
    assertThat(
            problems(
                ObservabilityConfig.class,
                Map.of("gateway.observability.access-log-format", "jsn")))
        .isEqualTo(
            "gateway.observability.access-log-format (GATEWAY_OBSERVABILITY_ACCESS_LOG_FORMAT) is 'jsn': "
                + "set it to text or json.");
    assertThat(problems(TranslationConfig.class, Map.of("gateway.guardrail.trace", "full")))
        .isEqualTo(
            "gateway.guardrail.trace (GATEWAY_GUARDRAIL_TRACE) is 'full': "
                + "set it to enabled, disabled or enabled_full.");
    assertThat(
            problems(
                TranslationConfig.class,
                Map.of("gateway.guardrail.stream-processing-mode", "batch")))
        .isEqualTo(
            "gateway.guardrail.stream-processing-mode (GATEWAY_GUARDRAIL_STREAM_PROCESSING_MODE) is "
                + "'batch': set it to sync or async.");
    assertThat(
            problems(
                EmbeddingsConfig.class, Map.of("gateway.embeddings.default-input-type", "query")))
        .isEqualTo(
            "gateway.embeddings.default-input-type (GATEWAY_EMBEDDINGS_DEFAULT_INPUT_TYPE) is 'query': "
                + "set it to search_document, search_query, classification or clustering.");
    assertThat(problems(BedrockConfig.class, Map.of("gateway.bedrock.protocol", "http3")))
        .isEqualTo(
            "gateway.bedrock.protocol (GATEWAY_BEDROCK_PROTOCOL) is 'http3': set it to http1.1 or http2.");
  }

  @Test
  void a_credentials_typo_keeps_the_strategy_messages() {
    assertThat(
            problems(CredentialsConfig.class, Map.of("gateway.credentials.strategy", "asume-role")))
        .isEqualTo(
            "Credentials strategy 'asume-role': gateway.credentials.strategy (GATEWAY_CREDENTIALS_STRATEGY) "
                + "is 'asume-role', which is not a strategy. Did you mean 'assume-role'? Use one of: default, "
                + "static, profile, assume-role, web-identity, instance-role, container, bedrock-api-key. "
                + "See docs/credentials.md#strategies");
    assertThat(
            problems(CredentialsConfig.class, Map.of("gateway.credentials.source", "assume-role")))
        .isEqualTo(
            "Credentials setup: gateway.credentials.source (GATEWAY_CREDENTIALS_SOURCE) is 'assume-role', "
                + "which is not a source of base credentials. Use one of: default, static, profile, "
                + "web-identity, instance-role, container. See docs/credentials.md#assume-role");
  }

  @Test
  void every_problem_is_reported_at_once() {
    assertThat(
            problems(
                TranslationConfig.class,
                Map.of(
                    "gateway.guardrail.trace", "on",
                    "gateway.guardrail.stream-processing-mode", "off")))
        .contains("gateway.guardrail.trace (")
        .contains("gateway.guardrail.stream-processing-mode (");
  }
}
