package io.github.bedrockgateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A minimal lint of the Dockerfiles (non-root user, health check, no secret in the image, sources that
 * the build context really holds) and checks of the other deployment files that no tool here can run:
 * the Lambda template, the compose file and the IAM policies.
 */
class ContainerFilesTest {

    record Instruction(String keyword, String args, int stage) {
    }

    /** Instructions with continuations joined and comments dropped; stage counts FROM lines from 0. */
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
        return all.stream().filter(i -> i.stage() == last).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = { "Dockerfile", "Dockerfile.native" })
    void imagesRunAsANonRootUserWithAHealthCheck(String dockerfile) {
        List<Instruction> fin = finalStage(parse(dockerfile));
        List<String> users = fin.stream().filter(i -> i.keyword().equals("USER")).map(Instruction::args).toList();
        assertThat(users).as("%s sets USER in its final stage", dockerfile).isNotEmpty();
        String user = users.get(users.size() - 1).split(":")[0];
        assertThat(user).as("numeric, so that runAsNonRoot can verify it").matches("\\d+");
        assertThat(Integer.parseInt(user)).as("non-root uid").isPositive();

        List<String> checks = fin.stream().filter(i -> i.keyword().equals("HEALTHCHECK")).map(Instruction::args)
                .toList();
        assertThat(checks).as("%s has a HEALTHCHECK", dockerfile).hasSize(1);
        assertThat(checks.get(0)).contains("CMD").contains("/q/health/live").doesNotContain("curl", "wget");
        assertThat(fin).anySatisfy(i -> {
            assertThat(i.keyword()).isEqualTo("EXPOSE");
            assertThat(i.args()).isEqualTo("8080");
        });
        assertThat(fin).anySatisfy(i -> assertThat(i.keyword()).isEqualTo("ENTRYPOINT"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Dockerfile", "Dockerfile.native", "deploy/lambda/Dockerfile" })
    void noSecretIsBakedIntoAnImage(String dockerfile) {
        String text = DeployFiles.read(dockerfile);
        assertThat(DeployFiles.AWS_ACCESS_KEY_ID.matcher(text).find()).as("an AWS access key id").isFalse();
        for (Instruction i : parse(dockerfile)) {
            if (i.keyword().equals("ENV") || i.keyword().equals("ARG")) {
                for (String name : declaredNames(i.args())) {
                    assertThat(DeployFiles.SECRET_NAME.matcher(name).matches())
                            .as("%s: %s %s holds a secret-like setting", dockerfile, i.keyword(), name).isFalse();
                }
            }
            if (i.keyword().equals("COPY") || i.keyword().equals("ADD")) {
                assertThat(i.args()).as("%s copies no AWS or key files", dockerfile)
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
    @ValueSource(strings = { "Dockerfile", "Dockerfile.native", "deploy/lambda/Dockerfile" })
    void copiedSourcesExistAndAreInTheBuildContext(String dockerfile) {
        List<String> allow = DeployFiles.read(".dockerignore").lines().map(String::strip)
                .filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();
        for (Instruction i : parse(dockerfile)) {
            if (!i.keyword().equals("COPY") || i.args().contains("--from=")) {
                continue;
            }
            List<String> words = new ArrayList<>(List.of(i.args().split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            for (String source : words.subList(0, words.size() - 1)) {
                assertThat(DeployFiles.path(source)).as("%s: COPY source %s", dockerfile, source).exists();
                assertThat(allow).as("%s: %s is let into the build context by .dockerignore", dockerfile, source)
                        .anyMatch(a -> source.equals(a) || source.startsWith(a.endsWith("/") ? a : a + "/")
                                || (source + "/").equals(a));
            }
        }
    }

    @Test
    void dockerignoreKeepsBuildOutputAndRepositoryOut() {
        List<String> lines = DeployFiles.read(".dockerignore").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(lines.get(0)).as("allow-list: everything excluded first").isEqualTo("*");
        assertThat(lines).noneMatch(l -> l.startsWith("!target") || l.startsWith("!.git") || l.equals("!*"));
    }

    @Test
    void jvmImageTrainsAndUsesTheAotCacheOnTheRuntimeJvm() {
        List<Instruction> all = parse("Dockerfile");
        List<Instruction> fin = finalStage(all);
        assertThat(fin.get(0).args()).startsWith("eclipse-temurin:").contains("-jre");
        assertThat(all.stream().filter(i -> i.keyword().equals("RUN")).map(Instruction::args))
                .anyMatch(a -> a.contains("-Dquarkus.package.jar.type=aot-jar"));
        assertThat(fin).anySatisfy(i -> {
            assertThat(i.keyword()).isEqualTo("RUN");
            assertThat(i.args()).contains("aot-train.sh").contains("/app/app.aot");
        });
        String env = fin.stream().filter(i -> i.keyword().equals("ENV")).map(Instruction::args)
                .reduce("", String::concat);
        assertThat(env).contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError")
                .containsAnyOf("-XX:+UseSerialGC", "-XX:+UseG1GC");
        assertThat(DeployFiles.read("deploy/docker/entrypoint.sh")).contains("-XX:AOTCache=").contains("exec java");
        assertThat(DeployFiles.read("deploy/docker/aot-train.sh")).contains("-XX:AOTCacheOutput=");
        for (String script : List.of("entrypoint.sh", "healthcheck.sh", "aot-train.sh")) {
            assertThat(Files.isExecutable(DeployFiles.path("deploy/docker/" + script))).as(script).isTrue();
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
        assertThat(all).anySatisfy(i -> {
            assertThat(i.keyword()).isEqualTo("FROM");
            assertThat(i.args()).startsWith("public.ecr.aws/awsguru/aws-lambda-adapter:");
        });
        assertThat(finalStage(all)).anySatisfy(i -> {
            assertThat(i.keyword()).isEqualTo("COPY");
            assertThat(i.args()).contains("/lambda-adapter").endsWith("/opt/extensions/lambda-adapter");
        });
        String env = finalStage(all).stream().filter(i -> i.keyword().equals("ENV")).map(Instruction::args)
                .reduce("", (a, b) -> a + " " + b);
        assertThat(env).contains("AWS_LWA_INVOKE_MODE=response_stream")
                .contains("AWS_LWA_READINESS_CHECK_PATH=/q/health/ready").contains("AWS_LWA_PORT=8080");

        JsonNode template = DeployFiles.yaml("deploy/lambda/template.yaml");
        JsonNode fn = template.path("Resources").path("GatewayFunction");
        assertThat(fn.path("Type").asText()).isEqualTo("AWS::Serverless::Function");
        JsonNode props = fn.path("Properties");
        assertThat(props.path("PackageType").asText()).isEqualTo("Image");
        assertThat(props.path("FunctionUrlConfig").path("InvokeMode").asText()).isEqualTo("RESPONSE_STREAM");
        assertThat(props.path("Timeout").asInt()).isBetween(60, 900);
        JsonNode vars = props.path("Environment").path("Variables");
        assertThat(vars.path("AWS_LWA_INVOKE_MODE").asText()).isEqualTo("response_stream");
        assertThat(vars.path("AWS_LWA_READINESS_CHECK_PATH").asText()).isEqualTo("/q/health/ready");
        assertThat(template.path("Parameters").path("GatewayApiKeys").path("NoEcho").asBoolean()).isTrue();
        List<String> actions = new ArrayList<>();
        props.path("Policies").forEach(p -> p.path("Statement").forEach(s -> s.path("Action")
                .forEach(a -> actions.add(a.asText()))));
        assertThat(actions).isNotEmpty().allMatch(a -> a.equals("bedrock:InvokeModel")
                || a.equals("bedrock:InvokeModelWithResponseStream"));
    }

    @Test
    void composeRunsTheGatewayAgainstTheSimulatorFromOneImage() {
        JsonNode services = DeployFiles.yaml("deploy/compose/compose.yaml").path("services");
        JsonNode simulator = services.path("simulator");
        JsonNode gateway = services.path("gateway");
        assertThat(simulator.path("image").asText()).isEqualTo(gateway.path("image").asText());
        List<String> entrypoint = new ArrayList<>();
        simulator.path("entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertThat(entrypoint).contains("io.github.bedrockgateway.simulator.SimulatorMain", "--port=8089",
                "--host=0.0.0.0");
        JsonNode env = gateway.path("environment");
        assertThat(env.path("AWS_ENDPOINT_URL_BEDROCK_RUNTIME").asText()).isEqualTo("http://simulator:8089");
        assertThat(env.path("GATEWAY_CREDENTIALS_STRATEGY").asText()).isEqualTo("static");
        // Only AWS's documentation example pair, which the simulator accepts and AWS refuses.
        assertThat(env.path("AWS_ACCESS_KEY_ID").asText()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
        assertThat(env.path("AWS_SECRET_ACCESS_KEY").asText()).endsWith("EXAMPLEKEY");
        assertThat(gateway.path("depends_on").path("simulator").path("condition").asText())
                .isEqualTo("service_healthy");
        assertThat(gateway.path("ports").get(0).asText()).endsWith(":8080");
    }

    @Test
    void invokePolicyGrantsOnlyInferenceOnNamedModels() {
        JsonNode policy = DeployFiles.json("deploy/iam/bedrock-invoke-policy.json");
        assertThat(policy.path("Version").asText()).isEqualTo("2012-10-17");
        List<String> profiles = new ArrayList<>();
        for (JsonNode s : policy.path("Statement")) {
            assertThat(s.path("Effect").asText()).isEqualTo("Allow");
            s.path("Action").forEach(a -> assertThat(a.asText())
                    .isIn("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"));
            assertThat(s.path("Action")).hasSize(2);
            s.path("Resource").forEach(r -> {
                assertThat(r.asText()).doesNotEndWith("/*").isNotEqualTo("*")
                        .matches("arn:aws:bedrock:[a-z0-9-]+:(\\d{12})?:(foundation-model|inference-profile)/.+");
                if (r.asText().contains(":inference-profile/")) {
                    profiles.add(r.asText());
                }
            });
        }
        // Foundation models reached through a profile are allowed only through that profile.
        JsonNode behind = policy.path("Statement").get(1);
        List<String> conditioned = new ArrayList<>();
        behind.path("Condition").path("ArnEquals").path("bedrock:InferenceProfileArn")
                .forEach(a -> conditioned.add(a.asText()));
        assertThat(conditioned).containsExactlyInAnyOrderElementsOf(profiles);
    }

    @Test
    void trustPoliciesFollowIrsaAndPodIdentity() {
        JsonNode irsa = DeployFiles.json("deploy/iam/irsa-trust-policy.json").path("Statement").get(0);
        assertThat(irsa.path("Action").asText()).isEqualTo("sts:AssumeRoleWithWebIdentity");
        assertThat(irsa.path("Principal").path("Federated").asText())
                .matches("arn:aws:iam::\\d{12}:oidc-provider/oidc\\.eks\\.[a-z0-9-]+\\.amazonaws\\.com/id/\\w+");
        JsonNode equals = irsa.path("Condition").path("StringEquals");
        List<String> keys = new ArrayList<>();
        equals.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).anyMatch(k -> k.endsWith(":aud")).anyMatch(k -> k.endsWith(":sub"));
        keys.stream().filter(k -> k.endsWith(":aud"))
                .forEach(k -> assertThat(equals.get(k).asText()).isEqualTo("sts.amazonaws.com"));

        JsonNode pod = DeployFiles.json("deploy/iam/pod-identity-trust-policy.json").path("Statement").get(0);
        assertThat(pod.path("Principal").path("Service").asText()).isEqualTo("pods.eks.amazonaws.com");
        List<String> actions = new ArrayList<>();
        pod.path("Action").forEach(a -> actions.add(a.asText()));
        assertThat(actions).containsExactlyInAnyOrder("sts:AssumeRole", "sts:TagSession");

        JsonNode guardrail = DeployFiles.json("deploy/iam/bedrock-guardrail-policy.json");
        assertThat(guardrail.path("Statement")).anySatisfy(s -> {
            assertThat(s.path("Effect").asText()).isEqualTo("Deny");
            assertThat(s.path("Condition").path("StringNotEquals").has("bedrock:GuardrailIdentifier")).isTrue();
        });
    }
}
