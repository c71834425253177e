package io.github.bedrockgateway.bedrock;

import io.github.bedrockgateway.credentials.RegionResolver;
import io.github.bedrockgateway.error.GatewayException;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.ContextInternal;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;

/**
 * Raw HTTP calls to the Bedrock Runtime, for the pass-through that forwards a client's request as
 * it came instead of going through the SDK's model classes: signs each call with SigV4 (the SDK's
 * own {@link AwsV4HttpSigner}, service {@value #SIGNING_NAME}, the gateway's region and
 * credentials) and sends it to {@link BedrockEndpoints#runtime()} on a pooled, non-blocking Vert.x
 * HTTP client.
 *
 * <p>One client (and connection pool) per event loop, as {@link BedrockClients} does for the SDK: a
 * call is signed, sent and answered on the loop of the request that made it, with no hand-off
 * between threads. {@code gateway.bedrock.max-connections} is the total over the loops; {@code
 * connect-timeout} bounds the connection and {@code read-timeout} any silence of the connection
 * while the call is open.
 */
@Singleton
public class BedrockHttp {

  private static final Logger LOG = Logger.getLogger(BedrockHttp.class);

  /** The SigV4 service name of the Bedrock Runtime (and of the control plane). */
  public static final String SIGNING_NAME = "bedrock";

  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
  private static final String USER_AGENT = "bedrock-chat-gateway (pass-through)";

  /**
   * One call before signing.
   *
   * @param method the HTTP method
   * @param path the encoded path below the endpoint, e.g. {@code
   *     /model/us.anthropic.claude-x%3A0/invoke}
   * @param headers headers to send and sign (no {@code Authorization}, {@code Host} or {@code
   *     x-amz-*}: the signature adds its own)
   * @param body the exact bytes to send
   */
  public record Call(HttpMethod method, String path, Map<String, String> headers, byte[] body) {}

  private final Vertx vertx;
  private final AwsCredentialsProvider credentials;
  private final Region region;
  private final URI endpoint;
  private final BedrockConfig settings;
  private final int poolPerLoop;
  private final Map<EventLoop, HttpClient> clients = new ConcurrentHashMap<>();

  BedrockHttp(
      BedrockConfig config,
      BedrockEndpoints endpoints,
      AwsCredentialsProvider credentials,
      RegionResolver regions,
      Vertx vertx) {
    this.vertx = vertx;
    this.credentials = credentials;
    this.region = regions.region();
    this.endpoint = endpoints.runtime().uri();
    this.settings = config;
    int loops = 0;
    for (io.netty.util.concurrent.EventExecutor ignored : vertx.nettyEventLoopGroup()) {
      loops++;
    }
    loops = Math.max(1, loops);
    this.poolPerLoop = Math.max(1, (settings.maxConnections() + loops - 1) / loops);
  }

  /** The endpoint calls go to. */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Signs {@code call} and opens the request on the calling event loop's client (connection
   * acquired, headers set, nothing sent yet): the caller sends the body with {@code
   * request.send(body)} and may {@code reset()} the request to abandon it.
   *
   * @return a failed future with a {@link GatewayException} when the gateway cannot sign (no valid
   *     credentials), or the connection's failure
   */
  public Future<HttpClientRequest> open(Call call) {
    SdkHttpRequest signed;
    try {
      signed = sign(call, credentials.resolveCredentials());
    } catch (RuntimeException e) {
      LOG.warnf("Cannot sign a Bedrock call: %s", e.toString());
      return Future.failedFuture(
          new GatewayException(
              503,
              GatewayException.SERVER_ERROR,
              "The gateway cannot sign Bedrock calls right now: its AWS credentials are unavailable. Retry later; "
                  + "the gateway operator can see why in its health check and log.",
              null,
              "credentials_unavailable"));
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(call.method())
            .setHost(signed.host())
            .setPort(signed.port())
            .setSsl("https".equalsIgnoreCase(signed.protocol()))
            .setURI(signed.encodedPath())
            .setConnectTimeout(settings.connectTimeout().toMillis())
            .setIdleTimeout(settings.readTimeout().toMillis())
            .addHeader("User-Agent", USER_AGENT);
    for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
      // Vert.x writes Host (the same authority the signature covers) and Content-Length itself
      if (!h.getKey().equalsIgnoreCase("host")) {
        for (String value : h.getValue()) {
          options.addHeader(h.getKey(), value);
        }
      }
    }
    return client().request(options);
  }

  /** Signs the call as the SDK signs its own: the payload hashed, the path encoded once more. */
  SdkHttpRequest sign(Call call, AwsCredentials identity) {
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(call.method().name()))
            .protocol(endpoint.getScheme())
            .host(endpoint.getHost())
            .port(port(endpoint))
            .encodedPath(basePath() + call.path());
    call.headers().forEach(request::putHeader);
    SignedRequest signed =
        SIGNER.sign(
            r ->
                r.identity(identity)
                    .request(request.build())
                    .payload(() -> new ByteArrayInputStream(call.body()))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
    return signed.request();
  }

  private static int port(URI uri) {
    if (uri.getPort() > 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private String basePath() {
    String path = endpoint.getRawPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return "";
    }
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private HttpClient client() {
    Context context = Vertx.currentContext();
    EventLoop loop = context instanceof ContextInternal internal ? internal.nettyEventLoop() : null;
    if (loop == null) {
      throw new IllegalStateException("Bedrock pass-through calls are made on an event loop");
    }
    return clients.computeIfAbsent(loop, l -> create());
  }

  private HttpClient create() {
    boolean http2 = settings.protocol() == HttpProtocol.HTTP2;
    HttpClientOptions options =
        new HttpClientOptions()
            .setConnectTimeout(
                (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
            .setKeepAlive(true)
            .setTcpKeepAlive(true)
            .setTcpNoDelay(true)
            // bytes pass through as Bedrock sent them
            .setDecompressionSupported(false)
            .setTryUseCompression(false)
            .setVerifyHost(true);
    if (http2) {
      options
          .setProtocolVersion(HttpVersion.HTTP_2)
          .setUseAlpn("https".equals(endpoint.getScheme().toLowerCase(Locale.ROOT)))
          .setHttp2ClearTextUpgrade(false);
    }
    PoolOptions pool =
        new PoolOptions()
            .setHttp1MaxSize(poolPerLoop)
            .setHttp2MaxSize(Math.max(1, poolPerLoop / 100))
            .setMaxWaitQueueSize(Math.max(10_000, poolPerLoop * 2));
    return vertx.createHttpClient(options, pool);
  }

  @PreDestroy
  void close() {
    clients.values().forEach(HttpClient::close);
    clients.clear();
  }
}
