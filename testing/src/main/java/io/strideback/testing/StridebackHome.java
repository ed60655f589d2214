package io.strideback.testing;

import java.nio.file.Path;

/**
 * The local run's working directory ({@code .strideback/} at the repository root): PostgreSQL
 * binaries, data, the local signing key. Maven passes it as the {@code strideback.home} system
 * property; otherwise the {@code STRIDEBACK_HOME} variable or {@code ./.strideback}.
 */
public final class StridebackHome {
    private StridebackHome() {
    }

    public static Path dir() {
        String prop = System.getProperty("strideback.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        String env = System.getenv("STRIDEBACK_HOME");
        return Path.of(env != null && !env.isBlank() ? env : ".strideback").toAbsolutePath();
    }
}
