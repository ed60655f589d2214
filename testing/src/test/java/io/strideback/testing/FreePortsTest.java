package io.strideback.testing;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTest {

    @Test
    void ports_are_distinct_bindable_and_below_every_systems_ephemeral_range() throws Exception {
        // given the ports a stack of two replicas of each service, a broker and a database would take
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            ports.add(FreePorts.next());
        }
        // then each is handed out once, none is one an outgoing connection could take, and each can be listened on
        assertThat(ports).hasSize(40).allSatisfy(port -> assertThat(port).isBetween(20_000, 31_999));
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(port), 1);
            }
        }
    }

    @Test
    void a_port_something_listens_on_is_skipped() throws Exception {
        // given a listener of another program on the port the cursor points at
        int taken = FreePorts.next();
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress(taken), 1);
            // when a port is asked for from there, then the next one that is free comes back instead
            int port = FreePorts.next(new AtomicInteger(taken - FreePorts.FIRST));
            assertThat(port).isNotEqualTo(taken).isBetween(20_000, 31_999);
        }
    }
}
