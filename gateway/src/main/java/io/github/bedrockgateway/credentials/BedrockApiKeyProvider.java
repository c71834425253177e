package io.github.bedrockgateway.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.token.credentials.SdkToken;
import software.amazon.awssdk.auth.token.credentials.SdkTokenProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The Bedrock API key the gateway signs with (strategy {@code bedrock-api-key}), as the SDK's token
 * provider: {@link #resolveToken()} is one volatile read, never a file read.
 *
 * <p>A key from a file is watched: the file's modification time and size are checked every {@code
 * watch-interval} on the refresh thread, and a changed file is read and parsed; a key that does not
 * parse is reported and the current one stays in use. {@link #reloadNow()} reads the file whatever
 * its time stamp says (when Bedrock refuses the key). A key from {@code AWS_BEARER_TOKEN_BEDROCK}
 * cannot change without a restart.
 */
public final class BedrockApiKeyProvider implements SdkTokenProvider, SdkAutoCloseable {

  private static final Logger LOG = Logger.getLogger(BedrockApiKeyProvider.class);

  /** Where the key comes from. */
  public sealed interface Origin {
    /** {@code AWS_BEARER_TOKEN_BEDROCK} (or its system property {@code aws.bearerTokenBedrock}). */
    record Environment(String value) implements Origin {
      @Override
      public String toString() {
        return "AWS_BEARER_TOKEN_BEDROCK";
      }
    }

    /** {@code gateway.credentials.api-key.file}. */
    record File(Path path) implements Origin {
      @Override
      public String toString() {
        return path.toString();
      }
    }
  }

  /**
   * The key in use and what is known about it. Immutable; replaced as a whole.
   *
   * @param key the key
   * @param token the same, as the SDK wants it
   * @param loadedAt when this key was read
   * @param lastError why the last read of the file gave no usable key, until one does
   */
  public record State(
      BedrockApiKey key, SdkToken token, Instant loadedAt, Optional<String> lastError) {
    State withError(String error) {
      return new State(key, token, loadedAt, Optional.of(error));
    }
  }

  /** What identifies a version of the file without reading it. */
  private record Stamp(FileTime modified, long size, Object fileKey) {}

  private final Origin origin;
  private final Duration watchInterval;
  private final RefreshThreads threads;
  private final AtomicReference<State> state = new AtomicReference<>();
  private volatile boolean closed;
  private CompletableFuture<Void> pendingReload;

  /** Engine thread only. */
  private Stamp seen;

  private boolean expiryLogged;

  BedrockApiKeyProvider(Origin origin, Duration watchInterval, RefreshThreads threads) {
    this.origin = origin;
    this.watchInterval = watchInterval;
    this.threads = threads;
  }

  /**
   * Reads the key (on the calling thread, once, at startup) and starts watching its file.
   *
   * @throws BedrockApiKey.MalformedKeyException when the key does not parse
   * @throws IOException when the file cannot be read
   */
  void start() throws IOException {
    String text;
    if (origin instanceof Origin.File f) {
      seen = stamp(f.path());
      text = Files.readString(f.path(), StandardCharsets.UTF_8);
    } else {
      text = ((Origin.Environment) origin).value();
    }
    BedrockApiKey key = BedrockApiKey.parse(text);
    state.set(new State(key, token(key), now(), Optional.empty()));
    threads.schedule(watchInterval, this::watch);
  }

  /** The key to sign with, from memory. */
  @Override
  public SdkToken resolveToken() {
    State s = state.get();
    if (s == null) {
      throw new IllegalStateException("The Bedrock API key was not read at startup");
    }
    return s.token();
  }

  /** What is known now; {@code null} before {@link #start()}. */
  public State state() {
    return state.get();
  }

  /** Where the key comes from. */
  public Origin origin() {
    return origin;
  }

  /** Whether the key in use has not expired (long-term keys count as valid). */
  public boolean valid() {
    State s = state.get();
    return s != null && !s.key().expiredAt(now());
  }

  /**
   * Reads the key file again now, on the refresh thread, whether or not it looks changed (Bedrock
   * has refused the key: it may have been rotated in place). Calls while a read is pending share it
   * (a burst of refused requests makes one read). A key from the environment has nothing to
   * re-read: the future completes at once.
   */
  public CompletableFuture<Void> reloadNow() {
    if (closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("The Bedrock API key provider is closed"));
    }
    if (!(origin instanceof Origin.File)) {
      return CompletableFuture.completedFuture(null);
    }
    synchronized (this) {
      if (pendingReload != null && !pendingReload.isDone()) {
        return pendingReload.copy();
      }
      CompletableFuture<Void> result = new CompletableFuture<>();
      pendingReload = result;
      threads.schedule(
          Duration.ZERO,
          () -> {
            read(true);
            State s = state.get();
            if (s.lastError().isPresent()) {
              result.completeExceptionally(
                  new CredentialsRefreshException(
                      CredentialsStrategy.BEDROCK_API_KEY.configName(), s.lastError().get()));
            } else {
              result.complete(null);
            }
          });
      return result.copy();
    }
  }

  @Override
  public void close() {
    closed = true;
    threads.shutdown();
  }

  // --- refresh thread ---------------------------------------------------------------------------

  private void watch() {
    if (closed) {
      return;
    }
    try {
      if (origin instanceof Origin.File) {
        read(false);
      }
      logExpiry();
    } finally {
      threads.schedule(watchInterval, this::watch);
    }
  }

  /** Reads the file if it changed (or if forced) and takes the key in it when it parses. */
  private void read(boolean forced) {
    Path path = ((Origin.File) origin).path();
    State current = state.get();
    Stamp stamp;
    String text;
    try {
      stamp = stamp(path);
      if (!forced && Objects.equals(stamp, seen)) {
        return;
      }
      seen = stamp;
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      seen = null;
      failed(
          current,
          "the key file " + path + " cannot be read (" + e.getClass().getSimpleName() + ")");
      return;
    }
    BedrockApiKey key;
    try {
      key = BedrockApiKey.parse(text);
    } catch (BedrockApiKey.MalformedKeyException e) {
      failed(current, "the key in " + path + " is not a Bedrock API key: " + e.getMessage());
      return;
    }
    if (key.value().equals(current.key().value())) {
      if (current.lastError().isPresent()) {
        state.set(new State(current.key(), current.token(), current.loadedAt(), Optional.empty()));
        LOG.infof(
            "Bedrock API key (%s): the file holds a usable key again, %s", origin, key.describe());
      }
      return;
    }
    state.set(new State(key, token(key), now(), Optional.empty()));
    expiryLogged = false;
    LOG.infof(
        "Bedrock API key (%s) replaced%s: %s -> %s, expires %s",
        origin,
        forced ? " on demand" : "",
        current.key().fingerprint(),
        key.describe(),
        key.expiresAt().map(Instant::toString).orElse("never (long-term key)"));
  }

  private void failed(State current, String error) {
    if (!current.lastError().equals(Optional.of(error))) {
      LOG.warnf(
          "Bedrock API key (%s): %s; the current %s stays in use",
          origin, error, current.key().describe());
    }
    state.set(current.withError(error));
  }

  private void logExpiry() {
    State s = state.get();
    if (s.key().expiredAt(now())) {
      if (!expiryLogged) {
        expiryLogged = true;
        LOG.errorf(
            "Bedrock API key (%s): the %s expired at %s; Bedrock refuses it until a new key is %s",
            origin,
            s.key().describe(),
            s.key().expiresAt().orElse(null),
            origin instanceof Origin.File
                ? "written to " + origin
                : "set and the gateway restarted");
      }
    }
  }

  private Instant now() {
    return threads.clock().instant();
  }

  private static Stamp stamp(Path path) throws IOException {
    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
    return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
  }

  private static SdkToken token(BedrockApiKey key) {
    String value = key.value();
    return new SdkToken() {
      @Override
      public String token() {
        return value;
      }

      @Override
      public Optional<Instant> expirationTime() {
        // Bedrock is the judge: an expired key is sent, refused, and the refusal explained.
        return Optional.empty();
      }

      @Override
      public String toString() {
        return "BedrockApiKey[" + key.fingerprint() + "]";
      }
    };
  }
}
