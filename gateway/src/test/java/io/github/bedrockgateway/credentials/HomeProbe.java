package io.github.bedrockgateway.credentials;

import java.time.Duration;
import java.util.Optional;

/**
 * Run by {@link HomeDirectoryTest} in a JVM of its own: resolves credentials of the strategy given
 * as argument from the real process environment, as the gateway does, and prints the access key id.
 */
public final class HomeProbe {

  private HomeProbe() {}

  public static void main(String[] args) {
    Env env = Env.system();
    String region =
        RegionResolver.resolve(Optional.empty(), Optional.empty(), args[0], env).region().id();
    CredentialsManager manager =
        new CredentialsManager(
            CredentialsSettings.builder(env)
                .strategy(args[0])
                .stsTimeout(Duration.ofSeconds(5))
                .build());
    try {
      manager.start();
      System.out.println(
          "resolved "
              + manager.provider().resolveCredentials().accessKeyId()
              + " in region "
              + region);
    } finally {
      manager.shutdown();
    }
  }
}
