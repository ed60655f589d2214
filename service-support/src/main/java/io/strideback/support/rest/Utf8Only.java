package io.strideback.support.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/**
 * JSON bodies are read as UTF-8 and nothing else (RFC 8259 section 8.1), byte by byte as they stream in to
 * Jackson. Jackson alone took an overlong form ({@code C0 AF}) for {@code /}, an encoded surrogate
 * ({@code ED A0 80}) or a code point past U+10FFFF for characters, and read a body starting with a zero byte
 * or a byte-order mark as UTF-16 or UTF-32 (review r9): a gateway scanning the bytes and Strideback would
 * then read different text from the same body. Each is a 400 "Malformed JSON" saying what and where.
 * The checks are RFC 3629 section 4's well-formed byte sequences; a UTF-8 byte-order mark stays allowed
 * (Jackson skips it).
 */
public final class Utf8Only extends InputDecorator {

    @Override
    public InputStream decorate(IOContext context, InputStream in) {
        return new Checked(in);
    }

    @Override
    public InputStream decorate(IOContext context, byte[] src, int offset, int length) {
        return new Checked(new ByteArrayInputStream(src, offset, length));
    }

    @Override
    public Reader decorate(IOContext context, Reader reader) {
        return reader; // already characters
    }

    /** Passes the bytes through, checking each sequence as it goes (state kept across reads). */
    static final class Checked extends FilterInputStream {

        private long offset;      // bytes seen
        private long line = 1;    // for the answer's "where", as Jackson counts
        private long column = 1;
        private int pending;      // continuation bytes still due in the current sequence
        private int lead;         // the current sequence's first byte
        private boolean second;   // the next byte is the sequence's second (where overlongs and surrogates show)

        Checked(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                atEnd();
            } else {
                check(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = super.read(buffer, off, len);
            if (n < 0) {
                atEnd();
            }
            for (int i = 0; i < n; i++) {
                check(buffer[off + i] & 0xFF);
            }
            return n;
        }

        @Override
        public boolean markSupported() {
            return false; // a reset would feed bytes to the check twice
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] skipped = new byte[(int) Math.min(n, 8192)];
            int read = read(skipped, 0, skipped.length);
            return Math.max(read, 0);
        }

        private void check(int b) throws JsonParseException {
            if (offset < 4 && b == 0) {
                // JSON text begins with whitespace or a value; a zero byte here is UTF-16 or UTF-32.
                refuse("a zero byte among the first four: UTF-16 or UTF-32; JSON is exchanged in UTF-8");
            }
            if (pending > 0) {
                if ((b & 0xC0) != 0x80) {
                    refuse(String.format("byte 0x%02X where a continuation byte of the sequence 0x%02X was due", b, lead));
                }
                if (second) {
                    second = false;
                    // RFC 3629 section 4: the second byte's range after E0, ED, F0 and F4.
                    if (lead == 0xE0 && b < 0xA0 || lead == 0xF0 && b < 0x90) {
                        refuse(String.format("an overlong encoding (0x%02X 0x%02X)", lead, b));
                    }
                    if (lead == 0xED && b > 0x9F) {
                        refuse(String.format("an encoded UTF-16 surrogate (0x%02X 0x%02X)", lead, b));
                    }
                    if (lead == 0xF4 && b > 0x8F) {
                        refuse(String.format("a code point past U+10FFFF (0x%02X 0x%02X)", lead, b));
                    }
                }
                pending--;
            } else if (b >= 0x80) {
                if (b == 0xC0 || b == 0xC1) {
                    refuse(String.format("an overlong encoding (0x%02X)", b));
                } else if (b >= 0xC2 && b <= 0xDF) {
                    pending = 1;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    pending = 2;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    pending = 3;
                } else {
                    refuse(String.format("byte 0x%02X, which no UTF-8 sequence starts with", b));
                }
                lead = b;
                second = true;
            }
            offset++;
            if (b == '\n') {
                line++;
                column = 1;
            } else if ((b & 0xC0) != 0x80) {
                column++; // a character starts here
            }
        }

        private void atEnd() throws JsonParseException {
            if (pending > 0) {
                refuse(String.format("the body ends inside the sequence 0x%02X", lead));
            }
        }

        private void refuse(String what) throws JsonParseException {
            throw new JsonParseException((com.fasterxml.jackson.core.JsonParser) null, "the body is not UTF-8: " + what + " at line " + line + ", column "
                    + column + " (byte " + offset + ")");
        }
    }
}
