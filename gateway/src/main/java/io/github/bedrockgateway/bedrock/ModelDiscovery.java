package io.github.bedrockgateway.bedrock;

import io.github.bedrockgateway.config.Bounds;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;
import software.amazon.awssdk.services.bedrock.model.FoundationModelLifecycleStatus;
import software.amazon.awssdk.services.bedrock.model.FoundationModelSummary;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileModel;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileStatus;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileSummary;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileType;
import software.amazon.awssdk.services.bedrock.model.InferenceType;
import software.amazon.awssdk.services.bedrock.model.ModelModality;

/**
 * Finds the models the account can call, for {@code GET /v1/models}: the foundation models Bedrock
 * offers on demand that take and produce text ({@code ListFoundationModels}), and the active
 * inference profiles, system-defined and application ({@code ListInferenceProfiles}, every page).
 * Runs on a background thread at startup and every {@code
 * gateway.models.discovery.refresh-interval}; requests only read the last snapshot.
 *
 * <p>The two lists are independent: when one call fails (typically {@code AccessDeniedException}
 * because the IAM policy lacks the action) its failure is logged once, with the cause, and the list
 * it feeds keeps what it last found (nothing, before a first success); a failed list is retried
 * after at most {@link #RETRY_AFTER_FAILURE}.
 */
@Singleton
public class ModelDiscovery {

  private static final Logger LOG = Logger.getLogger(ModelDiscovery.class);

  /** Longest wait before retrying a failed discovery, whatever the refresh interval. */
  static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(5);

  /** A guard against an endpoint that never stops paging. */
  private static final int MAX_PROFILES = 10_000;

  private final boolean enabled;
  private final Duration interval;
  private final Supplier<BedrockAsyncClient> clients;

  /** The control-plane endpoint, for log lines: known once the client is built. */
  private final AtomicReference<String> endpoint =
      new AtomicReference<>("the Bedrock control plane");

  private final Source foundationModels = new Source("ListFoundationModels", endpoint);
  private final Source inferenceProfiles = new Source("ListInferenceProfiles", endpoint);
  private volatile List<ModelCatalog.Entry> snapshot = List.of();
  private ScheduledExecutorService scheduler;

  @Inject
  ModelDiscovery(ModelsConfig config, Instance<BedrockAsyncClient> clients) {
    this(config.discovery().enabled(), config.discovery().refreshInterval(), clients::get);
  }

  /**
   * Discovery through the client {@code clients} gives, every {@code interval} once {@link
   * #start}ed.
   */
  ModelDiscovery(boolean enabled, Duration interval, Supplier<BedrockAsyncClient> clients) {
    Bounds.positive("gateway.models.discovery.refresh-interval", interval);
    this.enabled = enabled;
    this.interval = interval;
    this.clients = clients;
  }

