package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.credentials.BedrockApiKeyProvider.Origin;
import io.github.bedrockgateway.credentials.Env.AwsSetting;
import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code bedrock-api-key}: a Bedrock API key sent as {@code Authorization: Bearer} instead of
 * SigV4, from {@code gateway.credentials.api-key.file} (watched for a rotated key) or {@code
 * AWS_BEARER_TOKEN_BEDROCK}. There are no AWS credentials: {@link BedrockApiKeyProvider} is what
 * the Bedrock clients get.
 */
final class BedrockApiKeyStrategy extends Strategy {

  private static final Logger LOG = Logger.getLogger(BedrockApiKeyStrategy.class);
  private static final String CREATE =
      "Create a Bedrock API key (a short-term key made from a role is recommended) and put it in "
          + "the file named by gateway.credentials.api-key.file (GATEWAY_CREDENTIALS_API_KEY_FILE) or in AWS_BEARER_TOKEN_BEDROCK.";

  BedrockApiKeyStrategy(CredentialsStrategy strategy) {
    super(strategy);
  }

  @Override
  void validate(CredentialsSettings s) {
    Origin origin = origin(s);
    String text = read(origin);
    BedrockApiKey key;
    try {
      key = BedrockApiKey.parse(text);
    } catch (BedrockApiKey.MalformedKeyException e) {
      throw CredentialsSetupException.of(
          configName(),
          "the Bedrock API key in " + describe(origin) + " is malformed: " + e.getMessage(),
          "Copy the whole key as the Bedrock console or the token generator gave it: ABSK… for a long-term key, "
              + "bedrock-api-key-… for a short-term one.",
          docAnchor(),
          originSetting(origin));
    }
    if (s.apiKeyWatchInterval().isNegative() || s.apiKeyWatchInterval().isZero()) {
      throw CredentialsSetupException.of(
          configName(),
          "gateway.credentials.api-key.watch-interval is "
              + s.apiKeyWatchInterval()
              + ", which is not a positive duration",
          "Use e.g. 10s.",
          docAnchor(),
          "gateway.credentials.api-key.watch-interval");
    }
    key.region()
        .filter(r -> !r.equals(s.region().id()))
        .ifPresent(
            r ->
                LOG.warnf(
                    "The Bedrock API key (%s) was made for region %s but the gateway calls Bedrock in %s: short-term keys are "
                        + "region-scoped and Bedrock refuses them elsewhere. Make the key in %s, or set gateway.region=%s.",
                    key.describe(), r, s.region().id(), s.region().id(), r));
    if (origin instanceof Origin.File
        && s.env().setting(AwsSetting.BEARER_TOKEN_BEDROCK).isPresent()) {
      LOG.warnf(
          "Both gateway.credentials.api-key.file and AWS_BEARER_TOKEN_BEDROCK are set: the key in %s is used",
          origin);
    }
  }

  @Override
  Source open(CredentialsSettings settings) {
    throw new IllegalStateException("Strategy bedrock-api-key has no AWS credentials to fetch");
  }

  /**
   * Reads the key and starts watching its file. @throws CredentialsSetupException when it cannot be
   * read or parsed
   */
  static BedrockApiKeyProvider start(
      CredentialsStrategy strategy, CredentialsSettings s, RefreshThreads threads) {
    Origin origin = origin(s);
    BedrockApiKeyProvider provider =
        new BedrockApiKeyProvider(origin, s.apiKeyWatchInterval(), threads);
    try {
      provider.start();
    } catch (IOException | RuntimeException e) {
      provider.close();
      // validate() read the same a moment ago: the file changed or vanished in between
      throw CredentialsSetupException.of(
          strategy.configName(),
          "the Bedrock API key in "
              + describe(origin)
              + " cannot be read ("
              + Redact.cause(e)
              + ")",
          CREATE,
          strategy.docAnchor,
          originSetting(origin));
    }
    BedrockApiKey key = provider.state().key();
    if (key.expiredAt(threads.clock().instant())) {
      LOG.errorf(
          "The Bedrock API key (%s, %s) expired at %s: Bedrock refuses it and readiness is DOWN until a new key is %s",
          key.describe(),
          origin,
          key.expiresAt().map(Instant::toString).orElse("?"),
          origin instanceof Origin.File ? "written to " + origin : "set");
    }
    return provider;
  }

  private static Origin origin(CredentialsSettings s) {
    Optional<String> file = s.apiKeyFile();
    if (file.isPresent()) {
      return new Origin.File(Path.of(file.get()));
    }
    Optional<String> env = s.env().setting(AwsSetting.BEARER_TOKEN_BEDROCK);
    if (env.isPresent()) {
      return new Origin.Environment(env.get());
    }
    throw CredentialsSetupException.of(
        CredentialsStrategy.BEDROCK_API_KEY.configName(),
        "neither AWS_BEARER_TOKEN_BEDROCK nor gateway.credentials.api-key.file (GATEWAY_CREDENTIALS_API_KEY_FILE) is set",
        CREATE,
        CredentialsStrategy.BEDROCK_API_KEY.docAnchor,
        "gateway.credentials.api-key.file");
  }

  private String read(Origin origin) {
    if (origin instanceof Origin.Environment e) {
      return e.value();
    }
    Path path = ((Origin.File) origin).path();
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw CredentialsSetupException.of(
          configName(),
          "gateway.credentials.api-key.file (GATEWAY_CREDENTIALS_API_KEY_FILE) points to "
              + path
              + " which cannot be read ("
              + e.getClass().getSimpleName()
              + ")",
          "Mount the secret holding the key or fix the path.",
          docAnchor(),
          "gateway.credentials.api-key.file");
    }
  }

  private static String describe(Origin origin) {
    return origin instanceof Origin.File f
        ? "gateway.credentials.api-key.file (" + f.path() + ")"
        : "AWS_BEARER_TOKEN_BEDROCK";
  }

  private static String originSetting(Origin origin) {
    return origin instanceof Origin.File
        ? "gateway.credentials.api-key.file"
        : "gateway.credentials.strategy";
  }

  @Override
  CredentialsSetupException explain(CredentialsSettings s, Throwable error) {
    return CredentialsSetupException.of(
        configName(),
        "the Bedrock API key cannot be read (" + Redact.cause(error) + ")",
        CREATE,
        docAnchor(),
        "gateway.credentials.api-key.file");
  }
}
