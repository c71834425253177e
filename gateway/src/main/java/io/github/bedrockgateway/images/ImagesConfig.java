package io.github.bedrockgateway.images;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Remote image URLs in chat messages: whether and how the gateway downloads them ({@code
 * gateway.images.*}). The Javadoc of each method is the configuration reference
 * (docs/configuration.md).
 */
@ConfigMapping(prefix = "gateway.images")
public interface ImagesConfig {

  /**
   * Whether {@code image_url} parts may point at {@code http://} or {@code https://} URLs, which
   * the gateway downloads and sends to Bedrock as image bytes. When off, only base64 data URLs are
   * accepted.
   */
  @WithDefault("true")
  boolean remoteEnabled();

  /**
   * Time limit of one image download: address resolution, connection, redirects and body together.
   * A slower download fails the request with a 400 naming the image.
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
   * Hosts and networks that may be downloaded from although their addresses are private, loopback,
   * link-local or otherwise internal, comma-separated: host names ({@code images.internal}, or
   * {@code *.corp.example} for every subdomain) and CIDRs or single addresses ({@code 10.1.0.0/16},
   * {@code fd00:1::/64}, {@code 10.1.2.3}). Empty by default: only public addresses are fetched.
   */
  Optional<List<String>> allowedHosts();
}
