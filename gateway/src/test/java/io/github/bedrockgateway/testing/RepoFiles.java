package io.github.bedrockgateway.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the repository (docs/, deploy/, Dockerfiles), whichever module's directory tests run in.
 */
public final class RepoFiles {

  private RepoFiles() {}

  /**
   * The repository root: the nearest directory up from here that holds {@code docs/} and {@code
   * .ci/}.
   */
  public static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("docs")) && Files.isDirectory(dir.resolve(".ci"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "No repository root (docs/ and .ci/) above " + Path.of("").toAbsolutePath());
  }

  /** A path relative to the repository root, e.g. {@code docs/configuration.md}. */
  public static Path file(String relative) {
    return root().resolve(relative);
  }
}
