package io.github.bedrockgateway.credentials;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.util.Set;

/**
 * A credentials or region setup that cannot work. Its message is the whole story for the operator:
 * the strategy, the setting, the cause and the fix, with a link into docs/credentials.md, and never
 * a secret.
 *
 * <p>It extends Quarkus' {@link ConfigurationException} and carries no cause on purpose: Quarkus
 * then prints just this message (no stack trace) and exits with status 1 when it is thrown at
 * startup.
 */
public final class CredentialsSetupException extends ConfigurationException {

  static final String DOCS = "docs/credentials.md#";

  private final String strategy;
  private final String problem;
  private final String fix;
  private final String anchor;

  private CredentialsSetupException(
      String strategy, String problem, String fix, String anchor, Set<String> keys) {
    super(format(strategy, problem, fix, anchor), keys);
    this.strategy = strategy;
    this.problem = problem;
    this.fix = fix;
    this.anchor = anchor;
  }

  /**
   * {@code Credentials strategy 'S': PROBLEM. FIX See docs/credentials.md#ANCHOR}.
   *
   * @param strategy the strategy name as configured (or {@code null} when not about one strategy)
   * @param problem what is wrong, naming the setting and the cause
   * @param fix what to do about it, one or two sentences
   * @param anchor section of docs/credentials.md
   * @param keys configuration keys involved (shown by the Quarkus dev UI)
   */
  public static CredentialsSetupException of(
      String strategy, String problem, String fix, String anchor, String... keys) {
    return new CredentialsSetupException(strategy, Redact.text(problem), fix, anchor, Set.of(keys));
  }

  /**
   * The same problem, told as part of another strategy (the base credentials of {@code
   * assume-role}).
   */
  CredentialsSetupException within(String outerStrategy, String context) {
    return new CredentialsSetupException(
        outerStrategy, context + ": " + problem, fix, anchor, getConfigKeys());
  }

  /** The strategy the message is about, or {@code null}. */
  public String strategy() {
    return strategy;
  }

  /** The docs/credentials.md section the message points to. */
  public String anchor() {
    return anchor;
  }

  private static String format(String strategy, String problem, String fix, String anchor) {
    String head =
        strategy == null ? "Credentials setup" : "Credentials strategy '" + strategy + "'";
    return head + ": " + endSentence(problem) + " " + endSentence(fix) + " See " + DOCS + anchor;
  }

  private static String endSentence(String s) {
    String t = s.strip();
    return t.endsWith(".") ? t : t + ".";
  }
}
