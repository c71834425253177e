package io.github.bedrockgateway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the stand-alone entry point reads its arguments and environment. */
class SimulatorMainTest {

  @Test
  void defaults_to_port_8089_with_signatures_checked_and_the_dev_pair() {
    SimulatorOptions options = SimulatorMain.options(new String[0], Map.of());

    assertThat(options.port()).isEqualTo(8089);
    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.verifySignatures()).isTrue();
    assertThat(options.credentials().find(SimulatorCredentials.DEV_ACCESS_KEY_ID)).isPresent();
  }

  @Test
  void reads_the_environment_and_lets_arguments_win() {
    Map<String, String> env =
        Map.of(
            "SIMULATOR_PORT", "9000",
            "SIMULATOR_VERIFY_SIGNATURES", "false",
            "SIMULATOR_CHUNK_DELAY_MS", "15",
            "SIMULATOR_CREDENTIALS",
                "AKIAFIRSTEXAMPLE0001:secret-one, AKIASECONDEXAMPLE001:secret:two");

    SimulatorOptions fromEnv = SimulatorMain.options(new String[0], env);
    assertThat(fromEnv.port()).isEqualTo(9000);
    assertThat(fromEnv.verifySignatures()).isFalse();
    assertThat(fromEnv.defaultChunkDelay()).isEqualTo(Duration.ofMillis(15));
    assertThat(fromEnv.credentials().find("AKIAFIRSTEXAMPLE0001").orElseThrow().secretAccessKey())
        .isEqualTo("secret-one");
    assertThat(fromEnv.credentials().find("AKIASECONDEXAMPLE001").orElseThrow().secretAccessKey())
        .isEqualTo("secret:two");

    SimulatorOptions fromArgs =
        SimulatorMain.options(
            new String[] {"--port=0", "--no-verify-signatures", "--max-recorded=0"},
            Map.of("SIMULATOR_PORT", "9000", "SIMULATOR_MAX_RECORDED", "50"));
    assertThat(fromArgs.port()).isZero();
    assertThat(fromArgs.verifySignatures()).isFalse();
    assertThat(fromArgs.maxRecordedRequests()).isZero();
    assertThat(
            SimulatorMain.options(new String[0], Map.of("SIMULATOR_MAX_RECORDED", "50"))
                .maxRecordedRequests())
        .isEqualTo(50);
    assertThat(SimulatorMain.options(new String[0], Map.of()).maxRecordedRequests())
        .isEqualTo(10_000);
  }

  @Test
  void registers_api_keys_from_the_environment_or_the_argument_which_wins() {
    SimulatorOptions fromEnv =
        SimulatorMain.options(new String[0], Map.of("SIMULATOR_API_KEYS", "key-one, key-two"));
    assertThat(fromEnv.credentials().hasApiKey("key-one")).isTrue();
    assertThat(fromEnv.credentials().hasApiKey("key-two")).isTrue();

    SimulatorOptions fromArgs =
        SimulatorMain.options(
            new String[] {"--api-keys=key-three"}, Map.of("SIMULATOR_API_KEYS", "key-one"));
    assertThat(fromArgs.credentials().hasApiKey("key-three")).isTrue();
    assertThat(fromArgs.credentials().hasApiKey("key-one")).isFalse();
    assertThat(SimulatorMain.options(new String[0], Map.of()).credentials().hasApiKey("key-one"))
        .isFalse();
  }

  @Test
  void refuses_unknown_arguments_and_malformed_values() {
    assertThatThrownBy(() -> SimulatorMain.options(new String[] {"--prot=1"}, Map.of()))
        .hasMessageContaining("unknown argument '--prot=1'");
    assertThatThrownBy(() -> SimulatorMain.options(new String[] {"--port=http"}, Map.of()))
        .hasMessageContaining("port must be a whole number");
    assertThatThrownBy(
            () -> SimulatorMain.options(new String[0], Map.of("SIMULATOR_CREDENTIALS", "no-colon")))
        .hasMessageContaining("AKID:SECRET");
  }
}
