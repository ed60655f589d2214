package io.strideback.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A real PostgreSQL for {@code @QuarkusTest}s, shared by every profile of the test JVM. The init
 * arg {@code database} names the service's own database. An external server is honoured: when
 * {@code QUARKUS_DATASOURCE_JDBC_URL} is set nothing is started and that URL is used.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static LocalPostgres postgres;
    private String database = "postgres";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    public static synchronized LocalPostgres server() {
        if (postgres == null) {
            postgres = LocalPostgres.start(0, null);
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close));
        }
        return postgres;
    }

    @Override
    public Map<String, String> start() {
        String external = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        if (external != null && !external.isBlank()) {
            return Map.of("quarkus.datasource.jdbc.url", external);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", server().jdbcUrl(database),
                "quarkus.datasource.username", LocalPostgres.USER,
                "quarkus.datasource.password", LocalPostgres.PASSWORD);
    }

    @Override
    public void stop() {
        // Kept for the next profile in this JVM; closed by the shutdown hook.
    }
}
