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


/**
 * Issue 18: the runner's own page, {@code /me} (the athlete named by the runner's token) or
 * {@code /me/{athleteId}} (the link a clinic hands out). Mobile first: Today, "How does the calf feel?",
 * log a session, my flare-ups. Like the clinician pages the page holds no data and is public: the
 * script in {@code /runner/me.js} calls the three services with the runner's {@code athlete} token, and
 * the services answer only for that athlete. Intake and the load monitor are reached cross-origin
 * (CORS), so the page is told where they are.
 */
@Path("/me")
@PermitAll
public class RunnerPages {

    private static final String[] ASSETS = {"META-INF/resources/shared/dom.js", "META-INF/resources/runner/me.js",
            "META-INF/resources/runner/me.css"};

    @ConfigProperty(name = "strideback.web.intake-url", defaultValue = "http://127.0.0.1:8081")
    String intakeUrl;
    @ConfigProperty(name = "strideback.web.load-monitor-url", defaultValue = "http://127.0.0.1:8083")
    String loadMonitorUrl;

    @jakarta.inject.Inject
    io.strideback.plan.erasure.AthleteErasure erasure;

    private volatile String page;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The runner's own page (HTML)", hidden = true)
    public Response me() {
        return html();
    }

    @GET
    @Path("{athleteId}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The runner's own page for the athlete of the link (HTML)", hidden = true)
    public Response meFor(@PathParam("athleteId") String athleteId) {
        if (erasure.isErasedAnywhere(athleteId)) {
            // CONTRACT v2 erasure: the link of an erased athlete leads nowhere.
            return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                    .header("Cache-Control", "no-store").entity("Not found").build();
        }
        return html();
    }

    private Response html() {
        return PageResources.page(page(), "default-src 'self'; script-src 'self'; connect-src 'self' "
                + PageResources.origin(intakeUrl) + " " + PageResources.origin(loadMonitorUrl)
                + "; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    }

    private String page() {
        String p = page;
        if (p == null) {
            p = PageResources.read("web/me.html")
                    .replace("{{intakeUrl}}", PageResources.attribute(PageResources.stripSlash(intakeUrl)))
                    .replace("{{loadMonitorUrl}}", PageResources.attribute(PageResources.stripSlash(loadMonitorUrl)))
                    .replace("{{assets}}", assetsVersion());
            page = p;
        }
        return p;
    }

    /** The page's scripts and style, fingerprinted together (the shared DOM helpers included). */
    static String assetsVersion() {
        return PageResources.fingerprint(ASSETS);
    }
}
