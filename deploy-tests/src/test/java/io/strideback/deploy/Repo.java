package io.strideback.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The repository the deployment files live in, and the services they deploy. */
final class Repo {

    /** The three services, their HTTP port in the contract and the database they own. */
    static final List<String> SERVICES = List.of("intake-service", "load-monitor-service", "plan-service");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private Repo() {
    }

    static Path root() {
        return Path.of(System.getProperty("strideback.repo", "..")).toAbsolutePath().normalize();
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    /** The project version the images are tagged with (the Maven build's). */
    static String version() {
        return System.getProperty("strideback.version", "0.1.0-SNAPSHOT");
    }

    static String read(String relative) {
        return read(path(relative));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode yaml(String relative) {
        try {
            return YAML.readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(relative + " is not valid YAML", e);
        }
    }

    /** Every document of a multi-document YAML text. */
    static List<JsonNode> yamlDocuments(String text) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(text)) {
            List<JsonNode> out = new ArrayList<>();
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
                    out.add(doc);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("not valid YAML", e);
        }
    }

    static List<Path> files(String dir, String... suffixes) {
        try (Stream<Path> s = Files.walk(path(dir))) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(suffixes).anyMatch(x -> p.getFileName().toString().endsWith(x)))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Java sources of a module's main code. */
    static Map<Path, String> mainSources(String module) {
        Map<Path, String> out = new java.util.TreeMap<>();
        for (Path p : files(module + "/src/main/java", ".java")) {
            out.put(p, read(p));
        }
        return out;
    }
}
