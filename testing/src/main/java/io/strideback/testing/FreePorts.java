package io.strideback.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free TCP ports for the servers the tests start, handed out below the kernel's ephemeral range.
 * <p>
 * A port the kernel picks ({@code new ServerSocket(0)}) comes from the ephemeral range (32768-60999 on Linux,
 * 49152-65535 on macOS and Windows), the same range every outgoing connection takes its local port from. Between this
 * check and the server's own bind, any client connection of the running stack could take it: in round 12's CI a
 * plan-service replica of ReplicaKillIT found its management port "already in use" and never started. Ports from
 * 20000-31999 are never given to an outgoing connection; each one is handed out once per JVM, from a random start
 * so that two JVMs rarely try the same ones, and only if it can be bound on every address right now.
 */
public final class FreePorts {

    static final int FIRST = 20_000;
    private static final int COUNT = 12_000;
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(COUNT));

    private FreePorts() {
    }

    public static int next() {
        return next(NEXT);
    }

    /** The first port from {@code cursor} on (its value counts from {@link #FIRST}) that can be bound now. */
    static int next(AtomicInteger cursor) {
        for (int tried = 0; tried < COUNT; tried++) {
            int port = FIRST + Math.floorMod(cursor.getAndIncrement(), COUNT);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free TCP port in " + FIRST + "-" + (FIRST + COUNT - 1));
    }

    /** Whether a server could listen on {@code port} on every address now (what the services do). */
    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
