package io.strideback.support.rest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What text every service accepts at its door (issue 12, "validate at the door"): no NUL or other
 * control character, no bidirectional override (round 20) (PostgreSQL's jsonb refuses {@code \u0000}, and one such note once stopped the
 * load monitor for every clinic), no unpaired UTF-16 surrogate (a lone {@code \ud800} in JSON has
 * no UTF-8 form), and no more characters than the field's length. Free text (a note, a reason) may
 * hold tab, carriage return and newline; names and ids may not. Plain Java: the adapters call it.
 */
public final class TextRules {

    /** Names: a display name, an exercise name, a provider. */
    public static final int MAX_NAME = 200;
    /** Ids: athlete, session, external and idempotency ids. */
    public static final int MAX_ID = 200;
    /** Free text: a symptom's note, a clinician's reason. */
    public static final int MAX_FREE_TEXT = 2000;

    private TextRules() {
    }

    /** Why {@code text} cannot be taken as a name or an id of at most {@code maxLength} characters, if it cannot. */
    public static Optional<String> lineProblem(String text, int maxLength) {
        return problem(text, maxLength, false);
    }

    /** Why {@code text} cannot be taken as free text of at most {@code maxLength} characters, if it cannot. */
    public static Optional<String> freeTextProblem(String text, int maxLength) {
        return problem(text, maxLength, true);
    }

    private static Optional<String> problem(String text, int maxLength, boolean freeText) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++; // a pair is one character
                } else {
                    return Optional.of("must not contain an unpaired UTF-16 surrogate (" + unicode(c) + " at " + i + ")");
                }
            } else if (Character.isLowSurrogate(c)) {
                return Optional.of("must not contain an unpaired UTF-16 surrogate (" + unicode(c) + " at " + i + ")");
            } else if (isBidiControl(c)) {
                return Optional.of("must not contain a bidirectional embedding, override or isolate (" + unicode(c)
                        + " at " + i + ")");
            } else if (Character.getType(c) == Character.CONTROL && !(freeText && (c == '\t' || c == '\n' || c == '\r'))) {
                return Optional.of("must not contain control characters (" + unicode(c) + " at " + i + ")"
                        + (freeText ? "; tab and line breaks are allowed" : ""));
            }
            length++;
        }
        if (length > maxLength) {
            return Optional.of("must be at most " + maxLength + " characters, got " + length);
        }
        return Optional.empty();
    }

    /**
     * Every string of a JSON tree, its field names included, checked as a name of at most
     * {@code maxLength} characters; problems are added to {@code errors} under their dotted path.
     * For bodies whose strings are all short settings (a clinic's rules).
     */
    public static void checkEveryString(JsonNode node, String path, int maxLength, List<FieldError> errors) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            lineProblem(node.asText(), maxLength).ifPresent(p -> errors.add(new FieldError(path.isEmpty() ? "body" : path, p)));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkEveryString(node.get(i), path + "[" + i + "]", maxLength, errors);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = field.getKey();
                Optional<String> badName = lineProblem(name, maxLength);
                if (badName.isPresent()) {
                    // Never echo a field name that is itself the problem.
                    errors.add(new FieldError(path.isEmpty() ? "body" : path, "a field name " + badName.get()));
                    continue;
                }
                checkEveryString(field.getValue(), path.isEmpty() ? name : path + "." + name, maxLength, errors);
            }
        }
    }

    /**
     * A name or free text as it is kept: without leading and trailing white space (round 20: " Sam " was stored and
     * shown as typed, and a name of spaces alone was a name); null for {@linkplain #isBlank blank} text, which is no
     * text. White space is Java's and Unicode's space separators too (a no-break space U+00A0, U+2007, U+202F:
     * {@code strip()} keeps them, and a name of one looked blank). Invisible characters are not trimmed off visible
     * text: a joiner may end an emoji sequence, so text that is not blank is kept as sent but for its outer white
     * space. Ids are not tidied: they are compared as sent.
     */
    public static String tidy(String text) {
        if (isBlank(text)) {
            return null;
        }
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && isSpace(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }

    /**
     * Whether {@code text} shows a reader nothing: null, empty, or every code point white space or
     * {@linkplain #isInvisible invisible} (round 21: a display name of U+200B, or of Hangul fillers, looked blank on
     * the clinician's list but was taken as a name). One visible character anywhere makes it text, so a Persian word
     * with its zero-width non-joiner or an emoji joined by U+200D stays text.
     */
    public static boolean isBlank(String text) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (!isSpace(codePoint) && !isInvisible(codePoint)) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }

    private static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    /**
     * A code point that draws nothing: Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt of Unicode
     * 15.0, as ICU 72 lists it; UAX #44: ignored in rendering unless a font supports it; Java has no such property):
     * the soft hyphen, zero-width space and joiners, marks U+200E/U+200F, U+2060-U+206F,
     * U+FEFF, the Hangul fillers U+115F, U+1160, U+3164, U+FFA0, U+180E, variation selectors, tags. Besides them two
     * that Unicode does not list but that draw empty space: U+2800 BRAILLE PATTERN BLANK (an empty braille cell, the
     * usual "invisible name" of games and chats) and U+16FE4 KHITAN SMALL SCRIPT FILLER.
     */
    static boolean isInvisible(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x115F || cp == 0x1160
                || cp == 0x17B4 || cp == 0x17B5 || (cp >= 0x180B && cp <= 0x180F)
                || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F)
                || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || cp == 0xFFA0
                || (cp >= 0xFFF0 && cp <= 0xFFF8) || (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A)
                || (cp >= 0xE0000 && cp <= 0xE0FFF)
                || cp == 0x2800 || cp == 0x16FE4;
    }

    /**
     * U+202A-U+202E and U+2066-U+2069, the explicit bidirectional formatting characters ("Trojan Source",
     * CVE-2021-42574): one in a name or a note can make what a clinician reads differ from what was sent (an
     * override reverses the rest of the line). Right-to-left text needs none of them; the marks U+200E/U+200F stay.
     */
    private static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }

    private static String unicode(char c) {
        return String.format("U+%04X", (int) c);
    }
}
