package io.strideback.support.retention;

import java.util.regex.Pattern;

/**
 * The rows of one table that may go once they are older than a retention: those whose
 * {@code ageColumn} is before the cut-off and that also match {@code condition} (SQL written in the
 * code, never from a request; {@code "true"} for every row).
 */
public record ExpiringRows(String table, String ageColumn, String condition) {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    public ExpiringRows {
        if (!NAME.matcher(table).matches() || !NAME.matcher(ageColumn).matches()) {
            throw new IllegalArgumentException("not a plain table or column name: " + table + "." + ageColumn);
        }
        if (condition == null || condition.isBlank()) {
            condition = "true";
        }
    }

    public ExpiringRows(String table, String ageColumn) {
        this(table, ageColumn, "true");
    }
}