  void start(@Observes StartupEvent event) {
    if (!enabled) {
      LOG.debug(
          "Model discovery is off (gateway.models.discovery.enabled=false): /v1/models lists the configured models");
      return;
    }
    synchronized (this) {
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "bedrock-model-discovery");
                t.setDaemon(true);
                return t;
              });
    }
    schedule(Duration.ZERO);
  }

  @PreDestroy
  synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  private synchronized void schedule(Duration delay) {
    if (scheduler == null) {
      return;
    }
    scheduler.schedule(
        () ->
            refresh()
                .whenComplete(
                    (ok, e) ->
                        schedule(
                            ok
                                ? interval
                                : interval.compareTo(RETRY_AFTER_FAILURE) < 0
                                    ? interval
                                    : RETRY_AFTER_FAILURE)),
        delay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** What the last discovery found, sorted by id; empty when it is off or has found nothing yet. */
  public List<ModelCatalog.Entry> models() {
    return snapshot;
  }

  /**
   * Refreshes both lists now. Never fails: completes with {@code true} when both calls succeeded,
   * {@code false} when either failed (and was logged).
   */
  public CompletableFuture<Boolean> refresh() {
    BedrockAsyncClient client;
    try {
      client = clients.get();
    } catch (RuntimeException e) {
      foundationModels.failed(e);
      inferenceProfiles.failed(e);
      return CompletableFuture.completedFuture(false);
    }
    endpoint.set(endpointOf(client));
    CompletableFuture<Boolean> models = foundationModels.run(() -> listFoundationModels(client));
    CompletableFuture<Boolean> profiles =
        inferenceProfiles.run(() -> listInferenceProfiles(client));
    return models.thenCombine(
        profiles,
        (a, b) -> {
          publish();
          return a && b;
        });
  }

  /**
   * The endpoint {@code client} calls: its override, the standard variables, or the regional
   * endpoint.
   */
  static String endpointOf(BedrockAsyncClient client) {
    var configuration = client.serviceClientConfiguration();
    return configuration
        .endpointOverride()
        .map(java.net.URI::toString)
        .orElseGet(
            () ->
                Endpoints.control(Optional.empty(), System.getenv())
                    .map(o -> o.uri().toString())
                    .orElseGet(() -> Endpoints.regional("bedrock", configuration.region())));
  }

  private static CompletableFuture<List<ModelCatalog.Entry>> listFoundationModels(
      BedrockAsyncClient client) {
    return client
        .listFoundationModels(
            r -> r.byOutputModality(ModelModality.TEXT).byInferenceType(InferenceType.ON_DEMAND))
        .thenApply(
            response -> {
              List<ModelCatalog.Entry> out = new ArrayList<>();
              for (FoundationModelSummary m : response.modelSummaries()) {
                if (usable(m)) {
                  out.add(
                      new ModelCatalog.Entry(
                          m.modelId(), m.modelId(), ModelCatalog.ownerOf(m.modelId())));
                }
              }
              return out;
            });
  }

  /**
   * Chat-capable and callable by id: text out (and text in, when the model says), on-demand
   * throughput, and ACTIVE (LEGACY models are on their way out; provisioned-only and
   * inference-profile-only models cannot be called by their own id).
   */
  static boolean usable(FoundationModelSummary m) {
    if (m.modelId() == null
        || !m.outputModalities().contains(ModelModality.TEXT)
        || !m.inferenceTypesSupported().contains(InferenceType.ON_DEMAND)) {
      return false;
    }
    if (m.hasInputModalities() && !m.inputModalities().contains(ModelModality.TEXT)) {
      return false;
    }
    return m.modelLifecycle() == null
        || m.modelLifecycle().status() == null
        || m.modelLifecycle().status() == FoundationModelLifecycleStatus.ACTIVE;
  }

  private static CompletableFuture<List<ModelCatalog.Entry>> listInferenceProfiles(
      BedrockAsyncClient client) {
    // Without a type filter Bedrock lists only the system-defined profiles, so ask for each type.
    CompletableFuture<List<ModelCatalog.Entry>> system =
        listProfiles(client, InferenceProfileType.SYSTEM_DEFINED);
    CompletableFuture<List<ModelCatalog.Entry>> application =
        listProfiles(client, InferenceProfileType.APPLICATION);
    return system.thenCombine(
        application,
        (a, b) -> {
          List<ModelCatalog.Entry> all = new ArrayList<>(a);
          all.addAll(b);
          return all;
        });
  }

  private static CompletableFuture<List<ModelCatalog.Entry>> listProfiles(
      BedrockAsyncClient client, InferenceProfileType type) {
    List<ModelCatalog.Entry> out = new ArrayList<>();
    return client
        .listInferenceProfilesPaginator(r -> r.typeEquals(type))
        .inferenceProfileSummaries()
        .limit(MAX_PROFILES)
        .subscribe(
            p -> {
              ModelCatalog.Entry entry = entry(p);
              if (entry != null) {
                synchronized (out) {
                  out.add(entry);
                }
              }
            })
        .thenApply(
            v -> {
              synchronized (out) {
                return List.copyOf(out);
              }
            });
  }

  /**
   * A system-defined profile is called by its id ({@code us.anthropic...}); an application profile
   * only by its ARN. Inactive profiles are left out.
   */
  static ModelCatalog.Entry entry(InferenceProfileSummary p) {
    if (p.status() != InferenceProfileStatus.ACTIVE) {
      return null;
    }
    if (p.type() == InferenceProfileType.APPLICATION) {
      if (p.inferenceProfileArn() == null) {
        return null;
      }
      String owner = "bedrock";
      for (InferenceProfileModel m : p.models()) {
        String arn = m.modelArn();
        int slash = arn == null ? -1 : arn.indexOf("foundation-model/");
        if (slash >= 0) {
          owner = ModelCatalog.ownerOf(arn.substring(slash + "foundation-model/".length()));
          break;
        }
      }
      return new ModelCatalog.Entry(p.inferenceProfileArn(), p.inferenceProfileArn(), owner);
    }
    if (p.inferenceProfileId() == null) {
      return null;
    }
    return new ModelCatalog.Entry(
        p.inferenceProfileId(),
        p.inferenceProfileId(),
        ModelCatalog.ownerOf(p.inferenceProfileId()));
  }

  private void publish() {
    Map<String, ModelCatalog.Entry> byId = new LinkedHashMap<>();
    for (ModelCatalog.Entry e : foundationModels.entries) {
      byId.putIfAbsent(e.id(), e);
    }
    for (ModelCatalog.Entry e : inferenceProfiles.entries) {
      byId.putIfAbsent(e.id(), e);
    }
    List<ModelCatalog.Entry> sorted = new ArrayList<>(byId.values());
    sorted.sort(Comparator.comparing(ModelCatalog.Entry::id));
    snapshot = List.copyOf(sorted);
  }

  /** One control-plane list: what it last found, and which failure has already been logged. */
  private static final class Source {
    private final String action;
    private final AtomicReference<String> endpoint;
    volatile List<ModelCatalog.Entry> entries = List.of();
    private String loggedFailure;
    private boolean succeededOnce;

    Source(String action, AtomicReference<String> endpoint) {
      this.action = action;
      this.endpoint = endpoint;
    }

    CompletableFuture<Boolean> run(Supplier<CompletableFuture<List<ModelCatalog.Entry>>> list) {
      CompletableFuture<List<ModelCatalog.Entry>> call;
      try {
        call = list.get();
      } catch (
          RuntimeException e) { // the SDK may throw before returning a future (no credentials...)
        call = CompletableFuture.failedFuture(e);
      }
      return call.handle(
          (found, failure) -> {
            if (failure != null) {
              failed(failure);
              return false;
            }
            entries = List.copyOf(found);
            succeeded(found.size());
            return true;
          });
    }

    synchronized void succeeded(int count) {
      if (loggedFailure != null) {
        LOG.infof("Model discovery: bedrock:%s works again (%d models)", action, count);
        loggedFailure = null;
      } else if (!succeededOnce) {
        LOG.infof("Model discovery: bedrock:%s found %d models for GET /v1/models", action, count);
      } else {
        LOG.debugf("Model discovery: bedrock:%s found %d models", action, count);
      }
      succeededOnce = true;
    }

    synchronized void failed(Throwable failure) {
      Throwable cause = unwrap(failure);
      String kind =
          cause instanceof AwsServiceException e
                  && e.awsErrorDetails() != null
                  && e.awsErrorDetails().errorCode() != null
              ? e.awsErrorDetails().errorCode()
              : cause.getClass().getSimpleName();
      if (kind.equals(loggedFailure)) {
        LOG.debugf("Model discovery: bedrock:%s failed again: %s", action, cause.toString());
        return;
      }
      loggedFailure = kind;
      LOG.warn(warning(action, endpoint.get(), cause, entries.size()));
    }
  }

  /** Why a discovery call failed, grouped by what an operator does about it. */
  enum Cause {
    /** No answer at all: name resolution, connection, TLS or timeout. */
    UNREACHABLE,
    /** The identity is not allowed the action, or its credentials were refused. */
    ACCESS_DENIED,
    /** Bedrock's request rate limit. */
    THROTTLED,
    /** Anything else Bedrock answered. */
    OTHER
  }

  static Cause classify(Throwable cause) {
    if (cause instanceof AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      if (e.statusCode() == 403
          || e.statusCode() == 401
          || "AccessDeniedException".equals(code)
          || "UnrecognizedClientException".equals(code)
          || "ExpiredTokenException".equals(code)
          || "InvalidSignatureException".equals(code)) {
        return Cause.ACCESS_DENIED;
      }
      if (e.statusCode() == 429 || "ThrottlingException".equals(code)) {
        return Cause.THROTTLED;
      }
      return Cause.OTHER;
    }
    return Cause.UNREACHABLE;
  }

  /**
   * The one warning logged when a discovery call starts failing: which call, at which endpoint,
   * what happened, and the advice that fits the cause (network and endpoint for an unreachable
   * endpoint, IAM for a refusal, patience for throttling).
   */
  static String warning(String action, String endpoint, Throwable cause, int kept) {
    String keeps =
        "GET /v1/models keeps the configured models"
            + (kept == 0 ? "" : " and the " + kept + " found before")
            + "; retrying in the background, and further failures of this kind are logged at DEBUG.";
    String where = "Model discovery: bedrock:" + action + " at " + endpoint;
    return switch (classify(cause)) {
      case UNREACHABLE ->
          where
              + " failed: "
              + unreachable(cause)
              + ". Check the gateway's network and DNS, or point "
              + "discovery at the right place with AWS_ENDPOINT_URL_BEDROCK (gateway.bedrock.control-endpoint); "
              + "with no control plane to reach (a simulator without one, an offline test), set "
              + "GATEWAY_MODELS_DISCOVERY_ENABLED=false. "
              + keeps;
      case ACCESS_DENIED ->
          where
              + " was refused ("
              + service(cause)
              + "). Allow bedrock:ListFoundationModels and "
              + "bedrock:ListInferenceProfiles to the gateway's identity (docs/credentials.md), or set "
              + "GATEWAY_MODELS_DISCOVERY_ENABLED=false. "
              + keeps;
      case THROTTLED ->
          where
              + " was throttled ("
              + service(cause)
              + "); nothing to change unless it persists. "
              + keeps;
      case OTHER -> where + " failed (" + service(cause) + "). " + keeps;
    };
  }

  private static String service(Throwable cause) {
    AwsServiceException e = (AwsServiceException) cause;
    String code =
        e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
            ? e.awsErrorDetails().errorCode()
            : "HTTP " + e.statusCode();
    String message = e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : null;
    return message == null || message.isBlank() ? code : code + ": " + message;
  }

  private static String unreachable(Throwable cause) {
    for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof java.net.UnknownHostException) {
        return "its host name does not resolve (" + c.getMessage() + ")";
      }
      if (c instanceof java.net.ConnectException
          && !(c instanceof io.netty.channel.ConnectTimeoutException)) {
        return "the connection was refused";
      }
      if (c instanceof javax.net.ssl.SSLException) {
        return "the TLS handshake failed";
      }
      if (c instanceof java.util.concurrent.TimeoutException
          || c instanceof io.netty.channel.ConnectTimeoutException
          || c instanceof software.amazon.awssdk.core.exception.ApiCallTimeoutException
          || c instanceof software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException
          || c instanceof io.netty.handler.timeout.ReadTimeoutException) {
        return "it did not answer in time";
      }
    }
    return "no answer came back (" + cause + ")";
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
