package io.github.bedrockgateway.images;

/**
 * An image URL that could not be fetched; the message says why, in words meant for the API client.
 */
public final class ImageFetchException extends RuntimeException {

  public ImageFetchException(String reason) {
    super(reason, null, false, false);
  }
}
