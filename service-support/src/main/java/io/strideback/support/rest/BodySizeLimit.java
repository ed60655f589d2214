package io.strideback.support.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.strideback.events.EventCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * CONTRACT.md "Errors": a body over 1 MiB is 413, and (issue 12) with a problem+json body, which
 * Quarkus' own limit does not give (it closes the connection with an empty answer). Runs before
 * Quarkus' limit, on every service that has service-support: a declared {@code Content-Length}
 * over the limit is refused at once; a chunked body is counted as it arrives and, when it stays
 * within the limit, handed on whole ({@link BufferedBody}); an HTTP/2 body without a declared length
 * is held to the same limit by Quarkus' reader (413 without a body). A refused body is read and dropped
 * (up to {@link #DRAIN_AT_MOST} more bytes) before the answer, so the client, still sending,
 * reads the 413 instead of a reset connection; then the connection is closed.
 *
 * <p>Paths matching {@code strideback.http.large-body.paths} (regular expressions, e.g. a FIT file
 * upload) take up to {@code strideback.http.large-body.max-size} instead; Quarkus'
 * {@code quarkus.http.limits.max-body-size} must be at least that.
 */
@ApplicationScoped
public class BodySizeLimit {

    /** Where a counted chunked body waits for {@link BufferedBody}. */
    static final String BUFFERED_BODY = "strideback.buffered-body";
    /** A refused body is read and dropped up to this many bytes past the limit, then the connection is closed. */
    static final long DRAIN_AT_MOST = 16L * 1024 * 1024;

    @ConfigProperty(name = "strideback.http.max-body-size", defaultValue = "1M")
    MemorySize maxBodySize;
    @ConfigProperty(name = "strideback.http.large-body.paths")
    Optional<List<String>> largeBodyPaths;
    @ConfigProperty(name = "strideback.http.large-body.max-size", defaultValue = "8M")
    MemorySize largeBodyMaxSize;

    private List<Pattern> largeBodyPatterns = List.of();

    void install(@Observes Router router) {
        largeBodyPatterns = largeBodyPaths.orElse(List.of()).stream().map(Pattern::compile).toList();
        // Before Quarkus' own limit (ROUTE_ORDER_UPLOAD_LIMIT), which would answer without a body.
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::limit);
        // After Quarkus' limit, which sets its own: a body this handler does not count (HTTP/2 without
        // a declared length) is still held to this service's limit by the REST layer's reader.
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(ctx -> {
            if (ctx.get(QUARKUS_MAX_REQUEST_SIZE) != null) {
                ctx.put(QUARKUS_MAX_REQUEST_SIZE, limitFor(ctx.request().path()));
            }
            ctx.next();
        });
    }

    /** Where Quarkus keeps the limit its REST reader applies to a body of unknown length. */
    private static final String QUARKUS_MAX_REQUEST_SIZE = "io.quarkus.max-request-size";

    /** The most bytes a body sent to {@code path} may have. */
    long limitFor(String path) {
        for (Pattern p : largeBodyPatterns) {
            if (path != null && p.matcher(path).matches()) {
                return largeBodyMaxSize.asLongValue();
            }
        }
        return maxBodySize.asLongValue();
    }

    private void limit(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long limit = limitFor(request.path());
        String contentLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean expectsContinue = request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true);
        if (contentLength != null) {
            long declared;
            try {
                declared = Long.parseLong(contentLength.trim());
            } catch (NumberFormatException e) {
                ctx.next(); // not ours to judge: the HTTP layer refuses it
                return;
            }
            if (declared <= limit) {
                ctx.next();
            } else if (expectsContinue || request.isEnded()) {
                tooLarge(ctx, limit); // the client waits for our word before sending: nothing to drain
            } else {
                drainThenRefuse(ctx, limit);
            }
            return;
        }
        // HTTP/1.1 chunked only: an HTTP/2 request read here could not be paused again by the REST
        // layer ("Request has already been read"); an HTTP/2 body without a declared length is held
        // to this limit by Quarkus' reader instead (see install).
        boolean streamed = request.version() != HttpVersion.HTTP_2
                && request.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true);
        if (!streamed || request.isEnded()) {
            ctx.next();
            return;
        }
        Buffer body = Buffer.buffer();
        long[] read = {0};
        request.handler(chunk -> {
            read[0] += chunk.length();
            if (read[0] <= limit) {
                body.appendBuffer(chunk);
            } else if (read[0] > limit + DRAIN_AT_MOST) {
                tooLarge(ctx, limit);
            }
        });
        request.exceptionHandler(ctx::fail);
        request.endHandler(v -> {
            if (read[0] > limit) {
                tooLarge(ctx, limit);
            } else {
                ctx.put(BUFFERED_BODY, body);
                ctx.next();
            }
        });
        if (expectsContinue) {
            ctx.response().writeContinue();
        }
        request.resume();
    }

    private void drainThenRefuse(RoutingContext ctx, long limit) {
        drainThenAnswer(ctx, limit + DRAIN_AT_MOST, () -> tooLarge(ctx, limit));
    }

    /**
     * Reads and drops the request's body (up to {@code atMost} bytes), then gives {@code answer}: a client
     * still sending reads the refusal instead of a reset connection.
     */
    static void drainThenAnswer(RoutingContext ctx, long atMost, Runnable answer) {
        HttpServerRequest request = ctx.request();
        long[] read = {0};
        request.handler(chunk -> {
            read[0] += chunk.length();
            if (read[0] > atMost) {
                answer.run();
            }
        });
        request.exceptionHandler(e -> answer.run());
        request.endHandler(v -> answer.run());
        request.resume();
    }

    private static void tooLarge(RoutingContext ctx, long limit) {
        refuse(ctx, Problem.of(413, "Payload too large",
                "the request body is larger than " + limit + " bytes (" + readable(limit) + ")"));
    }

    /** Answers {@code problem} before the REST layer has read the body, and closes an HTTP/1 connection. */
    static void refuse(RoutingContext ctx, Problem problem) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        byte[] json;
        try {
            json = EventCodec.JSON.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ctx.request().handler(null);
        response.setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (ctx.request().version() == HttpVersion.HTTP_2) {
            response.end(Buffer.buffer(json)); // one stream of a shared connection: only the stream ends
            return;
        }
        response.putHeader(HttpHeaders.CONNECTION, "close")
                .end(Buffer.buffer(json))
                .onComplete(done -> ctx.request().connection().close());
    }

    private static String readable(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB"
                : bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }
}
