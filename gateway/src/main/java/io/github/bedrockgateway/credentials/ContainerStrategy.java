package io.github.bedrockgateway.credentials;

import io.github.bedrockgateway.credentials.Env.AwsSetting;
import io.github.bedrockgateway.credentials.RefreshingCredentialsProvider.Source;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;

/** {@code container}: the container credentials endpoint (ECS task role, EKS Pod Identity). */
final class ContainerStrategy extends Strategy {

  private static final Set<String> CONTAINER_HOSTS =
      Set.of("169.254.170.2", "169.254.170.23", "fd00:ec2::23", "[fd00:ec2::23]");

  ContainerStrategy(CredentialsStrategy strategy) {
    super(strategy);
  }

  @Override
  void validate(CredentialsSettings s) {
    Env env = s.env();
    Optional<String> full = env.setting(AwsSetting.CONTAINER_CREDENTIALS_FULL_URI);
    Optional<String> relative = env.setting(AwsSetting.CONTAINER_CREDENTIALS_RELATIVE_URI);
    if (full.isEmpty() && relative.isEmpty()) {
      throw CredentialsSetupException.of(
          configName(),
          "neither AWS_CONTAINER_CREDENTIALS_FULL_URI nor AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is set",
          "On ECS give the task a task role (the agent sets AWS_CONTAINER_CREDENTIALS_RELATIVE_URI); on EKS install the "
              + "Pod Identity Agent add-on and create a pod identity association for the service account.",
          docAnchor(),
          "gateway.credentials.strategy");
    }
    if (relative.isEmpty()) {
      URI uri =
          StrategyChecks.httpUri(
              strategy,
              "AWS_CONTAINER_CREDENTIALS_FULL_URI",
              full.get(),
              "Use the agent's URI, e.g. http://169.254.170.23/v1/credentials (EKS Pod Identity).");
      if ("http".equalsIgnoreCase(uri.getScheme()) && !allowedHost(uri.getHost())) {
        throw CredentialsSetupException.of(
            configName(),
            "AWS_CONTAINER_CREDENTIALS_FULL_URI is "
                + uri
                + ", a plain-http URI on a host the AWS SDK refuses "
                + "(only loopback, 169.254.170.2, 169.254.170.23 and fd00:ec2::23 may use http)",
            "Use https, or the ECS/EKS agent address.",
            docAnchor(),
            "gateway.credentials.strategy");
      }
    }
    Optional<String> tokenFile = env.setting(AwsSetting.CONTAINER_AUTHORIZATION_TOKEN_FILE);
    if (tokenFile.isPresent() && env.setting(AwsSetting.CONTAINER_AUTHORIZATION_TOKEN).isEmpty()) {
      Path file = Path.of(tokenFile.get());
      try {
        Files.readAllBytes(file);
      } catch (IOException | RuntimeException e) {
        throw CredentialsSetupException.of(
            configName(),
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE points to "
                + file
                + " which cannot be read ("
                + e.getClass().getSimpleName()
                + ")",
            "Mount the EKS Pod Identity token (the eks-pod-identity-token projected volume) or fix the path.",
            docAnchor(),
            "gateway.credentials.strategy");
      }
    }
  }

  @Override
  Source open(CredentialsSettings s) {
    return fresh(
        () -> ContainerCredentialsProvider.builder().asyncCredentialUpdateEnabled(false).build());
  }

  @Override
  CredentialsSetupException explain(CredentialsSettings s, Throwable error) {
    String where =
        s.env()
            .setting(AwsSetting.CONTAINER_CREDENTIALS_FULL_URI)
            .or(
                () ->
                    s.env()
                        .setting(AwsSetting.CONTAINER_CREDENTIALS_RELATIVE_URI)
                        .map(
                            r ->
                                s.env()
                                        .setting(AwsSetting.CONTAINER_SERVICE_ENDPOINT)
                                        .orElse("http://169.254.170.2")
                                    + r))
            .orElse("?");
    return CredentialsSetupException.of(
        configName(),
        "no credentials from the container credentials endpoint "
            + where
            + " ("
            + Redact.cause(error)
            + ")",
        "On ECS check the task role; on EKS check the Pod Identity Agent add-on, the pod identity association for this "
            + "service account and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE.",
        docAnchor(),
        "gateway.credentials.strategy");
  }

  private static boolean allowedHost(String host) {
    if (host == null) {
      return false;
    }
    if (CONTAINER_HOSTS.contains(host)) {
      return true;
    }
    try {
      return Arrays.stream(InetAddress.getAllByName(host)).allMatch(InetAddress::isLoopbackAddress);
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
