package io.github.bedrockgateway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The canonical-request pieces where SigV4 implementations usually disagree. */
class SimulatorSigV4VerifierTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/model/anthropic.claude-v2%3A1/converse | /model/anthropic.claude-v2%253A1/converse",
        "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Aapplication-inference-profile%2Fp/converse"
            + " | /model/arn%253Aaws%253Abedrock%253Aus-east-1%253A1%253Aapplication-inference-profile%252Fp/converse",
        "/model/m/./converse | /model/m/converse",
        "/model/m/converse/ | /model/m/converse/",
        "'' | /"
      })
  void the_canonical_uri_is_the_normalised_path_encoded_once_more(
      String rawPath, String canonical) {
    assertThat(SigV4Verifier.canonicalUri(rawPath)).isEqualTo(canonical);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "b=2&a=1 | a=1&b=2",
        "a=2&a=1 | a=1&a=2",
        "flag | flag=",
        "q=a%20b&r=x:y | q=a%20b&r=x%3Ay",
        "'' | ''"
      })
  void the_canonical_query_is_sorted_and_strictly_encoded(String rawQuery, String canonical) {
    assertThat(SigV4Verifier.canonicalQuery(rawQuery)).isEqualTo(canonical);
  }
}
