package io.strideback.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A broker of its own for a broker-down test (a test profile's resource): on a fixed port and a kept log
 * directory, so it can be stopped and started again where the service expects it, with the records it
 * already held. The shared broker of {@link KafkaResource} is never stopped.
 */
public class StoppableBroker implements QuarkusTestResourceLifecycleManager {

    private static final int PORT = FreePorts.next();
    private static Path logDir;
    private static LocalKafka broker;

    @Override
    public synchronized Map<String, String> start() {
        try {
            logDir = Files.createTempDirectory("stoppable-broker").resolve("log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = LocalKafka.start(PORT, logDir);
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    public static String bootstrapServers() {
        return "127.0.0.1:" + PORT;
    }

    public static synchronized void stopBroker() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** Starts the broker again on the same port with the same log. */
    public static synchronized void restartBroker() {
        if (broker == null) {
            broker = LocalKafka.start(PORT, logDir);
        }
    }

    @Override
    public synchronized void stop() {
        stopBroker();
        if (logDir != null) {
            try (Stream<Path> files = Files.walk(logDir.getParent())) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A temporary directory: left for the OS to clean.
            }
        }
    }
}
