package io.strideback.plan.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** What the clinician pages and the runner's page both need: their files on the classpath, origins, attributes. */
final class PageResources {

    private PageResources() {
    }

    static String read(String name) {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InputStream resource(String name) {
        InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the classpath");
        }
        return in;
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** scheme://host[:port] of a URL, as a Content-Security-Policy source. */
    static String origin(String url) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    }

    /**
     * A fingerprint of a page's scripts and styles: Quarkus serves static files as cacheable, so their
     * URLs ({@code ?v=}) change whenever their content does.
     */
    static String fingerprint(String... assets) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String asset : assets) {
                try (InputStream in = resource(asset)) {
                    sha.update(in.readAllBytes());
                }
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A page's HTML shell with the headers every page carries: never cached (its script URLs change), no
     * referrer, no sniffing, and its own Content-Security-Policy (the origins it may call).
     */
    static Response page(String html, String contentSecurityPolicy) {
        return Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", contentSecurityPolicy)
                .build();
    }

    /** Escapes a value for an HTML attribute. */
    static String attribute(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
