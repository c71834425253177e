package io.github.bedrockgateway.config;

import io.github.bedrockgateway.converse.TranslationOptions;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * All gateway settings. The Javadoc of each method is the configuration reference;
 * docs/configuration.md is written by hand from it (nothing generates it), and
 * ConfigurationDocsTest fails when a setting is missing there.
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

  /**
   * Client API keys accepted as {@code Authorization: Bearer KEY}, comma-separated. An entry {@code
   * sha256:<hex>} holds the SHA-256 of a key instead of the key itself. An entry may carry a name
   * for logs and metrics: {@code team-a=sha256:<hex>} or {@code team-a=KEY}.
   */
  Optional<List<String>> apiKeys();

  /** Client authentication. */
  Auth auth();

  /**
   * Bedrock region (also the region of the STS endpoint used for assumed roles). When unset, {@code
   * AWS_REGION}, {@code AWS_DEFAULT_REGION} and the {@code region} of the selected profile are
   * tried in that order; startup fails when none is found.
   */
  Optional<String> region();

  /** Limits of the HTTP surface. */
  Http http();

  /** Request limits and overload protection. */
  Limits limits();

  /** Access log and metrics. */
  Observability observability();

  /** Graceful shutdown on SIGTERM. */
  Shutdown shutdown();

  /** Models served: aliases and the catalog returned by {@code GET /v1/models}. */
  Models models();

  /** The Bedrock Runtime client: endpoint, timeouts, connection pool. */
  Bedrock bedrock();

  /** Remote image URLs in chat messages: whether and how the gateway downloads them. */
  Images images();

  /** AWS credentials used to sign Bedrock calls. */
  Credentials credentials();

  /** OpenAI {@code reasoning_effort} -> Claude extended thinking. */
  Reasoning reasoning();

  /** OpenAI {@code response_format} -> Converse structured output. */
  StructuredOutput structuredOutput();

  /** Prompt caching: Converse {@code cachePoint} blocks. */
  PromptCaching promptCaching();

  /** The Bedrock guardrail applied to requests. */
  Guardrail guardrail();

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

  interface Limits {
    /** Most messages accepted in one request; more gets a 400 naming {@code messages}. */
    @WithDefault("2000")
    int maxMessages();

    /** Most tools accepted in one request; more gets a 400 naming {@code tools}. */
    @WithDefault("256")
    int maxTools();

    /**
     * Most Bedrock calls in flight at once (streams included). Beyond it the gateway answers 503
     * with {@code Retry-After} at once instead of queueing without bound.
     */
    @WithDefault("4096")
    int maxInFlight();

    /** Seconds a client is asked to wait ({@code Retry-After}) when the gateway is overloaded. */
    @WithDefault("1")
    int overloadRetryAfterSeconds();
  }

  interface Shutdown {
    /**
     * On SIGTERM the gateway stops accepting requests (503 {@code shutting_down}) and gives the
     * requests and streams in flight this long to finish; streams still open then end with a {@code
     * shutting_down} error event, and the process exits 0. Keep it below the orchestrator's
     * termination grace period (Kubernetes: {@code terminationGracePeriodSeconds}).
     */
    @WithDefault("25s")
    Duration gracePeriod();
  }

  interface Observability {
    /** Write one access-log line per request (logger {@code gateway.access}). */
    @WithDefault("true")
    boolean accessLog();

    /**
     * Access-log line format: {@code json} (one JSON object per line) or {@code text} (key=value).
     */
    @WithDefault("text")
    String accessLogFormat();

    /**
     * Send the client key name and the gateway request id to Bedrock as {@code requestMetadata}
     * ({@code gateway-key}, {@code gateway-request-id}), so model invocation logs attribute usage.
     */
    @WithDefault("true")
    boolean requestMetadata();
  }

  interface Models {
    /**
     * Models listed by {@code GET /v1/models}, comma-separated. An entry {@code alias=modelId}
     * makes the client-facing name {@code alias} call the Bedrock model or inference profile {@code
     * modelId}; a bare entry lists a Bedrock model id under its own name. Names that are not listed
     * pass through unchanged as Bedrock model ids.
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
       * application). Needs {@code bedrock:ListFoundationModels} and {@code
       * bedrock:ListInferenceProfiles}; without them the list keeps the configured aliases.
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
     * Bedrock Runtime endpoint override. When unset, the standard {@code
     * AWS_ENDPOINT_URL_BEDROCK_RUNTIME} / {@code AWS_ENDPOINT_URL} variables apply, then the
     * regional AWS endpoint. An {@code http://} or {@code https://} URL, checked at start-up (kept
     * as text so that a value without its scheme is refused with a sentence saying how to write
     * it).
     */
    Optional<String> endpoint();

    /**
     * Bedrock control-plane endpoint override (model discovery). When unset, the standard {@code
     * AWS_ENDPOINT_URL_BEDROCK} / {@code AWS_ENDPOINT_URL} variables apply, then the regional AWS
     * endpoint. In dev mode both point at the dev-mode simulator. An {@code http://} or {@code
     * https://} URL, checked at start-up.
     */
    Optional<String> controlEndpoint();

    /** TCP connect timeout to Bedrock. */
    @WithDefault("10s")
    Duration connectTimeout();

    /**
     * Longest time one write of a request to Bedrock may take (socket write timeout): a request
     * body that Bedrock stops accepting fails after this long instead of holding its connection.
     */
    @WithDefault("30s")
    Duration writeTimeout();

    /**
     * Longest silence tolerated on a Bedrock connection (socket read timeout). Reasoning models can
     * think for minutes before their first byte, so the default is generous.
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

    /**
     * HTTP version towards Bedrock: {@code http1.1} (default) or {@code http2}. With HTTP/2 many
     * calls share one connection, and the soak test saw a connection closed after a client
     * cancelled its stream, failing every call multiplexed on it; HTTP/1.1 keeps each call's
     * failure its own.
     */
    @WithDefault("http1.1")
    String protocol();

    /** Maximum concurrent connections to Bedrock (each open stream holds one). */
    @WithDefault("2000")
    int maxConnections();

    /**
     * One Bedrock client (and connection pool) per Vert.x event loop, so that a request is
     * received, signed, sent to Bedrock, answered and written back on one thread with no hand-off
     * between threads (docs/performance.md). {@code false}: one client shared by all event loops.
     * Either way {@code max-connections} is the total.
     */
    @WithDefault("true")
    boolean eventLoopAffinity();
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
     * loopback, link-local or otherwise internal, comma-separated: host names ({@code
     * images.internal}, or {@code *.corp.example} for every subdomain) and CIDRs or single
     * addresses ({@code 10.1.0.0/16}, {@code fd00:1::/64}, {@code 10.1.2.3}). Empty by default:
     * only public addresses are fetched.
     */
    Optional<List<String>> allowedHosts();
  }

  interface Credentials {
    /**
     * How credentials are obtained: {@code default} (the AWS SDK default chain), {@code static},
     * {@code profile}, {@code assume-role}, {@code web-identity}, {@code instance-role}, {@code
     * container}, or {@code bedrock-api-key} (a Bedrock API key as a bearer token instead of SigV4,
     * see {@code gateway.credentials.api-key.*}). Resolved once at startup; a wrong setup stops the
     * gateway with one message naming the setting (see docs/credentials.md).
     */
    @WithDefault("default")
    String strategy();

    /**
     * Profile name for {@code profile} (and the profile whose {@code region} is used when no region
     * is set). {@code AWS_PROFILE} is honoured; the files come from {@code AWS_CONFIG_FILE} and
     * {@code AWS_SHARED_CREDENTIALS_FILE} (default {@code ~/.aws/config}, {@code
     * ~/.aws/credentials}).
     */
    Optional<String> profile();

    /**
     * Role to assume for {@code assume-role} and {@code web-identity} ({@code AWS_ROLE_ARN}
     * honoured for web-identity).
     */
    Optional<String> roleArn();

    /**
     * Session name of assumed-role sessions (shows in CloudTrail). {@code AWS_ROLE_SESSION_NAME} is
     * honoured for web-identity; default {@code bedrock-gateway-<host name>}.
     */
    Optional<String> roleSessionName();

    /**
     * External ID presented by {@code assume-role} (must match the trust policy's {@code
     * sts:ExternalId}).
     */
    Optional<String> externalId();

    /**
     * Duration of assumed-role sessions (ISO-8601, e.g. {@code PT1H}); between 15 minutes and the
     * role's maximum session duration (at most 12 hours). Default: STS's default of one hour.
     */
    Optional<Duration> sessionDuration();

    /**
     * Web identity token file ({@code AWS_WEB_IDENTITY_TOKEN_FILE} honoured). Re-read at every
     * refresh.
     */
    Optional<String> webIdentityTokenFile();

    /**
     * Where {@code assume-role} gets its base credentials: {@code default}, {@code static}, {@code
     * profile}, {@code instance-role}, {@code container}, {@code web-identity}.
     */
    @WithDefault("default")
    String source();

    /**
     * How long before expiry temporary credentials are refreshed, at the earliest, in the
     * background (with random jitter between this point and the stale time). Credentials that live
     * less than twice this long are refreshed at half-life instead. Requests keep using the current
     * credentials meanwhile (docs/credentials.md#refresh).
     */
    @WithDefault("5m")
    Duration prefetchTime();

    /**
     * How long before expiry temporary credentials are refreshed at the latest: the end of the
     * jitter window that starts at {@code prefetch-time}. Must be shorter than {@code
     * prefetch-time}.
     */
    @WithDefault("1m")
    Duration staleTime();

    /**
     * Whole-call timeout of one STS call (retries included), for the startup resolution and each
     * background refresh of {@code assume-role} and {@code web-identity}.
     */
    @WithDefault("10s")
    Duration stsTimeout();
  }

  interface Reasoning {
    /**
     * Models that get extended thinking from {@code reasoning_effort}: a model id (after alias
     * resolution) containing one of these fragments, ignoring case. For other models {@code
     * reasoning_effort} is ignored.
     */
    @WithDefault(TranslationOptions.DEFAULT_THINKING_MODELS)
    List<String> models();

    /**
     * Thinking budget ({@code budget_tokens}) of {@code reasoning_effort: minimal}; Claude's floor
     * is 1024.
     */
    @WithDefault(TranslationOptions.DEFAULT_MINIMAL_BUDGET)
    int minimalBudget();

    /** Thinking budget of {@code reasoning_effort: low}. */
    @WithDefault(TranslationOptions.DEFAULT_LOW_BUDGET)
    int lowBudget();

    /** Thinking budget of {@code reasoning_effort: medium}. */
    @WithDefault(TranslationOptions.DEFAULT_MEDIUM_BUDGET)
    int mediumBudget();

    /** Thinking budget of {@code reasoning_effort: high} (also {@code xhigh} and {@code max}). */
    @WithDefault(TranslationOptions.DEFAULT_HIGH_BUDGET)
    int highBudget();

    /**
     * Tokens left for the visible answer when thinking is on and the client sets no {@code
     * max_completion_tokens}: Bedrock's {@code maxTokens} becomes the budget plus this.
     */
    @WithDefault(TranslationOptions.DEFAULT_ANSWER_TOKENS)
    int answerTokens();
  }

  interface StructuredOutput {
    /**
     * Models that take Converse {@code outputConfig} (native structured output): a model id
     * containing one of these fragments, ignoring case. Other models get {@code json_schema}
     * through a forced tool call. These models also receive OpenAI's {@code strict: true} on tools.
     */
    @WithDefault(TranslationOptions.DEFAULT_STRUCTURED_OUTPUT_MODELS)
    List<String> models();
  }

  interface PromptCaching {
    /**
     * Place a cache point after the system prompt and after the tools of every request to a model
     * that caches (see {@code models}), in addition to the client's own {@code cache_control}
     * markers.
     */
    @WithDefault("false")
    boolean auto();

    /**
     * Models where {@code auto} applies: a model id containing one of these fragments, ignoring
     * case.
     */
    @WithDefault(TranslationOptions.DEFAULT_CACHING_MODELS)
    List<String> models();
  }

  interface Guardrail {
    /** Guardrail id or ARN applied to every request ({@code guardrailConfig}); none when unset. */
    Optional<String> id();

    /** Version of the guardrail: {@code DRAFT} or a version number. */
    @WithDefault("DRAFT")
    String version();

    /** Guardrail trace: {@code enabled}, {@code disabled} or {@code enabled_full}. */
    @WithDefault("disabled")
    String trace();

    /**
     * How a guarded stream is checked: {@code sync} (each chunk is checked before it is sent) or
     * {@code async} (chunks flow while the guardrail checks in the background). Unset: Bedrock's
     * default, {@code sync}.
     */
    Optional<String> streamProcessingMode();

    /**
     * Whether a request's own {@code guardrailConfig} may replace the configured guardrail. Without
     * a configured guardrail a request may always name one.
     */
    @WithDefault("false")
    boolean allowRequestOverride();
  }
}
