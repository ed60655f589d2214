package io.strideback.support.security;

import io.strideback.support.rest.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, from the verified JWT (CONTRACT.md "Auth and tenancy"): the clinic is the
 * tenant and every read and write is scoped to it.
 */
@RequestScoped
public class Caller {

    public static final String CLINICIAN = "clinician";
    public static final String DEVICE = "device";
    public static final String OPS = "ops";
    /**
     * CONTRACT v2: everything a clinician may do (each service maps the role to {@link #CLINICIAN} too, see
     * {@code quarkus.http.auth.roles-mapping}), plus the clinic's settings.
     */
    public static final String CLINIC_ADMIN = "clinic-admin";

    @Inject
    JsonWebToken jwt;

    /** The caller's clinic; a token without one may do nothing (403). */
    public String clinicId() {
        Object clinic = jwt.getClaim("clinic");
        String value = clinic == null ? null : clinic.toString().replace("\"", "");
        if (value == null || value.isBlank()) {
            throw ProblemException.forbidden("the token names no clinic");
        }
        return value;
    }

    public String subject() {
        return jwt.getSubject();
    }
}
