package io.strideback.intake.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.strideback.support.rest.Problem;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * What intake answers (CONTRACT.md intake section), as REST records apart from the event schema, so /q/openapi
 * describes every response (issue 17).
 */
public final class IntakeAnswers {

    /** The 410 of every post about an athlete, as each call's document says it. */
    static final String ERASED_ATHLETE = "the athlete was erased by the clinic (CONTRACT v2: new posts for an erased athlete get 404 or 410)";
    private IntakeAnswers() {
    }

    @Schema(name = "Enrolled")
    public record Enrolled(@Schema(required = true) String athleteId) {
    }

    @Schema(name = "EventAccepted", description = "the event is durably in the event log (acks=all)")
    public record EventAccepted(@Schema(required = true) String eventId) {
    }

    @Schema(name = "Erased", description = "the athlete is erased: data key destroyed, athlete.erased on the topic")
    public record Erased(@Schema(required = true) String athleteId, @Schema(required = true) java.time.Instant erasedAt) {
    }

    @Schema(name = "BatchAnswer", description = "one result per item, in the items' order")
    public record BatchAnswer(List<BatchResult> results) {
    }

    @Schema(name = "BatchResult")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BatchResult(int index, @Schema(description = "202, or the status a single post would have answered")
                              int status, @Schema(description = "when accepted") String eventId,
                              @Schema(description = "when refused: RFC 9457 problem") Problem problem) {
    }
}
