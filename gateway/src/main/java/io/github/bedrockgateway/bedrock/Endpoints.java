package io.github.bedrockgateway.bedrock;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the two Bedrock planes are reached, as the AWS SDK and CLI decide it: the gateway's own
 * setting first, then the standard variables ({@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME} for the
 * runtime, {@code AWS_ENDPOINT_URL_BEDROCK} for the control plane, {@code AWS_ENDPOINT_URL} for
 * both), then the regional AWS endpoint. Every override is checked at startup, so a value without
 * {@code http://} stops the gateway with one sentence instead of failing each call.
 */
final class Endpoints {

  /** An endpoint override and the setting it came from (for messages). */
  record Override(URI uri, String setting) {}

  static final String RUNTIME_VARIABLE = "AWS_ENDPOINT_URL_BEDROCK_RUNTIME";
  static final String CONTROL_VARIABLE = "AWS_ENDPOINT_URL_BEDROCK";
  static final String ANY_SERVICE_VARIABLE = "AWS_ENDPOINT_URL";

  private Endpoints() {}

  /** The Bedrock Runtime override, if any; fails on a value that is not an http(s) URL. */
  static Optional<Override> runtime(Optional<String> configured, Map<String, String> env) {
    return resolve(
        configured, "gateway.bedrock.endpoint (GATEWAY_BEDROCK_ENDPOINT)", RUNTIME_VARIABLE, env);
  }

  /**
   * The control-plane override (model discovery), if any; fails on a value that is not an http(s)
   * URL.
   */
  static Optional<Override> control(Optional<String> configured, Map<String, String> env) {
    return resolve(
        configured,
        "gateway.bedrock.control-endpoint (GATEWAY_BEDROCK_CONTROL_ENDPOINT)",
        CONTROL_VARIABLE,
        env);
  }

  /**
   * The endpoint the SDK uses for {@code service} ({@code bedrock}, {@code bedrock-runtime})
   * without override.
   */
  static String regional(String service, Object region) {
    return "https://" + service + "." + region + ".amazonaws.com";
  }

  private static Optional<Override> resolve(
      Optional<String> configured, String setting, String variable, Map<String, String> env) {
    if (configured.isPresent()) {
      return Optional.of(new Override(checked(setting, configured.get().trim()), setting));
    }
    for (String name : new String[] {variable, ANY_SERVICE_VARIABLE}) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return Optional.of(new Override(checked(name, value.trim()), name));
      }
    }
    return Optional.empty();
  }

  /**
   * {@code value} as an absolute http(s) URL with a host, or a startup failure naming {@code
   * setting}.
   */
  static URI checked(String setting, String value) {
    if (!value.contains("://")) {
      throw invalid(setting, value, "which has no http:// or https:// in front");
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw invalid(setting, value, "which is not a URL");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw invalid(setting, value, "whose scheme is '" + uri.getScheme() + "', not http or https");
    }
    if (uri.getHost() == null) {
      throw invalid(setting, value, "which names no host");
    }
    return uri;
  }

  private static ConfigurationException invalid(String setting, String value, String problem) {
    String example = value.contains("://") ? "http://localhost:8089" : "http://" + value;
    return new ConfigurationException(
        setting
            + " is '"
            + value
            + "', "
            + problem
            + ": write the endpoint as a URL, e.g. "
            + example
            + ". See docs/configuration.md.",
        Set.of(setting.split(" ")[0]));
  }
}
