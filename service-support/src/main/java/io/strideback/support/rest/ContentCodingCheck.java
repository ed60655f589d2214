package io.strideback.support.rest;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A request body in a content coding ({@code Content-Encoding: gzip}, {@code br}, ...) is 415 with a
 * problem and {@code Accept-Encoding: identity} (RFC 7694 section 3), on every service: the services take
 * bodies as sent (review r9: a gzip body was a "Malformed JSON" 400, as if the client had sent bad JSON).
 * Decoding gzip ourselves would need the size limits on the decoded bytes (a zip bomb) and gains nothing
 * for bodies of at most 1 MiB (8 MiB for a FIT file, itself compact binary). Runs before
 * {@link BodySizeLimit}: a refused body is not buffered, only drained.
 */
@ApplicationScoped
public class ContentCodingCheck {

    /** A refused body is read and dropped up to this many bytes before the answer, then the connection is closed. */
    static final long DRAIN_AT_MOST = BodySizeLimit.DRAIN_AT_MOST;

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2).handler(ContentCodingCheck::check);
    }

    static void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String coding = codingOtherThanIdentity(request.headers().getAll(HttpHeaders.CONTENT_ENCODING));
        if (coding == null || !hasBody(request)) {
            ctx.next();
            return;
        }
        ctx.response().putHeader(HttpHeaders.ACCEPT_ENCODING, "identity");
        Runnable refuse = () -> BodySizeLimit.refuse(ctx, Problem.of(415, "Unsupported content coding",
                "request bodies are taken without a content coding; send the body as it is, without Content-Encoding: "
                        + coding));
        if (request.isEnded()) {
            refuse.run();
        } else {
            BodySizeLimit.drainThenAnswer(ctx, DRAIN_AT_MOST, refuse);
        }
    }

    /** The first coding named that is not {@code identity}, or null; never echoes more than a short token. */
    static String codingOtherThanIdentity(java.util.List<String> headers) {
        for (String header : headers) {
            for (String part : header.split(",")) {
                String coding = part.trim();
                if (!coding.isEmpty() && !coding.equalsIgnoreCase("identity")) {
                    return coding.length() <= 20 && coding.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+") ? coding : "(unreadable)";
                }
            }
        }
        return null;
    }

    /**
     * Whether the request may carry a body: a Content-Length above 0, chunked, or HTTP/2 without a length (its end of
     * stream is not known before the body is read, and a small body may already be in by then).
     */
    public static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.trim().equals("0");
        }
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true)
                || request.version() == io.vertx.core.http.HttpVersion.HTTP_2;
    }
}
