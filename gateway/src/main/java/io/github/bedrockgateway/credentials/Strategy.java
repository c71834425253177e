package io.github.bedrockgateway.credentials;

import java.util.Optional;

/**
 * What one credentials strategy does: check the settings it needs (failing with a message that names
 * the strategy, the setting and the fix), build the SDK provider that gets the credentials, and explain
 * a failure of the first resolution. One subclass per {@link CredentialsStrategy} constant.
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

    /** Checks the settings this strategy needs, before building anything. @throws CredentialsSetupException */
    abstract void validate(CredentialsSettings settings);

    /** Builds the SDK provider (no network call yet). */
    abstract ProviderHandle build(CredentialsSettings settings, StsCallListener listener);

    /** Turns a failure of the first resolution into the one startup message. */
    CredentialsSetupException explain(CredentialsSettings settings, Throwable error) {
        return CredentialsSetupException.of(configName(), "resolving credentials failed (" + Redact.cause(error) + ")",
                "Check the settings of this strategy.", docAnchor(), "gateway.credentials.strategy");
    }

    /** The role whose sessions this strategy uses, when it knows one (the identity shown in health data). */
    Optional<String> role(CredentialsSettings settings) {
        return Optional.empty();
    }
}
