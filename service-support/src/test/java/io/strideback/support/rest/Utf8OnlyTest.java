package io.strideback.support.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Review r9: Jackson read {@code C0 AF} as {@code /} and a body in UTF-16 as JSON; a body is UTF-8 or a 400. */
class Utf8OnlyTest {

    record Note(String note) {
    }

    private static final ObjectMapper STRICT = StrictJson.strict(new ObjectMapper());

    /** {"note":"a<bytes>b"} with the bytes given in hex. */
    private static byte[] note(String hex) {
        byte[] head = "{\"note\":\"a".getBytes(StandardCharsets.US_ASCII);
        byte[] middle = HexFormat.of().parseHex(hex);
        byte[] tail = "b\"}".getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(head.length + middle.length + tail.length).put(head).put(middle).put(tail).array();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "c0af",         // overlong "/": Jackson read it as a slash
            "c180",         // overlong, C1 lead
            "e080af",       // overlong 3-byte "/"
            "f08080af",     // overlong 4-byte "/"
            "eda080",       // an encoded surrogate (U+D800)
            "edbfbf",       // an encoded surrogate (U+DFFF)
            "f4908080",     // U+110000
            "f5808080",     // no sequence starts with F5
            "ff", "fe",     // not UTF-8 at all
            "80",           // a continuation byte alone
            "c3",           // a 2-byte sequence cut short by the closing quote's byte
            "e282"})        // a 3-byte sequence cut short
    void malformed_utf8_is_refused_saying_what_and_where(String hex) {
        assertThatThrownBy(() -> STRICT.readValue(note(hex), Note.class))
                .isInstanceOf(JsonParseException.class)
                .hasMessageContaining("not UTF-8")
                .hasMessageContaining("line 1, column ");
        // And from a stream, as a request body arrives.
        assertThatThrownBy(() -> STRICT.readValue(new ByteArrayInputStream(note(hex)), Note.class))
                .isInstanceOf(JsonParseException.class).hasMessageContaining("not UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE", "UTF-32LE"})
    void a_body_in_utf16_or_utf32_is_refused(String charset) throws Exception {
        byte[] body = "{\"note\":\"ab\"}".getBytes(charset);
        assertThat(new ObjectMapper().readValue(body, Note.class).note()).isEqualTo("ab"); // what Jackson alone did
        assertThatThrownBy(() -> STRICT.readValue(body, Note.class))
                .isInstanceOf(JsonParseException.class).hasMessageContaining("not UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"c3a9", "e282ac", "f09f8f83", "efbfbd", "f48fbfbf", "ed9fbf", "ee8080"})
    void well_formed_utf8_is_read_as_written(String hex) throws Exception {
        String expected = "a" + new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8) + "b";
        assertThat(STRICT.readValue(note(hex), Note.class).note()).isEqualTo(expected);
    }

    @Test
    void any_text_is_read_back_as_written_through_a_stream() throws Exception {
        Random random = new Random(3629);
        for (int i = 0; i < 300; i++) {
            // Any code points, across the planes (surrogates included: getBytes writes an unpaired one as '?').
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(300); n > 0; n--) {
                text.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x110000) : random.nextInt(0x800));
            }
            byte[] json = new ObjectMapper().writeValueAsBytes(new Note(text.toString()));
            String written = new ObjectMapper().readValue(json, Note.class).note();
            assertThat(STRICT.readValue(new OneByteAtATime(json), Note.class).note()).isEqualTo(written);
        }
    }

    @Test
    void refuses_exactly_what_a_strict_decoder_refuses() throws Exception {
        Random random = new Random(8259);
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[random.nextInt(12)];
            random.nextBytes(bytes);
            if (random.nextBoolean()) { // mostly well-formed lead and continuation bytes, where the edge cases are
                for (int j = 0; j < bytes.length; j++) {
                    bytes[j] = (byte) (j % 3 == 0 ? 0xC0 + random.nextInt(0x40) : 0x80 + random.nextInt(0x40));
                }
            }
            boolean wellFormed;
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
                wellFormed = true;
            } catch (CharacterCodingException e) {
                wellFormed = false;
            }
            // Past the first four bytes, where a zero byte means UTF-16.
            byte[] body = ByteBuffer.allocate(bytes.length + 4).put("    ".getBytes(StandardCharsets.US_ASCII)).put(bytes).array();
            boolean refused;
            try (InputStream in = new Utf8Only.Checked(new ByteArrayInputStream(body))) {
                in.readAllBytes();
                refused = false;
            } catch (JsonParseException e) {
                refused = true;
            }
            assertThat(refused).as(HexFormat.of().formatHex(bytes)).isEqualTo(!wellFormed);
        }
    }

    /** A body arriving in the smallest pieces: the check keeps its state across reads. */
    private static final class OneByteAtATime extends ByteArrayInputStream {
        OneByteAtATime(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1));
        }
    }
}
