package io.github.bedrockgateway.edge;

import io.github.bedrockgateway.error.GatewayException;

/**
 * A response stream still open, which shutdown ends with an error event in its protocol's shape.
 */
public interface OpenStream {

  /** Ends the stream with {@code e} as its last event, then runs {@code whenEnded}. */
  void abort(GatewayException e, Runnable whenEnded);
}
