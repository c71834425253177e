package io.github.bedrockgateway.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bedrockgateway.images.ImageFormats.Format;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageFormatsTest {

  static Stream<Arguments> contentTypes() {
    return Stream.of(
        Arguments.of("image/png", Format.PNG),
        Arguments.of("IMAGE/PNG; charset=binary", Format.PNG),
        Arguments.of("image/jpeg", Format.JPEG),
        Arguments.of("image/jpg", Format.JPEG),
        Arguments.of("image/gif", Format.GIF),
        Arguments.of(" image/webp ", Format.WEBP),
        Arguments.of("image/svg+xml", null),
        Arguments.of("image/bmp", null),
        Arguments.of("application/octet-stream", null),
        Arguments.of("text/html", null),
        Arguments.of(null, null));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("contentTypes")
  void maps_content_types_bedrock_accepts(String contentType, Format expected) {
    assertThat(ImageFormats.fromContentType(contentType).orElse(null)).isEqualTo(expected);
  }

  static Stream<Arguments> signatures() {
    byte[] webp = new byte[16];
    System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, webp, 0, 4);
    System.arraycopy("WEBPVP8 ".getBytes(StandardCharsets.US_ASCII), 0, webp, 8, 8);
    return Stream.of(
        Arguments.of("png", TestImageServer.PNG, Format.PNG),
        Arguments.of("jpeg", TestImageServer.JPEG, Format.JPEG),
        Arguments.of("gif87a", "GIF87a....".getBytes(StandardCharsets.US_ASCII), Format.GIF),
        Arguments.of("gif89a", "GIF89a....".getBytes(StandardCharsets.US_ASCII), Format.GIF),
        Arguments.of("webp", webp, Format.WEBP),
        Arguments.of("riff but wave", "RIFF....WAVEfmt ".getBytes(StandardCharsets.US_ASCII), null),
        Arguments.of("html", "<html></html>".getBytes(StandardCharsets.US_ASCII), null),
        Arguments.of("truncated png", new byte[] {(byte) 0x89, 'P', 'N'}, null),
        Arguments.of("empty", new byte[0], null));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("signatures")
  void recognises_the_four_formats_by_their_magic_bytes(
      String name, byte[] bytes, Format expected) {
    assertThat(ImageFormats.sniff(bytes).orElse(null)).isEqualTo(expected);
  }
}
