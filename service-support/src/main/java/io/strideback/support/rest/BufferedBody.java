package io.strideback.support.rest;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.io.ByteArrayInputStream;

/**
 * Hands a chunked body that {@link BodySizeLimit} has counted (and so already read) to the REST
 * layer as the request's entity, which it would otherwise read again from the finished request.
 */
public class BufferedBody {

    @ServerRequestFilter
    public void useCountedBody(ContainerRequestContext request, RoutingContext routing) {
        Buffer body = routing.get(BodySizeLimit.BUFFERED_BODY);
        if (body != null) {
            request.setEntityStream(new ByteArrayInputStream(body.getBytes()));
        }
    }
}
