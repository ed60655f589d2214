package io.strideback.plan.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * CONTRACT "{@code POST /api/v1/adjustments/{id}/approve}, {@code .../reject} | 200": a rejection names no body, and
 * one posted as an approval is (no body, no Content-Type) was 415 "a body without a Content-Type", while the same
 * approval was 200 (round 21, from outside). A plan-service call sent with no body at all and no Content-Type is read
 * as JSON with nothing in it: a rejection without a reason, and a phase change, a clearance or a policy without their
 * fields a 400 naming them (each call already answers a missing body so), never a 415 about a body that was not sent.
 * A body that is there keeps its Content-Type and its checks.
 */
public class EmptyBodyAsJson {

    @ServerRequestFilter(preMatching = true)
    public void readNoBodyAsJson(ContainerRequestContext request) {
        String method = request.getMethod();
        if (!("POST".equals(method) || "PUT".equals(method))
                || request.getHeaderString(HttpHeaders.CONTENT_TYPE) != null || hasBody(request)) {
            return;
        }
        request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
    }

    /** A declared length above 0 or a chunked body (HTTP/1.1); a request with neither has no body. */
    private static boolean hasBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.trim().equals("0");
        }
        String transfer = request.getHeaderString("Transfer-Encoding");
        return transfer != null && !transfer.isBlank();
    }
}
