package io.github.bedrockgateway.anthropic;

import static io.github.bedrockgateway.anthropic.MessagesUpstream.fail;
import static io.github.bedrockgateway.anthropic.MessagesUpstream.requestId;

import io.github.bedrockgateway.bedrock.BedrockClients;
import io.github.bedrockgateway.bedrock.BedrockConfig;
import io.github.bedrockgateway.edge.Edge;
import io.github.bedrockgateway.error.GatewayException;
import io.github.bedrockgateway.observability.Exchange;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;

/**
 * {@code POST /v1/messages} for the models that do not take the Anthropic body: Converse or
 * ConverseStream, translated by {@link AnthropicToConverse}, answered by {@link
 * ConverseToAnthropic} or {@link ConverseStreamToAnthropic}.
 */
@Singleton
class ConverseMessages {

  private static final Logger LOG = Logger.getLogger(ConverseMessages.class);

  private final BedrockConfig config;
  private final BedrockClients bedrock;
  private final Edge edge;
  private final MessagesUpstream upstream;

  ConverseMessages(
      BedrockConfig config, BedrockClients bedrock, Edge edge, MessagesUpstream upstream) {
    this.config = config;
    this.bedrock = bedrock;
    this.edge = edge;
    this.upstream = upstream;
  }

  /**
   * Sends {@code request} to {@code modelId}, a model that is not Claude, and answers the client.
   */
  void send(RoutingContext ctx, Exchange exchange, MessagesRequest request, String modelId) {
    ConverseRequest translated = AnthropicToConverse.translate(request, modelId);
    if (!ctx.request().headers().getAll("anthropic-beta").isEmpty()) {
      LOG.debugf(
          "request %s: anthropic-beta not forwarded (%s is called through Converse)",
          exchange.requestId, modelId);
    }
    Optional<GatewayException> refused = edge.admit(exchange);
    if (refused.isPresent()) {
      fail(ctx.response(), exchange, refused.get());
      return;
    }
    Map<String, String> metadata = edge.attribution(exchange, Map.of());
    if (!metadata.isEmpty()) {
      translated = translated.toBuilder().requestMetadata(metadata).build();
    }
    List<String> stopSequences = AnthropicToConverse.stopSequences(request.body());
    String messageId = "msg_" + exchange.requestId;
    if (request.stream()) {
      ConverseStreamRequest built = streamRequest(translated);
      upstream.<ConverseStreamOutput>stream(
          ctx.response(),
          exchange,
          new ConverseStreamToAnthropic(messageId, request.model(), stopSequences),
          up ->
              bedrock
                  .current()
                  .converseStream(
                      built,
                      ConverseStreamResponseHandler.builder()
                          .onResponse(r -> up.responseReceived(requestId(r.responseMetadata())))
                          .onEventStream(up::subscribe)
                          .onError(up::exceptionOccurred)
                          .build()));
      return;
    }
    ConverseRequest built =
        translated.toBuilder()
            .overrideConfiguration(o -> o.apiCallTimeout(config.requestTimeout()))
            .build();
    upstream.call(
        ctx.response(),
        exchange,
        () -> bedrock.current().converse(built),
        answer -> {
          exchange.usage = answer.usage();
          MessagesUpstream.answer(
              ctx.response(),
              exchange,
              answer.responseMetadata().requestId(),
              new String(
                  ConverseToAnthropic.message(answer, messageId, request.model(), stopSequences),
                  StandardCharsets.UTF_8));
        });
  }

  /** The same request for ConverseStream. */
  private static ConverseStreamRequest streamRequest(ConverseRequest c) {
    ConverseStreamRequest.Builder streamRequest =
        ConverseStreamRequest.builder()
            .modelId(c.modelId())
            .inferenceConfig(c.inferenceConfig())
            .toolConfig(c.toolConfig())
            .additionalModelRequestFields(c.additionalModelRequestFields())
            .outputConfig(c.outputConfig())
            .serviceTier(c.serviceTier());
    if (c.hasMessages()) {
      streamRequest.messages(c.messages());
    }
    if (c.hasSystem()) {
      streamRequest.system(c.system());
    }
    if (c.hasRequestMetadata()) {
      streamRequest.requestMetadata(c.requestMetadata());
    }
    return streamRequest.build();
  }
}
