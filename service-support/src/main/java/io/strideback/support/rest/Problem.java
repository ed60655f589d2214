package io.strideback.support.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** RFC 9457 problem details, the body of every error answer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String detail) {
        return new Problem(typeFor(status), title, status, detail, null);
    }

    /** A problem of its status' type that names the fields it is about. */
    public static Problem of(int status, String title, String detail, List<FieldError> errors) {
        return new Problem(typeFor(status), title, status, detail, errors);
    }

    public static Problem invalid(int status, String detail, List<FieldError> errors) {
        return new Problem("https://strideback.io/problems/validation", "Invalid request", status, detail, errors);
    }

    private static String typeFor(int status) {
        return switch (status) {
            case 401 -> "https://strideback.io/problems/unauthenticated";
            case 403 -> "https://strideback.io/problems/forbidden";
            case 404 -> "https://strideback.io/problems/not-found";
            case 409 -> "https://strideback.io/problems/conflict";
            case 410 -> "https://strideback.io/problems/gone";
            case 413 -> "https://strideback.io/problems/too-large";
            case 422 -> "https://strideback.io/problems/unprocessable";
            case 503 -> "https://strideback.io/problems/unavailable";
            default -> status >= 500 ? "https://strideback.io/problems/internal" : "about:blank";
        };
    }
}
