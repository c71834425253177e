package io.github.bedrockgateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders deploy/kubernetes (base and both overlays) with {@code kubectl kustomize}, checks every
 * object against the Kubernetes object model (fabric8's generated classes, with unknown fields and
 * scalar coercions refused, which is what the API server's schema would reject), then asserts the
 * deployment rules: security context, probes, ports (health and metrics on the management port
 * only), graceful shutdown, credentials wiring, no literal secret.
 *
 * <p>kubectl is required: without it (on PATH, or named by {@code KUBECTL}) every test here fails,
 * it never skips. {@code .ci/run} installs one when the machine has none.
 */
class KubernetesManifestsTest {

  /**
   * The API port, and the management interface's (the images: -Dquarkus.management.enabled=true).
   */
  static final int API_PORT = 8080;

  static final int MANAGEMENT_PORT = 9000;

  static final String NAMESPACE = "bedrock-gateway";
  static final String NAME = "bedrock-chat-gateway";
  static final List<String> VARIANTS = List.of("base", "overlays/irsa", "overlays/pod-identity");

  /** kind -> (apiVersion, model class) of everything the manifests may contain. */
  static final Map<String, Map.Entry<String, Class<? extends HasMetadata>>> KINDS =
      Map.of(
          "Namespace", Map.entry("v1", Namespace.class),
          "ServiceAccount", Map.entry("v1", ServiceAccount.class),
          "ConfigMap", Map.entry("v1", ConfigMap.class),
          "Service", Map.entry("v1", Service.class),
          "Deployment", Map.entry("apps/v1", Deployment.class),
          "PodDisruptionBudget", Map.entry("policy/v1", PodDisruptionBudget.class),
          "HorizontalPodAutoscaler", Map.entry("autoscaling/v2", HorizontalPodAutoscaler.class),
          "NetworkPolicy", Map.entry("networking.k8s.io/v1", NetworkPolicy.class));

  /**
   * Strict: unknown fields land in fabric8's additionalProperties (checked below); no "8080" for
   * 8080.
   */
  static final ObjectMapper STRICT =
      JsonMapper.builder()
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  static final Map<String, String> RENDERED = new ConcurrentHashMap<>();
  static final Map<String, String> WARNINGS = new ConcurrentHashMap<>();

  static String kubectl;

  /**
   * Fails (never skips) every test of the class when there is no kubectl to render the manifests
   * with.
   */
  @BeforeAll
  static void findKubectl() {
    Optional<String> named =
        Optional.ofNullable(System.getenv("KUBECTL")).filter(k -> !k.isBlank());
    if (named.isPresent()) {
      assertThat(Path.of(named.get()))
          .as("KUBECTL=%s is not an executable file", named.get())
          .isExecutable();
      kubectl = named.get();
      return;
    }
    kubectl =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .map(dir -> Path.of(dir, "kubectl"))
            .filter(Files::isExecutable)
            .map(Path::toString)
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "kubectl is not on PATH and KUBECTL is not set: "
                            + "deploy/kubernetes cannot be rendered with kustomize, so none of its checks can run. "
                            + "Install kubectl (kustomize v4 or later; .ci/run installs one when it is missing) "
                            + "or point KUBECTL at one."));
  }

  static String render(String variant) {
    return RENDERED.computeIfAbsent(
        variant,
        v -> {
          try {
            Path stderr = Files.createTempFile("kustomize", ".err");
            Process p =
                new ProcessBuilder(kubectl, "kustomize", "deploy/kubernetes/" + v)
                    .directory(DeployFiles.ROOT.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            String out = readAll(p.getInputStream());
            assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("kubectl kustomize %s finished", v)
                .isTrue();
            String err = Files.readString(stderr);
            Files.delete(stderr);
            assertThat(p.exitValue()).as("kubectl kustomize %s failed:%n%s", v, err).isZero();
            WARNINGS.put(v, err);
            return out;
          } catch (IOException e) {
            throw new IllegalStateException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
  }

  static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    in.transferTo(buf);
    return buf.toString(StandardCharsets.UTF_8);
  }

  /** Every rendered object, validated against the model and deserialized into it. */
  static Map<String, HasMetadata> objects(String variant) {
    Map<String, HasMetadata> byKind = new LinkedHashMap<>();
    for (JsonNode doc : DeployFiles.yamlDocuments(render(variant))) {
      String kind = doc.path("kind").asText();
      var expected = KINDS.get(kind);
      assertThat(expected).as("%s: unexpected kind %s", variant, kind).isNotNull();
      assertThat(doc.path("apiVersion").asText())
          .as("%s: apiVersion of %s", variant, kind)
          .isEqualTo(expected.getKey());
      HasMetadata object;
      try {
        object = STRICT.treeToValue(doc, expected.getValue());
      } catch (IOException e) {
        throw new AssertionError(
            variant + ": " + kind + " does not match the Kubernetes schema: " + e.getMessage(), e);
      }
      List<String> unknown = new ArrayList<>();
      collectUnknownFields(object, kind, unknown);
      assertThat(unknown).as("%s: fields the Kubernetes schema does not know", variant).isEmpty();
      assertThat(byKind.put(kind, object)).as("%s: one %s only", variant, kind).isNull();
    }
    return byKind;
  }

  /**
   * fabric8 keeps fields its schema lacks in additionalProperties: any entry is a typo or a wrong
   * level.
   */
  static void collectUnknownFields(Object node, String path, List<String> unknown) {
    if (node == null) {
      return;
    }
    if (node instanceof Collection<?> c) {
      int i = 0;
      for (Object o : c) {
        collectUnknownFields(o, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (node instanceof Map<?, ?> m) {
      m.forEach((k, v) -> collectUnknownFields(v, path + "." + k, unknown));
      return;
    }
    if (!node.getClass().getName().startsWith("io.fabric8.")
        || node instanceof Quantity
        || node instanceof IntOrString) {
      return;
    }
    for (Method m : node.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || Modifier.isStatic(m.getModifiers())
          || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = m.invoke(node);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + ": " + extra.keySet());
        }
      } else {
        String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
        collectUnknownFields(value, path + "." + field, unknown);
      }
    }
  }

  static Deployment deployment(String variant) {
    return (Deployment) objects(variant).get("Deployment");
  }

  static Container gateway(String variant) {
    List<Container> containers =
        deployment(variant).getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  static Map<String, String> configMap(String variant) {
    return ((ConfigMap) objects(variant).get("ConfigMap")).getData();
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/irsa", "overlays/pod-identity"})
  void everyObjectMatchesTheKubernetesSchemaInTheGatewayNamespace(String variant) {
    Map<String, HasMetadata> objects = objects(variant);
    assertThat(objects.keySet()).containsExactlyInAnyOrderElementsOf(KINDS.keySet());
    objects.forEach(
        (kind, o) -> {
          if (!kind.equals("Namespace")) {
            assertThat(o.getMetadata().getNamespace())
                .as("%s namespace", kind)
                .isEqualTo(NAMESPACE);
          }
          assertThat(o.getMetadata().getName())
              .as("%s name", kind)
              .isEqualTo(kind.equals("Namespace") ? NAMESPACE : NAME);
        });
    PodSpec pod = deployment(variant).getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers())
        .allSatisfy(
            c -> {
              assertThat(c.getName()).isNotBlank();
              assertThat(c.getImage()).isNotBlank();
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/irsa", "overlays/pod-identity"})
  void selectorsOfEveryObjectPickTheGatewayPods(String variant) {
    Map<String, HasMetadata> o = objects(variant);
    Deployment d = (Deployment) o.get("Deployment");
    Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(podLabels).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
    assertThat(podLabels)
        .containsAllEntriesOf(((Service) o.get("Service")).getSpec().getSelector());
    assertThat(podLabels)
        .containsAllEntriesOf(
            ((PodDisruptionBudget) o.get("PodDisruptionBudget"))
                .getSpec()
                .getSelector()
                .getMatchLabels());
    assertThat(podLabels)
        .containsAllEntriesOf(
            ((NetworkPolicy) o.get("NetworkPolicy")).getSpec().getPodSelector().getMatchLabels());
    HorizontalPodAutoscaler hpa = (HorizontalPodAutoscaler) o.get("HorizontalPodAutoscaler");
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(NAME);
    assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
    assertThat(d.getSpec().getReplicas()).as("the HPA owns the replica count").isNull();
    assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(NAME);
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/irsa", "overlays/pod-identity"})
  void podsRunNonRootReadOnlyWithoutPrivileges(String variant) {
    PodSpec pod = deployment(variant).getSpec().getTemplate().getSpec();
    var podSecurity = pod.getSecurityContext();
    assertThat(podSecurity.getRunAsNonRoot()).isTrue();
    assertThat(podSecurity.getRunAsUser()).isNotNull().isPositive();
    assertThat(podSecurity.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    for (Container c : pod.getContainers()) {
      var sc = c.getSecurityContext();
      assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
      assertThat(sc.getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
      assertThat(sc.getRunAsNonRoot()).as(c.getName()).isTrue();
      assertThat(sc.getPrivileged()).as(c.getName()).isNotEqualTo(Boolean.TRUE);
      assertThat(sc.getCapabilities().getDrop()).as(c.getName()).contains("ALL");
      assertThat(sc.getCapabilities().getAdd()).as(c.getName()).isNullOrEmpty();
      assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      var tmp =
          c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst();
      assertThat(tmp).as("%s mounts a writable /tmp", c.getName()).isPresent();
      var volume =
          pod.getVolumes().stream()
              .filter(v -> v.getName().equals(tmp.get().getName()))
              .findFirst();
      assertThat(volume).isPresent();
      assertThat(volume.get().getEmptyDir()).as("/tmp is an emptyDir").isNotNull();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/irsa", "overlays/pod-identity"})
  void probesAndPortsPointAtTheQuarkusHealthEndpoints(String variant) {
    Container c = gateway(variant);
    assertThat(c.getPorts())
        .extracting(ContainerPort::getName)
        .containsExactly("http", "management");
    assertThat(c.getPorts()).allSatisfy(p -> assertThat(p.getProtocol()).isEqualTo("TCP"));
    assertThat(containerPort(c, "http")).isEqualTo(API_PORT);
    assertThat(containerPort(c, "management")).isEqualTo(MANAGEMENT_PORT);
    // health is served on the management interface only (the client port answers /q/* with 404)
    assertProbe(c.getStartupProbe(), "/q/health/live");
    assertProbe(c.getLivenessProbe(), "/q/health/live");
    assertProbe(c.getReadinessProbe(), "/q/health/ready");
    assertThat(c.getStartupProbe().getFailureThreshold() * c.getStartupProbe().getPeriodSeconds())
        .as("start-up budget in seconds")
        .isBetween(30, 300);

    Service s = (Service) objects(variant).get("Service");
    assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(s.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
              assertThat(p.getProtocol()).isEqualTo("TCP");
            });
  }

  static int containerPort(Container c, String name) {
    return c.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + name))
        .getContainerPort();
  }

  static void assertProbe(Probe probe, String path) {
    assertThat(probe).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal())
        .as("%s probes the management port", path)
        .isEqualTo("management");
    assertThat(probe.getTimeoutSeconds()).isPositive();
    assertThat(probe.getPeriodSeconds()).isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/irsa", "overlays/pod-identity"})
  void metricsAreScrapedOnTheManagementPortWhichTheServiceDoesNotExpose(String variant) {
    Deployment d = deployment(variant);
    Container c = gateway(variant);
    Map<String, String> annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
    assertThat(annotations)
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/path", "/q/metrics")
        .containsEntry("prometheus.io/port", String.valueOf(containerPort(c, "management")));

    Service s = (Service) objects(variant).get("Service");
    assertThat(s.getSpec().getPorts())
        .as("the Service exposes the API, never the management port")
        .allSatisfy(
            p -> {
              IntOrString target = p.getTargetPort();
              assertThat(target.getStrVal()).isNotEqualTo("management");
              assertThat(Optional.ofNullable(target.getIntVal()))
                  .isNotEqualTo(Optional.of(MANAGEMENT_PORT));
              assertThat(p.getPort()).isNotEqualTo(MANAGEMENT_PORT);
              if (target.getStrVal() != null) {
                assertThat(containerPort(c, target.getStrVal())).isEqualTo(API_PORT);
              }
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/irsa", "overlays/pod-identity"})
  void shutdownLetsEndpointsDrainThenStreamsFinish(String variant) {
    Deployment d = deployment(variant);
    Container c = gateway(variant);
    List<String> preStop = c.getLifecycle().getPreStop().getExec().getCommand();
    assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
    long sleep = Long.parseLong(preStop.get(1));
    assertThat(sleep).as("preStop sleep lets endpoint removal propagate").isBetween(5L, 30L);
    long shutdown = quarkusDuration(configMap(variant).get("QUARKUS_SHUTDOWN_TIMEOUT")).toSeconds();
    assertThat(shutdown).as("quarkus.shutdown.timeout").isPositive();
    assertThat(d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .as("terminationGracePeriodSeconds > preStop sleep + quarkus.shutdown.timeout")
        .isGreaterThan(sleep + shutdown);
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
    PodDisruptionBudget pdb = (PodDisruptionBudget) objects(variant).get("PodDisruptionBudget");
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isGreaterThanOrEqualTo(1);
  }

  static Duration quarkusDuration(String value) {
    assertThat(value).as("a duration like 120s").matches("\\d+s");
    return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/irsa", "overlays/pod-identity"})
  void resourcesMatchTheMeasuredFootprint(String variant) {
    var r = gateway(variant).getResources();
    Quantity requestMemory = r.getRequests().get("memory");
    Quantity limitMemory = r.getLimits().get("memory");
    assertThat(requestMemory).isNotNull();
    assertThat(limitMemory).isNotNull();
    // docs/deployment.md#sizing: about 160 MiB idle, 700 MiB under 128 concurrent streams at 768Mi.
    assertThat(Quantity.getAmountInBytes(limitMemory).longValue())
        .isGreaterThanOrEqualTo(512L << 20);
    assertThat(Quantity.getAmountInBytes(requestMemory))
        .isEqualByComparingTo(Quantity.getAmountInBytes(limitMemory));
    assertThat(r.getRequests().get("cpu")).as("CPU request (the HPA's reference)").isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/irsa", "overlays/pod-identity"})
  void clientKeysComeFromASecretReferenceAndNoLiteralSecretIsRendered(String variant) {
    String text = render(variant);
    assertThat(DeployFiles.AWS_ACCESS_KEY_ID.matcher(text).find())
        .as("an AWS access key id")
        .isFalse();
    assertThat(text).doesNotContainIgnoringCase("aws_secret_access_key");
    assertThat(objects(variant)).doesNotContainKey("Secret");

    Container c = gateway(variant);
    EnvVar keys =
        c.getEnv().stream()
            .filter(e -> e.getName().equals("GATEWAY_API_KEYS"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("GATEWAY_API_KEYS is not set"));
    assertThat(keys.getValue()).isNull();
    assertThat(keys.getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("bedrock-chat-gateway-api-keys");
    assertThat(keys.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("GATEWAY_API_KEYS");
    for (EnvVar e : c.getEnv()) {
      if (DeployFiles.SECRET_NAME.matcher(e.getName()).matches()) {
        assertThat(e.getValue())
            .as("%s must come from a Secret, not a literal", e.getName())
            .isNull();
      }
    }
    configMap(variant)
        .keySet()
        .forEach(
            k ->
                assertThat(DeployFiles.SECRET_NAME.matcher(k).matches())
                    .as("ConfigMap key %s looks like a secret", k)
                    .isFalse());
    assertThat(c.getEnvFrom())
        .singleElement()
        .satisfies(f -> assertThat(f.getConfigMapRef().getName()).isEqualTo(NAME));
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/irsa", "overlays/pod-identity"})
  void networkPolicyAdmitsPort8080AndLetsOutOnlyDnsAndHttps(String variant) {
    NetworkPolicy np = (NetworkPolicy) objects(variant).get("NetworkPolicy");
    assertThat(np.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    // one rule per port: clients reach the API, only the metrics scraper's namespaces the
    // management port
    assertThat(np.getSpec().getIngress())
        .hasSize(2)
        .allSatisfy(
            rule -> {
              assertThat(rule.getPorts()).hasSize(1);
              assertThat(rule.getFrom())
                  .isNotEmpty()
                  .allSatisfy(
                      peer ->
                          assertThat(
                                  peer.getNamespaceSelector() != null
                                      || peer.getPodSelector() != null)
                              .isTrue());
            });
    assertThat(np.getSpec().getIngress())
        .extracting(rule -> rule.getPorts().get(0).getPort().getIntVal())
        .containsExactly(API_PORT, MANAGEMENT_PORT);
    NetworkPolicyIngressRule management = np.getSpec().getIngress().get(1);
    assertThat(management.getFrom())
        .singleElement()
        .satisfies(
            peer -> {
              assertThat(peer.getPodSelector()).isNull();
              assertThat(peer.getIpBlock()).isNull();
              assertThat(peer.getNamespaceSelector().getMatchLabels())
                  .containsExactly(Map.entry("bedrock-chat-gateway.io/metrics", "allowed"));
            });
    Map<String, List<Integer>> egressPorts =
        np.getSpec().getEgress().stream()
            .flatMap(rule -> rule.getPorts().stream())
            .collect(
                Collectors.groupingBy(
                    NetworkPolicyPort::getProtocol,
                    Collectors.mapping(p -> p.getPort().getIntVal(), Collectors.toList())));
    assertThat(egressPorts.get("UDP")).containsExactly(53);
    List<Integer> expectedTcp = new ArrayList<>(List.of(53, 443));
    if (variant.endsWith("pod-identity")) {
      expectedTcp.add(80);
    }
    assertThat(egressPorts.get("TCP")).containsExactlyInAnyOrderElementsOf(expectedTcp);
    NetworkPolicyEgressRule https =
        np.getSpec().getEgress().stream()
            .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 443))
            .findFirst()
            .orElseThrow();
    assertThat(https.getTo())
        .anySatisfy(
            peer ->
                assertThat(
                        Optional.ofNullable(peer.getIpBlock())
                            .map(b -> b.getExcept())
                            .orElse(List.of()))
                    .as("the instance metadata service stays out of reach")
                    .contains("169.254.169.254/32"));
  }

  @Test
  void baseUsesTheDefaultChainWithoutRoleAnnotation() {
    assertThat(configMap("base")).containsEntry("GATEWAY_CREDENTIALS_STRATEGY", "default");
    assertThat(
            ((ServiceAccount) objects("base").get("ServiceAccount")).getMetadata().getAnnotations())
        .isNullOrEmpty();
  }

  @Test
  void irsaOverlayAnnotatesTheServiceAccountAndUsesWebIdentity() {
    Map<String, String> cm = configMap("overlays/irsa");
    assertThat(cm).containsEntry("GATEWAY_CREDENTIALS_STRATEGY", "web-identity");
    ServiceAccount sa = (ServiceAccount) objects("overlays/irsa").get("ServiceAccount");
    assertThat(sa.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn"))
        .matches("arn:aws:iam::\\d{12}:role/[\\w+=,.@-]+");
    // EKS injects AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE itself: nothing may shadow them.
    assertThat(gateway("overlays/irsa").getEnv())
        .extracting(EnvVar::getName)
        .doesNotContain("AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE");
    assertThat(cm).doesNotContainKeys("AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE");
  }

  @Test
  void podIdentityOverlayUsesContainerCredentialsAndReachesTheAgent() {
    Map<String, String> cm = configMap("overlays/pod-identity");
    assertThat(cm).containsEntry("GATEWAY_CREDENTIALS_STRATEGY", "container");
    assertThat(cm)
        .doesNotContainKeys(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    ServiceAccount sa = (ServiceAccount) objects("overlays/pod-identity").get("ServiceAccount");
    assertThat(Optional.ofNullable(sa.getMetadata().getAnnotations()).orElse(Map.of()))
        .doesNotContainKey("eks.amazonaws.com/role-arn");
    NetworkPolicy np = (NetworkPolicy) objects("overlays/pod-identity").get("NetworkPolicy");
    assertThat(np.getSpec().getEgress())
        .anySatisfy(
            rule -> {
              assertThat(rule.getTo())
                  .anySatisfy(
                      peer ->
                          assertThat(Optional.ofNullable(peer.getIpBlock()).map(b -> b.getCidr()))
                              .contains("169.254.170.23/32"));
              assertThat(rule.getPorts())
                  .extracting(p -> p.getPort().getIntVal())
                  .containsExactly(80);
            });
  }

  @Test
  void irsaTrustPolicyNamesTheRenderedServiceAccount() {
    ServiceAccount sa = (ServiceAccount) objects("overlays/irsa").get("ServiceAccount");
    JsonNode statement =
        DeployFiles.json("deploy/iam/irsa-trust-policy.json").path("Statement").get(0);
    JsonNode equals = statement.path("Condition").path("StringEquals");
    List<String> subs = new ArrayList<>();
    equals
        .fieldNames()
        .forEachRemaining(
            k -> {
              if (k.endsWith(":sub")) {
                subs.add(equals.get(k).asText());
              }
            });
    assertThat(subs)
        .containsExactly(
            "system:serviceaccount:"
                + sa.getMetadata().getNamespace()
                + ":"
                + sa.getMetadata().getName());
  }

  @Test
  void everyConfiguredModelIsAllowedByTheInvokePolicy() {
    JsonNode policy = DeployFiles.json("deploy/iam/bedrock-invoke-policy.json");
    List<String> resources = new ArrayList<>();
    policy
        .path("Statement")
        .forEach(s -> s.path("Resource").forEach(r -> resources.add(r.asText())));
    for (String entry : configMap("base").get("GATEWAY_MODELS_LIST").split(",")) {
      String modelId = entry.contains("=") ? entry.substring(entry.indexOf('=') + 1) : entry;
      if (modelId.matches("(us|eu|apac|global|us-gov|jp|au)\\..+")) {
        assertThat(resources)
            .as("inference profile %s", modelId)
            .anyMatch(r -> r.endsWith(":inference-profile/" + modelId));
        String base = modelId.substring(modelId.indexOf('.') + 1);
        assertThat(resources.stream().filter(r -> r.endsWith("::foundation-model/" + base)).count())
            .as("foundation-model ARNs of %s in the profile's regions", base)
            .isGreaterThanOrEqualTo(2);
      } else {
        assertThat(resources)
            .as("foundation model %s", modelId)
            .anyMatch(r -> r.endsWith("::foundation-model/" + modelId));
      }
    }
  }

  @Test
  void theManifestsRenderWithoutKustomizeWarnings() {
    for (String v : VARIANTS) {
      render(v);
      assertThat(WARNINGS.get(v)).as("kubectl kustomize %s printed", v).isBlank();
    }
  }
}
