package io.github.bedrockgateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Paths, YAML/JSON reading and secret patterns shared by the deployment-file tests. */
final class DeployFiles {

    /**
     * The repository root, where Dockerfile, deploy/ and the aggregator POM live. Surefire runs the tests
     * from the module directory (gateway/), so this walks up from there to the first directory holding
     * both {@code mvnw} and {@code deploy/}.
     */
    static final Path ROOT = repositoryRoot(Path.of("").toAbsolutePath());

    static final YAMLMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    /** Access key ids (long-term AKIA, temporary ASIA) and the shapes of secret keys. */
    static final Pattern AWS_ACCESS_KEY_ID = Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b");
    static final Pattern AWS_SECRET_KEY = Pattern.compile("(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])");
    /** Environment or property names that must never hold a literal value in an image or a manifest. */
    static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)^(?!.*_FILE$).*(SECRET|PASSWORD|PASSWD|TOKEN|ACCESS_KEY|API_KEYS?|PRIVATE_KEY).*");

    private DeployFiles() {
    }

    static Path repositoryRoot(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("deploy"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (a directory with mvnw and deploy/) above " + start);
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String relative) {
        try {
            return JSON.readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode yaml(String relative) {
        return yamlDocuments(read(relative)).get(0);
    }

    static List<JsonNode> yamlDocuments(String text) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            List<JsonNode> docs = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
