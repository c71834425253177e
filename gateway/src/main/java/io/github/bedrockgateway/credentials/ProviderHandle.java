package io.github.bedrockgateway.credentials;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * One SDK credentials provider with everything it owns (STS client, base provider), closed together.
 * A strategy builds one at startup and a fresh one for every {@link CredentialsManager#refreshNow()}.
 */
final class ProviderHandle implements SdkAutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProviderHandle.class);

    private final AwsCredentialsProvider provider;
    private final List<AutoCloseable> resources;
    private final Optional<Base> base;

    /** The base credentials of {@code assume-role}: resolved first at startup so their failure is reported as theirs. */
    record Base(CredentialsStrategy strategy, CredentialsSettings settings, ProviderHandle handle) {
    }

    private ProviderHandle(AwsCredentialsProvider provider, List<AutoCloseable> resources, Optional<Base> base) {
        this.provider = provider;
        this.resources = resources;
        this.base = base;
    }

    /** A provider that owns the given resources besides itself (closed in order: the provider first, then what it uses). */
    static ProviderHandle of(AwsCredentialsProvider provider, AutoCloseable... resources) {
        List<AutoCloseable> all = new ArrayList<>();
        if (provider instanceof AutoCloseable closeable) {
            all.add(closeable);
        }
        all.addAll(List.of(resources));
        return new ProviderHandle(provider, all, Optional.empty());
    }

    ProviderHandle withBase(Base base) {
        List<AutoCloseable> all = new ArrayList<>(resources);
        all.add(base.handle());
        return new ProviderHandle(provider, all, Optional.of(base));
    }

    AwsCredentialsProvider provider() {
        return provider;
    }

    Optional<Base> base() {
        return base;
    }

    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.debugf("Closing %s failed: %s", resource.getClass().getSimpleName(), Redact.cause(e));
            }
        }
    }
}
