package io.github.bedrockgateway.edge;

import io.github.bedrockgateway.error.GatewayException;
import io.vertx.core.http.HttpServerResponse;

/**
 * How one client-facing protocol writes an error: each protocol renders the neutral {@link
 * GatewayException} in its own envelope (OpenAI, Anthropic, Bedrock).
 */
@FunctionalInterface
public interface ErrorRenderer {

  /** Answers with the error's status, headers and envelope, unless the response has begun. */
  void send(HttpServerResponse response, GatewayException e);
}
