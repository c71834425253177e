package io.github.bedrockgateway.converse;

import static io.github.bedrockgateway.converse.Fields.optionalObject;
import static io.github.bedrockgateway.converse.Fields.optionalString;
import static io.github.bedrockgateway.converse.Fields.requiredString;
import static io.github.bedrockgateway.error.GatewayException.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bedrockgateway.error.GatewayException;
import java.util.Set;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailConfiguration;

/**
 * The guardrail of a request: the operator's ({@code gateway.guardrail.*}), or the request's own
 * {@code guardrailConfig} extension (Converse's shape and names) when no guardrail is configured or
 * the operator allows requests to replace it. The same for every protocol: no API can lift it.
 */
public final class Guardrails {

  /** A guardrail and, for streams, how Bedrock applies it ({@code sync}, {@code async} or null). */
  public record Choice(GuardrailConfiguration config, String streamProcessingMode) {}

  private Guardrails() {}

  /** The guardrail to apply, or null for none. */
  public static Choice of(JsonNode body, TranslationOptions.Guardrail defaults) {
    String p = "guardrailConfig";
    JsonNode requested = optionalObject(body, p, p);
    if (requested == null) {
      if (defaults.identifier() == null) {
        return null;
      }
      GuardrailConfiguration.Builder b =
          GuardrailConfiguration.builder()
              .guardrailIdentifier(defaults.identifier())
              .guardrailVersion(defaults.version());
      if (defaults.trace() != null) {
        b.trace(defaults.trace());
      }
      return new Choice(b.build(), defaults.streamProcessingMode());
    }
    if (defaults.identifier() != null && !defaults.allowRequestOverride()) {
      throw new GatewayException(
          403,
          GatewayException.PERMISSION,
          "This gateway applies its own guardrail to every"
              + " request; guardrailConfig may not replace it.",
          p,
          "guardrail_override_not_allowed");
    }
    GuardrailConfiguration.Builder b =
        GuardrailConfiguration.builder()
            .guardrailIdentifier(
                requiredString(requested, "guardrailIdentifier", p + ".guardrailIdentifier"))
            .guardrailVersion(
                requiredString(requested, "guardrailVersion", p + ".guardrailVersion"));
    String trace = optionalString(requested, "trace", p + ".trace");
    if (trace != null) {
      if (!Set.of("enabled", "disabled", "enabled_full").contains(trace)) {
        throw invalid(
            p + ".trace",
            "Invalid value: '"
                + trace
                + "'. Supported values are: 'enabled', 'disabled' and 'enabled_full'.");
      }
      b.trace(trace);
    }
    String mode = optionalString(requested, "streamProcessingMode", p + ".streamProcessingMode");
    if (mode != null && !mode.equals("sync") && !mode.equals("async")) {
      throw invalid(
          p + ".streamProcessingMode",
          "Invalid value: '" + mode + "'. Supported values are: 'sync' and 'async'.");
    }
    return new Choice(b.build(), mode);
  }
}
