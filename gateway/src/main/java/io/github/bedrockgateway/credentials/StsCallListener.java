package io.github.bedrockgateway.credentials;

/**
 * Told about every STS call the credentials layer makes, including the SDK's own background
 * refreshes. The SDK swallows a failed prefetch until the credentials go stale; this is how those
 * failures still reach the log and the health data, with their cause.
 */
interface StsCallListener {

    void succeeded(String operation);

    void failed(String operation, Throwable error);

    StsCallListener NONE = new StsCallListener() {
        @Override
        public void succeeded(String operation) {
        }

        @Override
        public void failed(String operation, Throwable error) {
        }
    };
}
