package io.strideback.support.messaging;

import io.strideback.events.UnreadableEventException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.DateTimeException;

import static io.strideback.support.messaging.Failures.Kind.DETERMINISTIC;
import static io.strideback.support.messaging.Failures.Kind.TRANSIENT;
import static org.assertj.core.api.Assertions.assertThat;

/** Which failures park a record and which are retried from it (issue 12, item 2). */
class FailuresTest {

    private static SQLException sql(String state) {
        return new SQLException("ERROR: from PostgreSQL", state);
    }

    /** As a transaction helper throws it: the database's exception two levels down. */
    private static RuntimeException wrapped(Throwable cause) {
        return new IllegalStateException("plan store unavailable", new RuntimeException("rolled back", cause));
    }

    @Test
    void what_the_record_carries_and_the_database_refuses_is_deterministic() {
        assertThat(Failures.classify(sql("22P05"))).as("unsupported Unicode escape (a NUL in a note)")
                .isEqualTo(DETERMINISTIC);
        assertThat(Failures.classify(wrapped(sql("22008")))).as("datetime out of range").isEqualTo(DETERMINISTIC);
        assertThat(Failures.classify(sql("23505"))).as("unique violation").isEqualTo(DETERMINISTIC);
        assertThat(Failures.classify(sql("54000"))).as("program limit exceeded (a row too big)").isEqualTo(DETERMINISTIC);
        assertThat(Failures.classify(new UnreadableEventException("data is not valid JSON"))).isEqualTo(DETERMINISTIC);
        assertThat(Failures.classify(wrapped(new ArithmeticException("long overflow")))).isEqualTo(DETERMINISTIC);
        assertThat(Failures.classify(new DateTimeException("Instant exceeds minimum"))).isEqualTo(DETERMINISTIC);
        assertThat(Failures.classify(new NumberFormatException("For input string"))).isEqualTo(DETERMINISTIC);
        assertThat(Failures.classify(wrapped(new com.fasterxml.jackson.core.JsonParseException(null, "stored payload"))))
                .as("stored JSON that cannot be parsed: an IOException, but it fails the same way again")
                .isEqualTo(DETERMINISTIC);
        assertThat(Failures.classify(new RecordTooLargeException("larger than max.request.size"))).isEqualTo(DETERMINISTIC);
        assertThat(Failures.classify(new NullPointerException())).as("code that throws on an input keeps throwing")
                .isEqualTo(DETERMINISTIC);
    }

    @Test
    void the_database_or_broker_being_down_is_transient() {
        assertThat(Failures.classify(sql("08001"))).as("connection refused").isEqualTo(TRANSIENT);
        assertThat(Failures.classify(wrapped(sql("08006")))).as("connection failure").isEqualTo(TRANSIENT);
        assertThat(Failures.classify(sql("57P01"))).as("admin shutdown").isEqualTo(TRANSIENT);
        assertThat(Failures.classify(sql("57P03"))).as("cannot connect now").isEqualTo(TRANSIENT);
        assertThat(Failures.classify(sql("40001"))).as("serialization failure").isEqualTo(TRANSIENT);
        assertThat(Failures.classify(sql("53300"))).as("too many connections").isEqualTo(TRANSIENT);
        assertThat(Failures.classify(sql(null))).as("no state: say transient, never give a record up")
                .isEqualTo(TRANSIENT);
        assertThat(Failures.classify(wrapped(new SQLException("Sorry, acquisition timeout!"))))
                .as("the pool exhausted").isEqualTo(TRANSIENT);
        assertThat(Failures.classify(wrapped(new ConnectException("Connection refused")))).isEqualTo(TRANSIENT);
        assertThat(Failures.classify(new TimeoutException("Topic not present in metadata"))).isEqualTo(TRANSIENT);
        assertThat(Failures.classify(new InterruptedException())).isEqualTo(TRANSIENT);
    }

    @Test
    void a_lost_race_marked_transient_is_retried_even_when_wrapped() {
        class LostRace extends RuntimeException implements TransientFailure {
        }
        assertThat(Failures.classify(wrapped(new LostRace()))).isEqualTo(TRANSIENT);
    }

    @Test
    void the_reason_names_the_exception_and_the_sql_state_and_is_bounded() {
        assertThat(Failures.reason(wrapped(sql("22P05"))))
                .isEqualTo("SQLException: ERROR: from PostgreSQL (SQLState 22P05)");
        assertThat(Failures.reason(new UnreadableEventException("missing header ce_id")))
                .isEqualTo("UnreadableEventException: missing header ce_id");
        assertThat(Failures.reason(new IllegalArgumentException("x".repeat(5000)))).hasSizeLessThan(1100);
    }
}
