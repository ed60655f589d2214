package io.strideback.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny JSON Web Key Set endpoint, as a clinic's OpenID Connect provider publishes its signing keys
 * (Keycloak: {@code /realms/<realm>/protocol/openid-connect/certs}). Serves the local key's public
 * half under the {@code kid} {@link Tokens} puts in every token, so a service configured with
 * {@code mp.jwt.verify.publickey.location=<url>} verifies the tests' tokens through it.
 */
public final class JwksServer implements AutoCloseable {

    public static final String PATH = "/realms/strideback/protocol/openid-connect/certs";

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private JwksServer(HttpServer server) {
        this.server = server;
    }

    public static JwksServer start(RSAPublicKey key) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            JwksServer jwks = new JwksServer(server);
            byte[] body = jwks(key).getBytes(StandardCharsets.UTF_8);
            server.createContext(PATH, exchange -> {
                jwks.requests.incrementAndGet();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return jwks;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve a JWKS", e);
        }
    }

    /** The key set: one RS256 signing key with the local key's {@code kid}. */
    public static String jwks(RSAPublicKey key) {
        return "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"" + Tokens.KEY_ID + "\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
                + b64(key.getModulus()) + "\",\"e\":\"" + b64(key.getPublicExponent()) + "\"}]}";
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** How often the key set was fetched: a service verifying through it fetched it at least once. */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) { // unsigned, as RFC 7518 6.3.1 wants
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
