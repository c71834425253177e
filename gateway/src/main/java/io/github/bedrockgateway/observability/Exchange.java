package io.github.bedrockgateway.observability;

import io.github.bedrockgateway.error.GatewayException;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * What the gateway knows about one request, filled in as it goes and read once when the response
 * ends, for the access log and the metrics. Touched only on the request's event loop.
 */
public final class Exchange {

  public final String requestId;
  public final long startNanos = System.nanoTime();

  /** The client-facing protocol ({@code openai.chat}, {@code anthropic.messages}...). */
  public String protocol = "-";

  public String keyName = "-";

  /** Client-facing model name, as sent. */
  public String model;

  /** Bounded metric label: the model if it is listed in the catalog, else {@code unlisted}. */
  public String modelLabel = "none";

  public String bedrockModelId;
  public boolean stream;

  /** The status the client was told, in-stream errors included (the HTTP status may say 200). */
  public int status;

  /** The error code of a failed request ({@code rate_limit_exceeded}...), null on success. */
  public String errorCode;

  public String bedrockRequestId;
  public long firstTokenNanos;
  public TokenUsage usage;
  public boolean upstreamCalled;

  public Exchange(String requestId) {
    this.requestId = requestId;
  }

  /** Marks the first content byte sent to the client (time to first token). */
  public void firstToken() {
    if (firstTokenNanos == 0) {
      firstTokenNanos = System.nanoTime();
    }
  }

  public void fail(GatewayException e) {
    status = e.status();
    errorCode = e.code() != null ? e.code() : e.type();
  }
}
