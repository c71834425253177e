package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Source;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * What one credentials strategy does: check the settings it needs (failing with a message that
 * names the strategy, the setting and the fix), open the source the credentials come from, and
 * explain a failure of the first resolution. One subclass per {@link CredentialsStrategy} constant.
 */
abstract class Strategy {

  /** The constant this implements (its name and its section of docs/credentials.md). */
  final CredentialsStrategy strategy;

  Strategy(CredentialsStrategy strategy) {
    this.strategy = strategy;
  }

  /** {@code gateway.credentials.strategy} value, e.g. {@code assume-role}. */
  final String configName() {
    return strategy.configName();
  }

  /** The section of docs/credentials.md about this strategy. */
  final String docAnchor() {
    return strategy.docAnchor;
  }

  /**
   * Checks the settings this strategy needs, before building anything. @throws
   * CredentialsSetupException
   */
  abstract void validate(CredentialsSettings settings);

  /**
   * The credential source of this strategy (no network call yet). Every {@link Source#fetch()} goes
   * to the source itself: an SDK provider is built with its asynchronous refresh off and is used
   * for one fetch only, so nothing refreshes credentials besides the gateway's engine.
   */
  abstract Source open(CredentialsSettings settings);

  /**
   * A source that builds a fresh SDK provider for every fetch, resolves it once and closes it: the
   * provider's own cache and prefetch never come into play.
   */
  static Source fresh(Supplier<? extends AwsCredentialsProvider> provider) {
    return () -> {
      AwsCredentialsProvider p = provider.get();
      try {
        return p.resolveCredentials();
      } finally {
        if (p instanceof AutoCloseable closeable) {
          try {
            closeable.close();
          } catch (Exception e) {
            // nothing of it is used any more
          }
        }
      }
    };
  }

  /** Turns a failure of the first resolution into the one startup message. */
  CredentialsSetupException explain(CredentialsSettings settings, Throwable error) {
    return CredentialsSetupException.of(
        configName(),
        "resolving credentials failed (" + Redact.cause(error) + ")",
        "Check the settings of this strategy.",
        docAnchor(),
        "gateway.credentials.strategy");
  }

  /**
   * The role whose sessions this strategy uses, when it knows one (the identity shown in health
   * data).
   */
  Optional<String> role(CredentialsSettings settings) {
    return Optional.empty();
  }
}
