package io.github.bedrockgateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * All gateway settings. The Javadoc of each method is the configuration reference
 * (docs/configuration.md is generated from the same text by hand; keep both in step).
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /**
     * Client API keys accepted as {@code Authorization: Bearer KEY}, comma-separated. An entry
     * {@code sha256:<hex>} holds the SHA-256 of a key instead of the key itself. An entry may carry a
     * name for logs and metrics: {@code team-a=sha256:<hex>} or {@code team-a=KEY}.
     */
    Optional<List<String>> apiKeys();

    /** Client authentication. */
    Auth auth();

    /**
     * Bedrock region. When unset, {@code AWS_REGION}, {@code AWS_DEFAULT_REGION} and the region of the
     * selected profile are tried in that order; startup fails when none is found.
     */
    Optional<String> region();

    /** Limits of the HTTP surface. */
    Http http();

    /** Models served: aliases and the catalog returned by {@code GET /v1/models}. */
    Models models();

    /** The Bedrock Runtime client: endpoint, timeouts, connection pool. */
    Bedrock bedrock();

    /** Remote image URLs in chat messages: whether and how the gateway downloads them. */
    Images images();

    /** AWS credentials used to sign Bedrock calls. */
    Credentials credentials();

    /** The embedded Bedrock simulator (on in dev mode and tests, off in production). */
    Simulator simulator();

    interface Auth {
        /**
         * Whether {@code /v1/*} requires an API key. Switching it off is only meant for a gateway that
         * sits behind another authenticating proxy; with auth on and no key configured the gateway
         * refuses to start.
         */
        @WithDefault("true")
        boolean enabled();
    }

    interface Http {
        /**
         * Largest accepted request body in bytes; larger bodies get 413. Base64 images make chat bodies
         * big (Bedrock accepts 20 images of 3.75 MB), so the default is generous.
         */
        @WithDefault("26214400")
        long maxBodySize();
    }

    interface Models {
        /**
         * Models listed by {@code GET /v1/models}, comma-separated. An entry {@code alias=modelId} makes
         * the client-facing name {@code alias} call the Bedrock model or inference profile
         * {@code modelId}; a bare entry lists a Bedrock model id under its own name. Names that are not
         * listed pass through unchanged as Bedrock model ids.
         */
        @WithName("list")
        Optional<List<String>> entries();

        /** Discovery of the foundation models and inference profiles the account can call. */
        Discovery discovery();

        interface Discovery {
            /**
             * Whether {@code GET /v1/models} also lists what Bedrock's control plane reports: the
             * foundation models offered on demand that produce text ({@code ListFoundationModels}) and
             * the active inference profiles ({@code ListInferenceProfiles}, system-defined and
             * application). Needs {@code bedrock:ListFoundationModels} and
             * {@code bedrock:ListInferenceProfiles}; without them the list keeps the configured aliases.
             * Discovery runs in the background, never on a request.
             */
            @WithDefault("true")
            boolean enabled();

            /** How often the discovered list is refreshed. */
            @WithDefault("1h")
            Duration refreshInterval();
        }
    }

    interface Bedrock {
        /**
         * Bedrock Runtime endpoint override. When unset, the standard
         * {@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME} / {@code AWS_ENDPOINT_URL} variables apply, then the
         * regional AWS endpoint.
         */
        Optional<URI> endpoint();

        /**
         * Bedrock control-plane endpoint override (model discovery). When unset, the standard
         * {@code AWS_ENDPOINT_URL_BEDROCK} / {@code AWS_ENDPOINT_URL} variables apply, then the regional
         * AWS endpoint. The embedded simulator, when enabled, serves both planes.
         */
        Optional<URI> controlEndpoint();

        /** TCP connect timeout to Bedrock. */
        @WithDefault("10s")
        Duration connectTimeout();

        /**
         * Longest silence tolerated on a Bedrock connection (socket read timeout). Reasoning models
         * can think for minutes before their first byte, so the default is generous.
         */
        @WithDefault("10m")
        Duration readTimeout();

        /**
         * Longest pause tolerated between two events of a stream once it has started; on expiry the
         * stream ends with an error event and the upstream call is cancelled.
         */
        @WithDefault("5m")
        Duration streamIdleTimeout();

        /** Whole-call timeout of a non-streaming request, retries included. */
        @WithDefault("10m")
        Duration requestTimeout();

        /**
         * Attempts per Bedrock call (the SDK's standard retry strategy: throttling and transient
         * failures are retried with jittered backoff before any byte reaches the client). 1 disables
         * retries.
         */
        @WithDefault("3")
        int maxAttempts();

        /** Maximum concurrent connections to Bedrock (each open stream holds one). */
        @WithDefault("2000")
        int maxConnections();
    }

    interface Images {
        /**
         * Whether {@code image_url} parts may point at {@code http://} or {@code https://} URLs, which
         * the gateway downloads and sends to Bedrock as image bytes. When off, only base64 data URLs
         * are accepted.
         */
        @WithDefault("true")
        boolean remoteEnabled();

        /**
         * Time limit of one image download: address resolution, connection, redirects and body
         * together. A slower download fails the request with a 400 naming the image.
         */
        @WithDefault("10s")
        Duration fetchTimeout();

        /**
         * Largest image downloaded, in bytes (default 3.75 MB, Bedrock's limit per image). The download
         * stops as soon as {@code Content-Length} or the bytes received exceed it.
         */
        @WithDefault("3932160")
        int maxBytes();

        /** Redirects followed per image; every hop is checked like the first URL. */
        @WithDefault("3")
        int maxRedirects();

        /**
         * Hosts and networks that may be downloaded from although their addresses are private,
         * loopback, link-local or otherwise internal, comma-separated: host names
         * ({@code images.internal}, or {@code *.corp.example} for every subdomain) and CIDRs or single
         * addresses ({@code 10.1.0.0/16}, {@code fd00:1::/64}, {@code 10.1.2.3}). Empty by default:
         * only public addresses are fetched.
         */
        Optional<List<String>> allowedHosts();
    }

    interface Credentials {
        /**
         * How credentials are obtained: {@code default} (the AWS SDK default chain), {@code static},
         * {@code profile}, {@code assume-role}, {@code web-identity}, {@code instance-role},
         * {@code container}.
         */
        @WithDefault("default")
        String strategy();

        /** Profile name for {@code profile} ({@code AWS_PROFILE} honoured). */
        Optional<String> profile();

        /** Role to assume for {@code assume-role} and {@code web-identity} ({@code AWS_ROLE_ARN} honoured for web-identity). */
        Optional<String> roleArn();

        /** Session name of assumed-role sessions. */
        Optional<String> roleSessionName();

        /** External ID presented by {@code assume-role}. */
        Optional<String> externalId();

        /** Duration of assumed-role sessions (ISO-8601, e.g. {@code PT1H}). */
        Optional<Duration> sessionDuration();

        /** Web identity token file ({@code AWS_WEB_IDENTITY_TOKEN_FILE} honoured). */
        Optional<String> webIdentityTokenFile();

        /**
         * Where {@code assume-role} gets its base credentials: {@code default}, {@code static},
         * {@code profile}, {@code instance-role}, {@code container}, {@code web-identity}.
         */
        @WithDefault("default")
        String source();
    }

    interface Simulator {
        /**
         * Start the in-repo Bedrock simulator inside the gateway and send Bedrock calls to it. On by
         * default in dev mode and tests; never enable it in production.
         */
        @WithDefault("false")
        boolean enabled();

        /** Port of the embedded simulator; 0 picks a free port. */
        @WithDefault("0")
        int port();

        /** Whether the embedded simulator verifies SigV4 signatures. */
        @WithDefault("true")
        boolean verifySignatures();
    }
}
