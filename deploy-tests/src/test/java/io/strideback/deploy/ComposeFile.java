package io.strideback.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of the Compose Specification that docker-compose.yml uses, as strict records: a key
 * the model does not know (a typo such as {@code depend_on} or {@code healtcheck}, which Compose
 * would reject or silently ignore) fails the parse.
 */
record ComposeFile(String name, Map<String, Service> services, Map<String, Volume> volumes) {

    record Service(String image, Build build, String hostname, List<String> command, List<String> entrypoint,
                   Map<String, String> environment, List<String> ports, List<String> volumes,
                   Healthcheck healthcheck, Map<String, Dependency> depends_on, String restart,
                   List<String> profiles, String network_mode, String stop_grace_period) {
    }

    record Build(String context, String dockerfile) {
    }

    record Healthcheck(List<String> test, String interval, String timeout, Integer retries, String start_period) {
    }

    record Dependency(String condition) {
    }

    record Volume() {
    }

    static ComposeFile load() {
        ObjectMapper strict = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try {
            return strict.readValue(Repo.path("docker-compose.yml").toFile(), ComposeFile.class);
        } catch (IOException e) {
            throw new UncheckedIOException("docker-compose.yml does not fit the Compose model: " + e.getMessage(), e);
        }
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::-([^}]*)|(:\\?[^}]*))?}");

    /** Compose interpolation with no variables set: {@code ${X:-default}} becomes its default. */
    static String interpolate(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (m.group(3) != null) {
                // ${X:?message}: a secret compose/secrets.sh generates into .env; compose refuses to start without it.
                m.appendReplacement(out, Matcher.quoteReplacement("<" + m.group(1) + " from .env>"));
                continue;
            }
            if (m.group(2) == null) {
                throw new AssertionError("${" + m.group(1) + "} has no default: `docker compose up` needs it set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
