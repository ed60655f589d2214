package io.strideback.plan.store;

import org.postgresql.copy.CopyIn;

import java.io.OutputStream;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * One row of COPY's CSV format as {@link #OPTIONS} sets it, built in a buffer reused row after row (issue 15 item
 * 3). The delimiter and the quote are control characters JSON never holds raw (Jackson writes every character
 * below U+0020 inside a string as an escape, and nothing between tokens; UTF-8's other bytes are all >= 0x80), so
 * a view's JSON goes in as Jackson writes its UTF-8 bytes, unquoted and unescaped: no String per row, no escaping
 * pass (the text format's escaping and String-to-bytes copy were 13-14% of the rebuild's CPU in rounds 5 and 6).
 * Every other value is quoted, so it may hold anything.
 */
final class CopyRow {

    /** COPY's options for these rows. */
    static final String OPTIONS = " WITH (FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x1e')";
    private static final byte DELIMITER = 0x1f;
    private static final byte QUOTE = 0x1e;

    private byte[] bytes = new byte[16 * 1024];
    private int length;
    private boolean first;
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

    CopyRow start() {
        length = 0;
        first = true;
        return this;
    }

    /** A value, quoted (a quote in it doubled) and encoded in UTF-8 as {@code String.getBytes(UTF_8)} encodes it. */
    CopyRow text(String value) {
        delimit();
        room(value.length() * 3 + 2); // at most three bytes per char (a surrogate pair is four for two)
        byte[] b = bytes;
        int n = length;
        b[n++] = QUOTE;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < 0x80) {
                if (ch == QUOTE) {
                    b[n++] = QUOTE; // doubled: two bytes, within the three reserved for the char
                }
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
        b[n++] = QUOTE;
        length = n;
        return this;
    }

    CopyRow number(long value) {
        return text(Long.toString(value));
    }

    /** Where a JSON value's UTF-8 bytes go, as they are (see the class comment): the row's next field. */
    OutputStream json() {
        delimit();
        return json;
    }

    /** Ends the row and sends it. */
    void writeTo(CopyIn in) throws SQLException {
        room(1);
        bytes[length++] = '\n';
        in.writeToCopy(bytes, 0, length);
    }

    /** The row so far, ended (for tests). */
    byte[] toBytes() {
        byte[] out = Arrays.copyOf(bytes, length + 1);
        out[length] = '\n';
        return out;
    }

    private void delimit() {
        if (!first) {
            room(1);
            bytes[length++] = DELIMITER;
        }
        first = false;
    }

    private void room(int more) {
        if (length + more + 1 > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more + 1));
        }
    }
}
