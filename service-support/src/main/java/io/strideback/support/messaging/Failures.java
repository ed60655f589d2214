package io.strideback.support.messaging;

import io.strideback.events.UnreadableEventException;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.DateTimeException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Sorts a failure to apply a record into the two kinds a consumer treats differently (issue 12):
 * <ul>
 *   <li><b>deterministic</b>: it will fail the same way every time (the record cannot be read, the
 *       database refuses a value or a constraint, a value is out of range, a record is too large).
 *       That one record is parked with the reason; everything else flows on.</li>
 *   <li><b>transient</b>: the world is briefly broken (database or broker down, a pool exhausted,
 *       a serialization conflict). Retried from the same record, never skipped.</li>
 * </ul>
 * When in doubt about a database or I/O failure we say transient: a record is never given up
 * because the infrastructure hiccuped. Anything else unrecognised is deterministic: retrying code
 * that throws on an input does not make it stop throwing, and the parked record keeps its reason.
 * Plain Java on purpose: handlers and the outbox relay use it without any messaging API.
 */
public final class Failures {

    public enum Kind { DETERMINISTIC, TRANSIENT }

    private Failures() {
    }

    public static boolean isTransient(Throwable failure) {
        return classify(failure) == Kind.TRANSIENT;
    }

    /** The kind of a failure, from the most telling exception in its cause chain. */
    public static Kind classify(Throwable failure) {
        Kind fromSql = null;
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof TransientFailure || t instanceof InterruptedException
                    || t instanceof ConnectException || t instanceof SQLTransientException) {
                return Kind.TRANSIENT;
            }
            // A JSON parse or mapping failure is an IOException, but reading the same bytes fails again.
            if (t instanceof UnreadableEventException || t instanceof DateTimeException
                    || t instanceof ArithmeticException || t instanceof NumberFormatException
                    || t instanceof com.fasterxml.jackson.core.JacksonException) {
                return Kind.DETERMINISTIC;
            }
            if (t instanceof SQLException sql && fromSql == null) {
                fromSql = sqlState(sql);
            }
            Kind kafka = kafka(t);
            if (kafka != null) {
                return kafka;
            }
            if (isPoolTimeout(t)) {
                return Kind.TRANSIENT;
            }
        }
        if (fromSql != null) {
            return fromSql;
        }
        Set<Throwable> again = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && again.add(t); t = t.getCause()) {
            if (t instanceof IOException || t instanceof java.io.UncheckedIOException
                    || t.getClass().getName().startsWith("jakarta.transaction.")
                    || t.getClass().getName().startsWith("com.arjuna.")) {
                return Kind.TRANSIENT; // the connection or the transaction manager, not the record
            }
        }
        return Kind.DETERMINISTIC;
    }

    /**
     * PostgreSQL's SQLState classes: 22 data exception (22P05 unsupported Unicode escape, 22008
     * datetime out of range, 22003 numeric out of range, 22021 bad UTF-8), 23 integrity violation,
     * 54 program limit exceeded (a row too big) are the record's; 08 connection, 57P0x shutdown,
     * 53 insufficient resources, 40001 serialization failure, 40P01 deadlock, 55P03 lock not
     * available are the moment's. An unknown or missing state is treated as transient.
     */
    static Kind sqlState(SQLException e) {
        String state = e.getSQLState();
        if (state == null || state.length() < 2) {
            return Kind.TRANSIENT;
        }
        String cls = state.substring(0, 2);
        return switch (cls) {
            case "22", "23", "54" -> Kind.DETERMINISTIC;
            default -> Kind.TRANSIENT;
        };
    }

    /** Kafka's own split: retriable errors are transient; a record too large or unserialisable is not. */
    private static Kind kafka(Throwable t) {
        if (t instanceof org.apache.kafka.common.errors.RetriableException) {
            return Kind.TRANSIENT;
        }
        if (t instanceof org.apache.kafka.common.errors.RecordTooLargeException
                || t instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException
                || t instanceof org.apache.kafka.common.errors.SerializationException
                || t instanceof org.apache.kafka.common.InvalidRecordException) {
            return Kind.DETERMINISTIC;
        }
        if (t instanceof org.apache.kafka.common.KafkaException
                && !(t instanceof org.apache.kafka.common.errors.ApiException)) {
            return Kind.TRANSIENT; // the client itself (closed, interrupted, broker unreachable)
        }
        return null;
    }

    /** Agroal says "Sorry, acquisition timeout!" without a SQLState when the pool is exhausted. */
    private static boolean isPoolTimeout(Throwable t) {
        String m = t.getMessage();
        return m != null && m.toLowerCase(java.util.Locale.ROOT).contains("acquisition timeout");
    }

    /**
     * A short reason for a log line, a dead-letter header or the ops status: the exception's class
     * and message, with the SQLState when there is one. Never a row value: the services run the
     * JDBC driver with {@code logServerErrorDetail=false}.
     */
    public static String reason(Throwable failure) {
        Throwable root = failure;
        SQLException sql = null;
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SQLException s && sql == null) {
                sql = s;
            }
            root = t;
        }
        Throwable shown = sql != null ? sql : (failure instanceof UnreadableEventException ? failure : root);
        String message = shown.getMessage() == null ? shown.getClass().getSimpleName()
                : shown.getClass().getSimpleName() + ": " + shown.getMessage();
        if (sql != null && sql.getSQLState() != null) {
            message += " (SQLState " + sql.getSQLState() + ")";
        }
        return message.length() > 1000 ? message.substring(0, 1000) + "…" : message;
    }

    /** For tests and logs: the kind and the reason together. */
    public static Map.Entry<Kind, String> describe(Throwable failure) {
        return Map.entry(classify(failure), reason(failure));
    }
}
