package io.strideback.plan.web;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The clinician pages: the clinic overview ({@code /}, {@code /athletes}) and an athlete's timeline
 * ({@code /athletes/{athleteId}}). One HTML shell for every path; the script in {@code /ui/app.js}
 * reads the path and calls the APIs with the token the clinician entered. The page itself holds no
 * data and is public: every data call carries the bearer token and is scoped to its clinic like any
 * other API call. The load monitor is read cross-origin (CORS), so the shell tells the script where
 * it is ({@code strideback.web.load-monitor-url}).
 */
@Path("/")
@PermitAll
public class ClinicianPages {

    private static final String CHART_JS_POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

    @ConfigProperty(name = "strideback.web.load-monitor-url", defaultValue = "http://127.0.0.1:8083")
    String loadMonitorUrl;

    private volatile String page;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The clinic overview page (HTML)", hidden = true)
    public Response overview() {
        return html();
    }

    @GET
    @Path("athletes")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The clinic overview page (HTML)", hidden = true)
    public Response athletes() {
        return html();
    }

    @GET
    @Path("athletes/{athleteId}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "An athlete's timeline page (HTML)", hidden = true)
    public Response athlete(@PathParam("athleteId") String athleteId) {
        return html();
    }

    private Response html() {
        return PageResources.page(page(), "default-src 'self'; script-src 'self'; connect-src 'self' "
                + PageResources.origin(loadMonitorUrl)
                + "; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    }

    private String page() {
        String p = page;
        if (p == null) {
            String template = PageResources.read("web/page.html");
            p = template.replace("{{loadMonitorUrl}}", PageResources.attribute(PageResources.stripSlash(loadMonitorUrl)))
                    .replace("{{assets}}", assetsVersion())
                    .replace("{{chartJs}}", "/webjars/chart.js/" + chartJsVersion() + "/dist/chart.umd.min.js");
            page = p;
        }
        return p;
    }

    /** The page's scripts and style, fingerprinted together (the shared DOM helpers included). */
    static String assetsVersion() {
        return PageResources.fingerprint("META-INF/resources/shared/dom.js", "META-INF/resources/ui/app.js",
                "META-INF/resources/ui/ostrc.js", "META-INF/resources/ui/app.css");
    }

    /** The Chart.js webjar on the classpath serves the script; its version is in its Maven metadata. */
    static String chartJsVersion() {
        Properties props = new Properties();
        try (InputStream in = PageResources.resource(CHART_JS_POM)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props.getProperty("version");
    }
}
