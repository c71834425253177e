package io.github.bedrockgateway.simulator.credentials;

import java.time.Instant;

/**
 * A credential set a fake handed out, for registering with a service simulator that checks
 * signatures. All values are fake ({@code ASIA…EXAMPLE…}); {@link #toString()} still leaves the
 * secret and the token out, as real code must.
 *
 * @param accessKeyId starts with {@code ASIA} and contains {@code EXAMPLE}
 * @param secretAccessKey the matching secret
 * @param sessionToken the session token
 * @param expiration when the credentials expire
 * @param principalArn who they belong to (assumed-role ARN, instance role...)
 * @param issuer which fake issued them ({@code sts:AssumeRole}, {@code imds}, {@code container})
 */
public record IssuedCredentials(
    String accessKeyId,
    String secretAccessKey,
    String sessionToken,
    Instant expiration,
    String principalArn,
    String issuer) {

  @Override
  public String toString() {
    return "IssuedCredentials["
        + accessKeyId
        + ", expires "
        + expiration
        + ", "
        + principalArn
        + ", by "
        + issuer
        + "]";
  }
}
