package io.github.bedrockgateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bedrockgateway.credentials.BedrockApiKeyProvider.Origin;
import io.github.bedrockgateway.simulator.ShortTermKeys;
import io.github.bedrockgateway.simulator.SimulatorCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key file is watched off the request path; a refused key makes the gateway read it at once.
 */
class BedrockApiKeyProviderTest {

  static final Duration WATCH = Duration.ofSeconds(10);
  static final String KEY_1 = "ABSKa2V5LW9uZS1FWEFNUExFLTAxMjM0NTY3ODk=";
  static final String KEY_2 = "ABSKa2V5LXR3by1FWEFNUExFLTAxMjM0NTY3ODk=";

  @TempDir Path dir;
  Path file;
  ManualThreads time;
  BedrockApiKeyProvider provider;

  @BeforeEach
  void setUp() throws IOException {
    file = dir.resolve("api-key");
    Files.writeString(file, KEY_1 + "\n");
    time = new ManualThreads(Instant.parse("2026-12-03T08:00:00Z"));
  }

  @AfterEach
  void close() {
    if (provider != null) {
      provider.close();
    }
  }

  private BedrockApiKeyProvider started(Origin origin) throws IOException {
    provider = new BedrockApiKeyProvider(origin, WATCH, time);
    provider.start();
    return provider;
  }

  @Test
  void a_rewritten_key_file_is_picked_up_at_the_next_check_and_never_read_by_a_request()
      throws IOException {
    started(new Origin.File(file));
    assertThat(provider.resolveToken().token()).isEqualTo(KEY_1);

    Files.writeString(file, KEY_2 + "\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(provider.resolveToken().token()).as("requests read memory only").isEqualTo(KEY_1);
    time.advance(WATCH);

    assertThat(provider.resolveToken().token()).isEqualTo(KEY_2);
    assertThat(provider.state().key().fingerprint()).isEqualTo(BedrockApiKey.fingerprint(KEY_2));
    assertThat(provider.state().loadedAt()).isEqualTo(time.now());
    assertThat(provider.state().lastError()).isEmpty();
  }

  @Test
  void a_malformed_rewrite_keeps_the_current_key_and_reports_why_until_the_file_is_fixed()
      throws IOException {
    started(new Origin.File(file));

    Files.writeString(file, "\"" + KEY_2 + "\"\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    time.advance(WATCH);

    assertThat(provider.resolveToken().token()).isEqualTo(KEY_1);
    assertThat(provider.state().lastError())
        .contains(
            "the key in "
                + file
                + " is not a Bedrock API key: it starts with neither "
                + "ABSK (a long-term key) nor bedrock-api-key- (a short-term key)");
    assertThat(provider.state().lastError().get()).doesNotContain(KEY_2);

    Files.writeString(file, KEY_2 + "\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
    time.advance(WATCH);
    assertThat(provider.resolveToken().token()).isEqualTo(KEY_2);
    assertThat(provider.state().lastError()).isEmpty();
  }

  @Test
  void reload_now_reads_the_file_even_when_its_time_stamp_and_size_did_not_change()
      throws Exception {
    started(new Origin.File(file));
    FileTime stamp = Files.getLastModifiedTime(file);

    // A rotation the watch cannot see: same size, same modification time.
    Files.writeString(file, KEY_2 + "\n");
    Files.setLastModifiedTime(file, stamp);
    time.advance(WATCH.multipliedBy(3));
    assertThat(provider.resolveToken().token())
        .as("invisible to the time stamp watch")
        .isEqualTo(KEY_1);

    CompletableFuture<Void> reload = provider.reloadNow();
    CompletableFuture<Void> burst = provider.reloadNow();
    time.advance(Duration.ZERO);

    reload.get();
    burst.get();
    assertThat(provider.resolveToken().token()).isEqualTo(KEY_2);
  }

  @Test
  void reload_now_fails_when_the_file_holds_no_usable_key() throws Exception {
    started(new Origin.File(file));
    Files.delete(file);

    CompletableFuture<Void> reload = provider.reloadNow();
    time.advance(Duration.ZERO);

    assertThatThrownBy(reload::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(CredentialsRefreshException.class)
        .hasMessage(
            "Refreshing credentials (bedrock-api-key) failed: the key file "
                + file
                + " cannot be read (NoSuchFileException)");
    assertThat(provider.resolveToken().token()).isEqualTo(KEY_1);
  }

  @Test
  void a_short_term_key_is_valid_until_its_expiry() throws IOException {
    String key =
        ShortTermKeys.mint(
            SimulatorCredentials.DEV_ACCESS_KEY_ID,
            SimulatorCredentials.DEV_SECRET_ACCESS_KEY,
            "us-east-1",
            time.now().minus(Duration.ofHours(11)),
            Duration.ofHours(12));
    started(new Origin.Environment(key));

    assertThat(provider.valid()).isTrue();
    time.advance(Duration.ofMinutes(59));
    assertThat(provider.valid()).isTrue();
    time.advance(Duration.ofMinutes(1));
    assertThat(provider.valid()).isFalse();
    assertThat(provider.resolveToken().token())
        .as("still sent: Bedrock's refusal is explained to the client")
        .isEqualTo(key);
  }

  @Test
  void a_key_from_the_environment_has_nothing_to_reload() throws Exception {
    started(new Origin.Environment(KEY_1));

    provider.reloadNow().get();

    assertThat(provider.resolveToken().token()).isEqualTo(KEY_1);
  }
}
