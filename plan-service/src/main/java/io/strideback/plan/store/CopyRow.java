package io.strideback.plan.store;

import org.postgresql.copy.CopyIn;

import java.sql.SQLException;
import java.util.Arrays;

/**
 * One row of COPY's text format, escaped and encoded to UTF-8 in one pass into a buffer reused row after row
 * (issue 15 item 3: the rebuild's first profiles had the escaping's four look-ups and the String-to-bytes copy
 * at 13% of its CPU; a view is about 11 KB of JSON).
 */
final class CopyRow {

    private byte[] bytes = new byte[16 * 1024];
    private int length;

    CopyRow start() {
        length = 0;
        return this;
    }

    /** A value: backslash, tab and line breaks escaped, null as {@code \N}; a tab after it unless it ends the row. */
    CopyRow field(String value, boolean last) {
        if (value == null) {
            room(3);
            bytes[length++] = '\\';
            bytes[length++] = 'N';
        } else {
            room(value.length() * 3 + 1); // at most three bytes per char (a surrogate pair is four for two)
            byte[] b = bytes;
            int n = length;
            for (int i = 0; i < value.length(); i++) {
                char ch = value.charAt(i);
                if (ch < 0x80) {
                    switch (ch) {
                        case '\\' -> {
                            b[n++] = '\\';
                            b[n++] = '\\';
                        }
                        case '\t' -> {
                            b[n++] = '\\';
                            b[n++] = 't';
                        }
                        case '\n' -> {
                            b[n++] = '\\';
                            b[n++] = 'n';
                        }
                        case '\r' -> {
                            b[n++] = '\\';
                            b[n++] = 'r';
                        }
                        default -> b[n++] = (byte) ch;
                    }
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
        }
        bytes[length++] = (byte) (last ? '\n' : '\t');
        return this;
    }

    CopyRow field(long value, boolean last) {
        return field(Long.toString(value), last);
    }

    void writeTo(CopyIn in) throws SQLException {
        in.writeToCopy(bytes, 0, length);
    }

    byte[] toBytes() {
        return Arrays.copyOf(bytes, length);
    }

    private void room(int more) {
        if (length + more + 1 > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more + 1));
        }
    }
}
