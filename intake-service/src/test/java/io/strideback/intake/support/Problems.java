package io.strideback.intake.support;

/** The problem {@code type}s and {@code title}s intake answers with. */
public final class Problems {

    public static final String VALIDATION = "https://strideback.io/problems/validation";
    public static final String INVALID_REQUEST = "Invalid request";
    public static final String UNAUTHENTICATED = "https://strideback.io/problems/unauthenticated";
    public static final String FORBIDDEN = "https://strideback.io/problems/forbidden";
    public static final String NOT_FOUND = "https://strideback.io/problems/not-found";
    public static final String UNPROCESSABLE = "https://strideback.io/problems/unprocessable";
    public static final String UNAVAILABLE = "https://strideback.io/problems/unavailable";
    /** Issue 16: a post for an erased athlete. */
    public static final String GONE = "https://strideback.io/problems/gone";

    private Problems() {
    }
}
