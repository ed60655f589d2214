package io.strideback.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * A service's own configuration (src/main/resources/application.properties): what a deployment's
 * ports, images and environment must match.
 */
final class ServiceConfig {

    final String service;
    private final Properties properties = new Properties();
    /** The environment-variable form of every property the file sets, in any profile. */
    private final Set<String> envNames = new TreeSet<>();

    private ServiceConfig(String service) {
        this.service = service;
        try {
            properties.load(new StringReader(Repo.read(service + "/src/main/resources/application.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : properties.stringPropertyNames()) {
            envNames.add(envName(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key));
        }
    }

    static ServiceConfig of(String service) {
        return new ServiceConfig(service);
    }

    /** MicroProfile Config's mapping: every non-alphanumeric character becomes _, then upper case. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** True when the variable sets a property this service's configuration declares. */
    boolean reads(String environmentVariable) {
        return envNames.contains(environmentVariable);
    }

    Set<String> envNames() {
        return envNames;
    }

    String get(String key) {
        return properties.getProperty(key);
    }

    int httpPort() {
        return Integer.parseInt(properties.getProperty("quarkus.http.port"));
    }

    /** Issue 16: where /q/metrics is served (the management interface), never the API port. */
    int managementPort() {
        assert "true".equals(properties.getProperty("quarkus.management.enabled")) : service + " has no management interface";
        return Integer.parseInt(properties.getProperty("quarkus.management.port"));
    }

    /** The consumer groups of the service's channels, with ${...} references resolved. */
    java.util.List<String> consumerGroups() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".group.id")) {
                String value = properties.getProperty(key);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([^}:]+)}").matcher(value);
                out.add(m.replaceAll(r -> java.util.regex.Matcher.quoteReplacement(properties.getProperty(r.group(1), r.group(0)))));
            }
        }
        return out;
    }

    /**
     * False for a service that runs without PostgreSQL: the load monitor keeps its state in Kafka Streams
     * stores (issue 14, {@code quarkus.datasource.active=false}).
     */
    boolean hasDatabase() {
        return !"false".equals(properties.getProperty("quarkus.datasource.active"));
    }

    /** The database the service's own local URL names (jdbc:postgresql://host:port/DB). */
    String database() {
        String url = properties.getProperty("quarkus.datasource.jdbc.url");
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** The image Quarkus builds: group/name, tagged with the project version. */
    String imageRepository() {
        return get("quarkus.container-image.group") + "/" + get("quarkus.container-image.name");
    }

    /** SmallRye Health's endpoints under the non-application root, as a probe must call them. */
    String healthPath(String check) {
        String root = properties.getProperty("quarkus.http.non-application-root-path", "q");
        String health = properties.getProperty("quarkus.smallrye-health.root-path", "health");
        return "/" + root + "/" + health + (check.isEmpty() ? "" : "/" + check);
    }

    String metricsPath() {
        String root = properties.getProperty("quarkus.http.non-application-root-path", "q");
        return "/" + root + "/" + properties.getProperty("quarkus.micrometer.export.prometheus.path", "metrics");
    }
}
