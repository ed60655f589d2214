package io.strideback.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * RS256 JWTs with the claims of CONTRACT.md ("Auth and tenancy"): {@code sub}, {@code clinic}
 * and {@code groups}. Signed with the local key; the services only ever see the public half.
 */
public final class Tokens {

    public static final String ISSUER = "strideback";
    /** The audience every service requires (CONTRACT v2: {@code aud} contains {@code strideback}). */
    public static final String AUDIENCE = "strideback";
    /** CONTRACT v2: the launcher's default lifetime; the services refuse more than 12 h. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(8);
    /** Issue 18: the runner's own role, and the claim naming which runner (service-support's Caller reads both). */
    public static final String ATHLETE = "athlete";
    public static final String ATHLETE_ID_CLAIM = "athlete_id";
    /** The {@code kid} of the local key, in every token's header and in {@link JwksServer}'s key set. */
    public static final String KEY_ID = "strideback-local";

    private Tokens() {
    }

    public static String issue(String clinic, String role) {
        return issue(LocalKeys.loadOrCreate(LocalKeys.defaultDir()).getPrivate(), role + "@" + clinic, clinic,
                List.of(role), DEFAULT_TTL);
    }

    /**
     * Issue 18: a runner's own token, role {@code athlete}, naming the athlete in {@code sub} and in
     * {@code athlete_id}: the services let it post and read that athlete's data only.
     */
    public static String issueAthlete(String clinic, String athleteId) {
        Instant now = Instant.now();
        return issue(LocalKeys.loadOrCreate(LocalKeys.defaultDir()).getPrivate(), athleteId, clinic, List.of(ATHLETE),
                now, now.plus(DEFAULT_TTL), AUDIENCE, athleteId);
    }

    public static String issue(PrivateKey key, String subject, String clinic, Collection<String> groups, Duration ttl) {
        return issue(key, subject, clinic, groups, Instant.now(), Instant.now().plus(ttl));
    }

    public static String issue(PrivateKey key, String subject, String clinic, Collection<String> groups,
                               Instant issuedAt, Instant expiresAt) {
        return issue(key, subject, clinic, groups, issuedAt, expiresAt, AUDIENCE);
    }

    /** A token for {@code audience}, or with no {@code aud} claim when it is null (tests mint bad ones). */
    public static String issue(PrivateKey key, String subject, String clinic, Collection<String> groups,
                               Instant issuedAt, Instant expiresAt, String audience) {
        return issue(key, subject, clinic, groups, issuedAt, expiresAt, audience, null);
    }

    /** As above, with an {@code athlete_id} claim when {@code athleteId} is not null (a runner's token). */
    public static String issue(PrivateKey key, String subject, String clinic, Collection<String> groups,
                               Instant issuedAt, Instant expiresAt, String audience, String athleteId) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + KEY_ID + "\"}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + json(subject) + "\",\"upn\":\"" + json(subject)
                + "\",\"clinic\":\"" + json(clinic) + "\",\"groups\":["
                + groups.stream().map(g -> "\"" + json(g) + "\"").collect(Collectors.joining(","))
                + "]" + (athleteId == null ? "" : ",\"" + ATHLETE_ID_CLAIM + "\":\"" + json(athleteId) + "\"")
                + (audience == null ? "" : ",\"aud\":\"" + json(audience) + "\"") + ",\"iat\":" + issuedAt.getEpochSecond() + ",\"exp\":" + expiresAt.getEpochSecond()
                + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /** A claim of a token, read without verifying it (tests need a token's {@code jti} to revoke it). */
    public static String claim(String token, String name) {
        String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + java.util.regex.Pattern.quote(name)
                + "\":\"?([^\",}]*)").matcher(claims);
        return m.find() ? m.group(1) : null;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * {@code Tokens --clinic ID --role ROLE [--athlete ATHLETE_ID] [--sub SUBJECT] [--audience AUD] [--ttl-hours H]}:
     * prints a token alone; role {@code athlete} needs {@code --athlete} (its {@code sub} and
     * {@code athlete_id}). Any audience and lifetime are minted, so tests can make tokens the services must refuse.
     */
    public static void main(String[] args) {
        String clinic = null;
        String role = null;
        String sub = null;
        String athlete = null;
        String audience = AUDIENCE;
        double ttlHours = DEFAULT_TTL.toHours();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--clinic" -> clinic = args[i + 1];
                case "--role" -> role = args[i + 1];
                case "--sub" -> sub = args[i + 1];
                case "--athlete" -> athlete = args[i + 1];
                case "--audience" -> audience = args[i + 1];
                case "--ttl-hours" -> ttlHours = Double.parseDouble(args[i + 1]);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (clinic == null || role == null) {
            usage("--clinic and --role are required");
        }
        if (!List.of("clinician", "clinic-admin", "device", "ops", ATHLETE).contains(role)) {
            usage("role must be clinician, clinic-admin, device, ops or athlete");
        }
        if (ATHLETE.equals(role) != (athlete != null)) {
            usage(ATHLETE.equals(role) ? "--role athlete needs --athlete ATHLETE_ID" : "--athlete goes with --role athlete only");
        }
        var key = LocalKeys.loadOrCreate(LocalKeys.defaultDir()).getPrivate();
        Instant now = Instant.now();
        String subject = sub != null ? sub : athlete != null ? athlete : role + "@" + clinic;
        System.out.println(issue(key, subject, clinic, List.of(role), now,
                now.plusSeconds(Math.round(ttlHours * 3600)), audience, athlete));
    }

    private static void usage(String problem) {
        System.err.println("token: " + problem + "\nusage: ./strideback token --clinic ID --role clinician|clinic-admin|device|ops"
                + " [--audience AUD] [--ttl-hours H]\n       ./strideback token --clinic ID --role athlete --athlete ATHLETE_ID");
        System.exit(2);
    }
}
