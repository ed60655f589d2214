package io.strideback.plan.store;

import org.postgresql.copy.CopyIn;

import java.io.OutputStream;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * One row of COPY's binary format, built in a buffer reused row after row (issue 15 item 3): a field count, then each
 * value as its length and its bytes, so the backend copies values without parsing the row (splitting CSV was half of
 * the approval queue's COPY backend and 16% of the views' in the round 8 profile). A view's JSON goes in as Jackson
 * writes its UTF-8 bytes, its length written after it; text as {@code String.getBytes(UTF_8)} encodes it, so the
 * column types' own binary input (text, json: checked as their text input checks them) takes any value the CSV rows
 * took. A stream starts with {@link #begin} and ends with {@link #end}.
 */
final class CopyRow {

    /** COPY's options for these rows. */
    static final String OPTIONS = " WITH (FORMAT binary)";
    /** The binary format's signature, no flags, no header extension. */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** A field count of -1. */
    private static final byte[] TRAILER = {(byte) 0xff, (byte) 0xff};
    /** PostgreSQL counts time from 2000-01-01 UTC: that instant in microseconds from 1970's. */
    static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private byte[] bytes = new byte[16 * 1024];
    private int length;
    private short fields;
    /** Where the length of the JSON being written goes, or -1. */
    private int jsonLengthAt = -1;
    private final OutputStream json = new OutputStream() {
        @Override
        public void write(int b) {
            room(1);
            bytes[length++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            room(len);
            System.arraycopy(b, off, bytes, length, len);
            length += len;
        }
    };

    /** Starts a COPY stream of these rows. */
    static void begin(CopyIn in) throws SQLException {
        in.writeToCopy(HEADER, 0, HEADER.length);
    }

    /** Ends a COPY stream of these rows (before {@code endCopy}). */
    static void end(CopyIn in) throws SQLException {
        in.writeToCopy(TRAILER, 0, TRAILER.length);
    }

    CopyRow start() {
        length = 2; // the field count, written when the row is sent
        fields = 0;
        jsonLengthAt = -1;
        return this;
    }

    /** A text value, encoded in UTF-8 as {@code String.getBytes(UTF_8)} encodes it. */
    CopyRow text(String value) {
        int at = field();
        room(value.length() * 3); // at most three bytes per char (a surrogate pair is four for two)
        byte[] b = bytes;
        int n = length;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < 0x80) {
                b[n++] = (byte) ch;
            } else if (ch < 0x800) {
                b[n++] = (byte) (0xC0 | ch >> 6);
                b[n++] = (byte) (0x80 | ch & 0x3F);
            } else if (Character.isHighSurrogate(ch) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(ch, value.charAt(++i));
                b[n++] = (byte) (0xF0 | cp >> 18);
                b[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(ch)) {
                b[n++] = '?'; // a lone surrogate, as String.getBytes(UTF_8) writes it
            } else {
                b[n++] = (byte) (0xE0 | ch >> 12);
                b[n++] = (byte) (0x80 | ch >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | ch & 0x3F);
            }
        }
        length = n;
        putInt(at, n - at - 4);
        return this;
    }

    /** A bigint. */
    CopyRow number(long value) {
        putInt(field(), 8);
        room(8);
        putLong(length, value);
        length += 8;
        return this;
    }

    /** A timestamptz, given in microseconds from 1970-01-01 UTC. */
    CopyRow timestamp(long unixMicros) {
        return number(unixMicros - POSTGRES_EPOCH_MICROS);
    }

    /**
     * A timestamptz rounded to the microsecond, as PostgreSQL rounds a timestamp's text and the JDBC driver an
     * Instant (so a rebuilt row equals the one the live path wrote), or NULL.
     */
    CopyRow timestampOrNull(java.time.Instant at) {
        if (at == null) {
            putInt(field(), -1);
            return this;
        }
        return timestamp(Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), (at.getNano() + 500) / 1_000));
    }

    /** Where a JSON value's UTF-8 bytes go, as they are: the row's next field, its length written after it. */
    OutputStream json() {
        jsonLengthAt = field();
        return json;
    }

    /** Ends the row and sends it. */
    void writeTo(CopyIn in) throws SQLException {
        finish();
        in.writeToCopy(bytes, 0, length);
    }

    /** The row so far, ended (for tests). */
    byte[] toBytes() {
        finish();
        return Arrays.copyOf(bytes, length);
    }

    private void finish() {
        endJson();
        bytes[0] = (byte) (fields >> 8);
        bytes[1] = (byte) fields;
    }

    /** Starts the next field: room for its length, returns where the length goes. */
    private int field() {
        endJson();
        fields++;
        room(4);
        int at = length;
        length += 4;
        return at;
    }

    private void endJson() {
        if (jsonLengthAt >= 0) {
            putInt(jsonLengthAt, length - jsonLengthAt - 4);
            jsonLengthAt = -1;
        }
    }

    private void putInt(int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    private void putLong(int at, long value) {
        putInt(at, (int) (value >>> 32));
        putInt(at + 4, (int) value);
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
