package io.github.bedrockgateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A minimal lint of the Dockerfiles (non-root user, health check, no secret in the image, sources
 * that the build context really holds, the multi-module build, no simulator in a gateway image,
 * health and metrics on the management port) and checks of the other deployment files that no tool
 * here can run: the Lambda template, the compose file and the IAM policies.
 */
class ContainerFilesTest {

  record Instruction(String keyword, String args, int stage) {}

  /**
   * Instructions with continuations joined and comments dropped; stage counts FROM lines from 0.
   */
  static List<Instruction> parse(String dockerfile) {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int stage = -1;
    for (String raw : DeployFiles.read(dockerfile).split("\n")) {
      String line = raw.strip();
      if (current.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      String text = current.toString().strip();
      current.setLength(0);
      int space = text.indexOf(' ');
      String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
      String args = space < 0 ? "" : text.substring(space + 1).strip();
      if (keyword.equals("FROM")) {
        stage++;
      }
      out.add(new Instruction(keyword, args, stage));
    }
    return out;
  }

  static List<Instruction> finalStage(List<Instruction> all) {
    int last = all.stream().mapToInt(Instruction::stage).max().orElseThrow();
    return stage(all, last);
  }

  static List<Instruction> stage(List<Instruction> all, int stage) {
    return all.stream().filter(i -> i.stage() == stage).toList();
  }

  /** The stage a FROM line names with {@code AS name}, by that name. */
  static List<Instruction> namedStage(List<Instruction> all, String name) {
    Pattern as = Pattern.compile("(?i).*\\sAS\\s+" + Pattern.quote(name) + "\\s*$");
    int stage =
        all.stream()
            .filter(i -> i.keyword().equals("FROM") && as.matcher(i.args()).matches())
            .mapToInt(Instruction::stage)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no stage named " + name));
    return stage(all, stage);
  }

  /** The source paths of a COPY or ADD (its last word is the destination; flags dropped). */
  static List<String> copySources(Instruction copy) {
    List<String> words = new ArrayList<>(List.of(copy.args().split("\\s+")));
    words.removeIf(w -> w.startsWith("--"));
    return words.subList(0, words.size() - 1);
  }

  /** The modules of the aggregator POM (pom.xml at the repository root). */
  static List<String> modules() {
    Matcher m =
        Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>").matcher(DeployFiles.read("pom.xml"));
    List<String> modules = new ArrayList<>();
    while (m.find()) {
      modules.add(m.group(1));
    }
    return modules;
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.native"})
  void imagesRunAsANonRootUserWithAHealthCheck(String dockerfile) {
    List<Instruction> fin = finalStage(parse(dockerfile));
    List<String> users =
        fin.stream().filter(i -> i.keyword().equals("USER")).map(Instruction::args).toList();
    assertThat(users).as("%s sets USER in its final stage", dockerfile).isNotEmpty();
    String user = users.get(users.size() - 1).split(":")[0];
    assertThat(user).as("numeric, so that runAsNonRoot can verify it").matches("\\d+");
    assertThat(Integer.parseInt(user)).as("non-root uid").isPositive();

    List<String> checks =
        fin.stream().filter(i -> i.keyword().equals("HEALTHCHECK")).map(Instruction::args).toList();
    assertThat(checks).as("%s has a HEALTHCHECK", dockerfile).hasSize(1);
    assertThat(checks.get(0))
        .contains("CMD")
        .contains("/q/health/live")
        .doesNotContain("curl", "wget");
    assertThat(fin)
        .anySatisfy(
            i -> {
              assertThat(i.keyword()).isEqualTo("EXPOSE");
              assertThat(i.args()).isEqualTo("8080");
            });
    assertThat(fin)
        .filteredOn(i -> i.keyword().equals("EXPOSE"))
        .as("the management port is never EXPOSEd")
        .noneMatch(i -> i.args().contains("9000"));
    assertThat(fin).anySatisfy(i -> assertThat(i.keyword()).isEqualTo("ENTRYPOINT"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.native"})
  void buildStageBuildsTheGatewayFromTheModuleLayout(String dockerfile) {
    List<Instruction> all = parse(dockerfile);
    List<Instruction> build = namedStage(all, "build");
    List<String> copied =
        build.stream()
            .filter(i -> i.keyword().equals("COPY") && !i.args().contains("--from="))
            .flatMap(i -> copySources(i).stream())
            .toList();
    List<String> modules = modules();
    assertThat(modules)
        .as("the aggregator's modules")
        .contains("simulator", "dev-simulator", "gateway");
    assertThat(copied)
        .as("%s copies the aggregator POM and the wrapper", dockerfile)
        .contains("pom.xml", "mvnw", ".mvn/");
    for (String module : modules) {
      assertThat(copied)
          .as(
              "%s copies module %s (the reactor needs every module gateway -am reaches)",
              dockerfile, module)
          .contains(module + "/pom.xml", module + "/src/");
    }
    assertThat(copied)
        .as("no sources of the old single-module layout")
        .doesNotContain("src/", "src");

    List<String> maven =
        build.stream()
            .filter(i -> i.keyword().equals("RUN") && i.args().contains("./mvnw"))
            .map(Instruction::args)
            .toList();
    assertThat(maven)
        .as("%s runs one Maven build", dockerfile)
        .singleElement()
        .satisfies(
            run -> {
              Matcher pl = Pattern.compile("-pl\\s+(\\S+)").matcher(run);
              assertThat(pl.find()).as("the build names its modules with -pl: %s", run).isTrue();
              assertThat(List.of(pl.group(1).split(","))).contains("gateway");
              assertThat(run)
                  .contains(" -am ")
                  .contains(" package ")
                  .contains("-DskipTests")
                  .doesNotContain(" install");
              // the images serve /q/health and /q/metrics on the management port only (build-time
              // setting)
              assertThat(run).contains("-Dquarkus.management.enabled=true");
            });

    List<String> fromBuild =
        finalStage(all).stream()
            .filter(i -> i.keyword().equals("COPY") && i.args().contains("--from=build"))
            .flatMap(i -> copySources(i).stream())
            .toList();
    assertThat(fromBuild)
        .as("%s: the final stage takes the gateway from gateway/target", dockerfile)
        .anyMatch(src -> src.contains("/gateway/target/"))
        .noneMatch(src -> src.matches(".*/(src/)?target/.*") && !src.contains("/gateway/target/"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.native", "deploy/lambda/Dockerfile"})
  void theGatewayImageHoldsNoSimulator(String dockerfile) {
    List<Instruction> fin = finalStage(parse(dockerfile));
    assertThat(fin)
        .filteredOn(i -> i.keyword().equals("COPY") || i.keyword().equals("ADD"))
        .as("%s: the final stage copies no simulator (jar, classes or module)", dockerfile)
        .allSatisfy(i -> assertThat(i.args().toLowerCase(Locale.ROOT)).doesNotContain("simulator"));
    assertThat(fin)
        .filteredOn(i -> i.keyword().equals("COPY") && i.args().contains("--from=build"))
        .allSatisfy(
            i ->
                assertThat(copySources(i))
                    .allSatisfy(
                        src ->
                            assertThat(src)
                                .satisfiesAnyOf(
                                    a -> assertThat(a).contains("/gateway/target/"),
                                    a -> assertThat(a).isEqualTo("/opt/probe/"))));
    // the training run may use the simulator, bind-mounted from the build stage for that one step
    for (Instruction i : fin) {
      if (i.keyword().equals("RUN") && i.args().contains("simulator")) {
        Matcher mount = Pattern.compile("--mount=(\\S+)").matcher(i.args());
        assertThat(mount.find())
            .as("%s: %s uses the simulator without a bind mount", dockerfile, i.args())
            .isTrue();
        assertThat(mount.group(1))
            .contains("type=bind")
            .contains("from=build")
            .contains("source=/src/simulator/target")
            .doesNotContain("rw");
        Matcher target = Pattern.compile("target=([^,\\s]+)").matcher(mount.group(1));
        assertThat(target.find()).isTrue();
        assertThat(target.group(1))
            .as("the mount point stays out of the application and of /tmp")
            .doesNotStartWith("/app")
            .doesNotStartWith("/tmp")
            .doesNotStartWith("/opt/gateway");
      }
    }
  }

  @Test
  void theSimulatorTargetRunsTheStandaloneJarOnly() {
    List<Instruction> all = parse("Dockerfile");
    List<Instruction> simulator = namedStage(all, "simulator");
    assertThat(simulator.get(0).stage())
        .as("not the last stage: `docker build .` builds the gateway")
        .isLessThan(finalStage(all).get(0).stage());
    assertThat(simulator.get(0).args()).startsWith("eclipse-temurin:").contains("-jre");
    assertThat(simulator)
        .filteredOn(i -> i.keyword().equals("COPY") && i.args().contains("--from=build"))
        .singleElement()
        .satisfies(
            i ->
                assertThat(copySources(i))
                    .containsExactly("/src/simulator/target/bedrock-simulator.jar"));
    assertThat(simulator).noneMatch(i -> i.args().contains("quarkus-app"));
    String entrypoint =
        simulator.stream()
            .filter(i -> i.keyword().equals("ENTRYPOINT"))
            .map(Instruction::args)
            .findFirst()
            .orElseThrow();
    List<String> argv = new ArrayList<>();
    try {
      DeployFiles.JSON.readTree(entrypoint).forEach(a -> argv.add(a.asText()));
    } catch (java.io.IOException e) {
      throw new AssertionError("ENTRYPOINT is not an exec-form JSON array: " + entrypoint, e);
    }
    assertThat(argv)
        .startsWith("java")
        .contains("-jar", "--host=0.0.0.0")
        .anyMatch(a -> a.endsWith("/bedrock-simulator.jar"));
    assertThat(simulator)
        .anySatisfy(
            i -> {
              assertThat(i.keyword()).isEqualTo("USER");
              assertThat(i.args()).matches("[1-9]\\d*(:\\d+)?");
            });
  }

  @Test
  void healthAndMetricsAreOnTheManagementPortOfTheImagesOnly() {
    for (String dockerfile : List.of("Dockerfile", "Dockerfile.native")) {
      String env =
          finalStage(parse(dockerfile)).stream()
              .filter(i -> i.keyword().equals("ENV"))
              .map(Instruction::args)
              .reduce("", (a, b) -> a + " " + b);
      assertThat(env)
          .as(dockerfile)
          .contains("QUARKUS_MANAGEMENT_PORT=9000")
          .contains("QUARKUS_HTTP_PORT=8080");
    }
    // HEALTHCHECK runs healthcheck.sh without a port: it must default to the management port
    assertThat(DeployFiles.read("deploy/docker/healthcheck.sh"))
        .contains("port=${2:-${QUARKUS_MANAGEMENT_PORT:-9000}}");
    // the training run checks that the client port does not serve /q/*
    assertThat(DeployFiles.read("deploy/docker/aot-train.sh")).contains("QUARKUS_MANAGEMENT_PORT=");

    // The plain jar (./mvnw package) keeps one port, so the README's curl .../q/health works: the
    // images
    // pass -Dquarkus.management.enabled=true to their build instead
    // (docs/deployment.md#operations-port).
    List<String> enabledForAll =
        DeployFiles.read("gateway/src/main/resources/application.properties")
            .lines()
            .map(String::strip)
            .filter(l -> l.matches("quarkus\\.management\\.enabled\\s*=\\s*true"))
            .toList();
    assertThat(enabledForAll).as("quarkus.management.enabled for every build").isEmpty();

    // Lambda: the adapter's readiness check on the management port, both servers on loopback
    String lambda =
        finalStage(parse("deploy/lambda/Dockerfile")).stream()
            .filter(i -> i.keyword().equals("ENV"))
            .map(Instruction::args)
            .reduce("", (a, b) -> a + " " + b);
    assertThat(lambda)
        .contains("AWS_LWA_PORT=8080")
        .contains("AWS_LWA_READINESS_CHECK_PORT=9000")
        .contains("QUARKUS_HTTP_HOST=127.0.0.1")
        .contains("QUARKUS_MANAGEMENT_HOST=127.0.0.1");
    JsonNode vars =
        DeployFiles.yaml("deploy/lambda/template.yaml")
            .path("Resources")
            .path("GatewayFunction")
            .path("Properties")
            .path("Environment")
            .path("Variables");
    assertThat(vars.path("AWS_LWA_READINESS_CHECK_PORT").asText()).isEqualTo("9000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.native", "deploy/lambda/Dockerfile"})
  void noSecretIsBakedIntoAnImage(String dockerfile) {
    String text = DeployFiles.read(dockerfile);
    assertThat(DeployFiles.AWS_ACCESS_KEY_ID.matcher(text).find())
        .as("an AWS access key id")
        .isFalse();
    for (Instruction i : parse(dockerfile)) {
      if (i.keyword().equals("ENV") || i.keyword().equals("ARG")) {
        for (String name : declaredNames(i.args())) {
          assertThat(DeployFiles.SECRET_NAME.matcher(name).matches())
              .as("%s: %s %s holds a secret-like setting", dockerfile, i.keyword(), name)
              .isFalse();
        }
      }
      if (i.keyword().equals("COPY") || i.keyword().equals("ADD")) {
        assertThat(i.args())
            .as("%s copies no AWS or key files", dockerfile)
            .doesNotContain(".aws", ".pem", "credentials", "id_rsa");
      }
    }
  }

  /** ENV A=1 B="x y" / ENV A 1 / ARG A=1: the names declared. */
  static List<String> declaredNames(String args) {
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)").matcher(args);
    while (m.find()) {
      names.add(m.group(1));
    }
    if (names.isEmpty()) {
      names.add(args.split("\\s+")[0]);
    }
    return names;
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.native", "deploy/lambda/Dockerfile"})
  void copiedSourcesExistAndAreInTheBuildContext(String dockerfile) {
    List<String> allow =
        DeployFiles.read(".dockerignore")
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("!"))
            .map(l -> l.substring(1))
            .toList();
    for (Instruction i : parse(dockerfile)) {
      if (!i.keyword().equals("COPY") || i.args().contains("--from=")) {
        continue;
      }
      List<String> words = new ArrayList<>(List.of(i.args().split("\\s+")));
      words.removeIf(w -> w.startsWith("--"));
      for (String source : words.subList(0, words.size() - 1)) {
        assertThat(DeployFiles.path(source)).as("%s: COPY source %s", dockerfile, source).exists();
        assertThat(allow)
            .as("%s: %s is let into the build context by .dockerignore", dockerfile, source)
            .anyMatch(
                a ->
                    source.equals(a)
                        || source.startsWith(a.endsWith("/") ? a : a + "/")
                        || (source + "/").equals(a));
      }
    }
  }

  @Test
  void dockerignoreKeepsBuildOutputAndRepositoryOut() {
    List<String> lines =
        DeployFiles.read(".dockerignore")
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertThat(lines.get(0)).as("allow-list: everything excluded first").isEqualTo("*");
    assertThat(lines)
        .noneMatch(l -> l.startsWith("!target") || l.startsWith("!.git") || l.equals("!*"));
  }

  @Test
  void jvmImageTrainsAndUsesTheAotCacheOnTheRuntimeJvm() {
    List<Instruction> all = parse("Dockerfile");
    List<Instruction> fin = finalStage(all);
    assertThat(fin.get(0).args()).startsWith("eclipse-temurin:").contains("-jre");
    assertThat(all.stream().filter(i -> i.keyword().equals("RUN")).map(Instruction::args))
        .anyMatch(a -> a.contains("-Dquarkus.package.jar.type=aot-jar"));
    assertThat(fin)
        .anySatisfy(
            i -> {
              assertThat(i.keyword()).isEqualTo("RUN");
              assertThat(i.args()).contains("aot-train.sh").contains("/app/app.aot");
            });
    String env =
        fin.stream()
            .filter(i -> i.keyword().equals("ENV"))
            .map(Instruction::args)
            .reduce("", String::concat);
    assertThat(env)
        .contains("-XX:MaxRAMPercentage=")
        .contains("-XX:+ExitOnOutOfMemoryError")
        .containsAnyOf("-XX:+UseSerialGC", "-XX:+UseG1GC");
    assertThat(DeployFiles.read("deploy/docker/entrypoint.sh"))
        .contains("-XX:AOTCache=")
        .contains("exec java");
    assertThat(DeployFiles.read("deploy/docker/aot-train.sh")).contains("-XX:AOTCacheOutput=");
    for (String script : List.of("entrypoint.sh", "healthcheck.sh", "aot-train.sh")) {
      assertThat(Files.isExecutable(DeployFiles.path("deploy/docker/" + script)))
          .as(script)
          .isTrue();
    }
  }

  @Test
  void nativeImageBuildsWithMandrelForJdk25() {
    List<Instruction> all = parse("Dockerfile.native");
    assertThat(all.get(0).args()).contains("mandrel-builder-image").contains("jdk-25");
    assertThat(all).anySatisfy(i -> assertThat(i.args()).contains("./mvnw").contains("-Dnative"));
    assertThat(finalStage(all).get(0).args()).contains("quarkus-micro-image");
  }

  @Test
  void lambdaImageStreamsThroughTheWebAdapter() {
    List<Instruction> all = parse("deploy/lambda/Dockerfile");
    assertThat(all)
        .anySatisfy(
            i -> {
              assertThat(i.keyword()).isEqualTo("FROM");
              assertThat(i.args()).startsWith("public.ecr.aws/awsguru/aws-lambda-adapter:");
            });
    assertThat(finalStage(all))
        .anySatisfy(
            i -> {
              assertThat(i.keyword()).isEqualTo("COPY");
              assertThat(i.args())
                  .contains("/lambda-adapter")
                  .endsWith("/opt/extensions/lambda-adapter");
            });
    String env =
        finalStage(all).stream()
            .filter(i -> i.keyword().equals("ENV"))
            .map(Instruction::args)
            .reduce("", (a, b) -> a + " " + b);
    assertThat(env)
        .contains("AWS_LWA_INVOKE_MODE=response_stream")
        .contains("AWS_LWA_READINESS_CHECK_PATH=/q/health/ready")
        .contains("AWS_LWA_PORT=8080");

    JsonNode template = DeployFiles.yaml("deploy/lambda/template.yaml");
    JsonNode fn = template.path("Resources").path("GatewayFunction");
    assertThat(fn.path("Type").asText()).isEqualTo("AWS::Serverless::Function");
    JsonNode props = fn.path("Properties");
    assertThat(props.path("PackageType").asText()).isEqualTo("Image");
    assertThat(props.path("FunctionUrlConfig").path("InvokeMode").asText())
        .isEqualTo("RESPONSE_STREAM");
    assertThat(props.path("Timeout").asInt()).isBetween(60, 900);
    JsonNode vars = props.path("Environment").path("Variables");
    assertThat(vars.path("AWS_LWA_INVOKE_MODE").asText()).isEqualTo("response_stream");
    assertThat(vars.path("AWS_LWA_READINESS_CHECK_PATH").asText()).isEqualTo("/q/health/ready");
    assertThat(template.path("Parameters").path("GatewayApiKeys").path("NoEcho").asBoolean())
        .isTrue();
    List<String> actions = new ArrayList<>();
    props
        .path("Policies")
        .forEach(
            p ->
                p.path("Statement")
                    .forEach(s -> s.path("Action").forEach(a -> actions.add(a.asText()))));
    assertThat(actions)
        .isNotEmpty()
        .allMatch(
            a ->
                a.equals("bedrock:InvokeModel")
                    || a.equals("bedrock:InvokeModelWithResponseStream"));
  }

  @Test
  void composeRunsTheGatewayAgainstTheSimulatorImage() {
    JsonNode services = DeployFiles.yaml("deploy/compose/compose.yaml").path("services");
    JsonNode simulator = services.path("simulator");
    JsonNode gateway = services.path("gateway");
    // two images from the one Dockerfile: the gateway (default target) and the simulator target
    assertThat(simulator.path("image").asText()).isNotEqualTo(gateway.path("image").asText());
    assertThat(simulator.path("build").path("target").asText()).isEqualTo("simulator");
    namedStage(parse(simulator.path("build").path("dockerfile").asText()), "simulator");
    assertThat(gateway.path("build").path("dockerfile").asText()).isEqualTo("Dockerfile");
    assertThat(gateway.path("build").has("target"))
        .as("the gateway is the Dockerfile's default target")
        .isFalse();
    assertThat(simulator.has("entrypoint"))
        .as("the simulator image's own entry point runs the jar")
        .isFalse();
    List<String> command = new ArrayList<>();
    simulator.path("command").forEach(e -> command.add(e.asText()));
    assertThat(command).contains("--port=8089");
    List<String> check = new ArrayList<>();
    simulator.path("healthcheck").path("test").forEach(e -> check.add(e.asText()));
    assertThat(check).contains("/ping", "8089");
    JsonNode env = gateway.path("environment");
    assertThat(env.path("AWS_ENDPOINT_URL_BEDROCK_RUNTIME").asText())
        .isEqualTo("http://simulator:8089");
    assertThat(env.path("GATEWAY_CREDENTIALS_STRATEGY").asText()).isEqualTo("static");
    // Only AWS's documentation example pair, which the simulator accepts and AWS refuses.
    assertThat(env.path("AWS_ACCESS_KEY_ID").asText()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
    assertThat(env.path("AWS_SECRET_ACCESS_KEY").asText()).endsWith("EXAMPLEKEY");
    assertThat(gateway.path("depends_on").path("simulator").path("condition").asText())
        .isEqualTo("service_healthy");
    assertThat(gateway.path("ports").get(0).asText()).endsWith(":8080");
    // the management port, if published at all, only on the host's loopback
    gateway
        .path("ports")
        .forEach(
            p -> {
              if (p.asText().endsWith(":9000")) {
                assertThat(p.asText()).startsWith("127.0.0.1:");
              }
            });
  }

  @Test
  void invokePolicyGrantsOnlyInferenceOnNamedModels() {
    JsonNode policy = DeployFiles.json("deploy/iam/bedrock-invoke-policy.json");
    assertThat(policy.path("Version").asText()).isEqualTo("2012-10-17");
    List<String> profiles = new ArrayList<>();
    for (JsonNode s : policy.path("Statement")) {
      assertThat(s.path("Effect").asText()).isEqualTo("Allow");
      s.path("Action")
          .forEach(
              a ->
                  assertThat(a.asText())
                      .isIn("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"));
      assertThat(s.path("Action")).hasSize(2);
      s.path("Resource")
          .forEach(
              r -> {
                assertThat(r.asText())
                    .doesNotEndWith("/*")
                    .isNotEqualTo("*")
                    .matches(
                        "arn:aws:bedrock:[a-z0-9-]+:(\\d{12})?:(foundation-model|inference-profile)/.+");
                if (r.asText().contains(":inference-profile/")) {
                  profiles.add(r.asText());
                }
              });
    }
    // Foundation models reached through a profile are allowed only through that profile.
    JsonNode behind = policy.path("Statement").get(1);
    List<String> conditioned = new ArrayList<>();
    behind
        .path("Condition")
        .path("ArnEquals")
        .path("bedrock:InferenceProfileArn")
        .forEach(a -> conditioned.add(a.asText()));
    assertThat(conditioned).containsExactlyInAnyOrderElementsOf(profiles);
  }

  @Test
  void trustPoliciesFollowIrsaAndPodIdentity() {
    JsonNode irsa = DeployFiles.json("deploy/iam/irsa-trust-policy.json").path("Statement").get(0);
    assertThat(irsa.path("Action").asText()).isEqualTo("sts:AssumeRoleWithWebIdentity");
    assertThat(irsa.path("Principal").path("Federated").asText())
        .matches(
            "arn:aws:iam::\\d{12}:oidc-provider/oidc\\.eks\\.[a-z0-9-]+\\.amazonaws\\.com/id/\\w+");
    JsonNode equals = irsa.path("Condition").path("StringEquals");
    List<String> keys = new ArrayList<>();
    equals.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).anyMatch(k -> k.endsWith(":aud")).anyMatch(k -> k.endsWith(":sub"));
    keys.stream()
        .filter(k -> k.endsWith(":aud"))
        .forEach(k -> assertThat(equals.get(k).asText()).isEqualTo("sts.amazonaws.com"));

    JsonNode pod =
        DeployFiles.json("deploy/iam/pod-identity-trust-policy.json").path("Statement").get(0);
    assertThat(pod.path("Principal").path("Service").asText()).isEqualTo("pods.eks.amazonaws.com");
    List<String> actions = new ArrayList<>();
    pod.path("Action").forEach(a -> actions.add(a.asText()));
    assertThat(actions).containsExactlyInAnyOrder("sts:AssumeRole", "sts:TagSession");

    JsonNode guardrail = DeployFiles.json("deploy/iam/bedrock-guardrail-policy.json");
    assertThat(guardrail.path("Statement"))
        .anySatisfy(
            s -> {
              assertThat(s.path("Effect").asText()).isEqualTo("Deny");
              assertThat(
                      s.path("Condition")
                          .path("StringNotEquals")
                          .has("bedrock:GuardrailIdentifier"))
                  .isTrue();
            });
  }
}
