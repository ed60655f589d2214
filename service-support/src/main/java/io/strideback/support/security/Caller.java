package io.strideback.support.security;

import io.strideback.support.rest.ProblemException;
import io.strideback.support.rest.TextRules;
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
    /**
     * Issue 18: the runner themselves. The token names the athlete in {@code athlete_id} (or in {@code sub});
     * an athlete may post and read their own data only, see {@link #mayActFor(String)}.
     */
    public static final String ATHLETE = "athlete";
    /** The claim naming the athlete a runner's token speaks for; without it, {@code sub}. */
    public static final String ATHLETE_ID_CLAIM = "athlete_id";

    @Inject
    JsonWebToken jwt;

    /** The caller's clinic; a token without one may do nothing (403). */
    public String clinicId() {
        Object clinic = jwt.getClaim("clinic");
        String value = clinic == null ? null : clinic.toString().replace("\"", "");
        if (value == null || value.isBlank()) {
            throw ProblemException.forbidden("the token names no clinic");
        }
        // The clinic goes into every record's header; the readers park a header with a control character
        // (EventCodec), so such a claim is refused here rather than answered 202 and never applied.
        TextRules.lineProblem(value, TextRules.MAX_ID).ifPresent(problem -> {
            throw ProblemException.forbidden("the token's clinic " + problem);
        });
        return value;
    }

    public String subject() {
        return jwt.getSubject();
    }

    /**
     * Whether this is a runner's own token (role {@link #ATHLETE}); a token that also carries a clinic role
     * is the clinic's and is not narrowed.
     */
    public boolean isAthlete() {
        var groups = jwt.getGroups();
        return groups != null && groups.contains(ATHLETE)
                && !groups.contains(CLINICIAN) && !groups.contains(CLINIC_ADMIN) && !groups.contains(DEVICE);
    }

    /** The athlete a runner's token speaks for: the {@code athlete_id} claim, else {@code sub}; null for other callers. */
    public String ownAthleteId() {
        if (!isAthlete()) {
            return null;
        }
        Object claim = jwt.getClaim(ATHLETE_ID_CLAIM);
        String value = claim == null ? null : claim.toString().replace("\"", "");
        return value == null || value.isBlank() ? jwt.getSubject() : value;
    }

    /**
     * The one check every athlete-scoped endpoint makes (issue 18): a runner may act only for themselves.
     * Another athlete's id is 404, exactly like an athlete of another clinic (CONTRACT.md "Auth and
     * tenancy": never reveal that it exists). Clinic roles pass; their clinic scoping is the store's.
     */
    public void mayActFor(String athleteId) {
        if (isAthlete() && (athleteId == null || !athleteId.equals(ownAthleteId()))) {
            throw ProblemException.notFound("athlete " + athleteId);
        }
    }
}
