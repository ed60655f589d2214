package io.strideback.intake.fit;

import com.garmin.fit.CRC;
import com.garmin.fit.Sport;
import io.strideback.intake.support.FitFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * A FIT file whose CRC matches but whose messages are damaged (a watch's or a bridge's bug, or a
 * hostile upload) is a corrupt file: 400, never 500 (CONTRACT v2, FIT upload; round 18's outside
 * check found these three answered 500). Garmin's decoder throws more than its own
 * {@code FitRuntimeException} on such bytes: a ClassCastException, an ArrayIndexOutOfBoundsException,
 * a NullPointerException. The files are an activity of two sessions with a few bytes of its messages
 * changed and its CRC made to match again.
 */
class FitActivityFileTest {

    private static final Instant START = Instant.parse("2026-11-20T07:00:00Z");

    @ParameterizedTest
    @ValueSource(strings = {"decoder-class-cast.fit", "decoder-index-out-of-bounds.fit",
            "decoder-developer-data-without-index.fit"})
    void a_file_whose_crc_matches_but_whose_messages_are_damaged_is_unreadable(String name) throws IOException {
        byte[] file = resource(name);

        assertThatThrownBy(() -> FitActivityFile.read(file))
                .isInstanceOf(FitActivityFile.UnreadableFitFile.class)
                .hasMessageContaining("corrupt");
    }

    @Test
    void changed_bytes_under_a_matching_crc_give_sessions_or_unreadable_never_another_failure() {
        byte[] activity = FitFiles.activity(1234, START, 20, FitFiles.run(START, 5200f, 1900f, 82, 0.5f, 150),
                FitFiles.of(Sport.CYCLING, START.plusSeconds(4000), 20000f, 3600f, 130));
        Random random = new Random(18);
        for (int n = 0; n < 2000; n++) {
            byte[] file = activity.clone();
            int headerSize = file[0] & 0xff;
            int crcAt = file.length - 2;
            for (int m = 0, changes = 1 + random.nextInt(6); m < changes; m++) {
                file[headerSize + random.nextInt(crcAt - headerSize)] = (byte) random.nextInt(256);
            }
            withMatchingCrc(file);
            try {
                FitActivityFile.read(file);
            } catch (FitActivityFile.UnreadableFitFile expected) {
                // a 400
            } catch (RuntimeException e) {
                fail("a damaged FIT file (change " + n + ") failed with " + e + " instead of being unreadable", e);
            }
        }
    }

    @Test
    void an_undamaged_file_still_reads_its_sessions() throws Exception {
        byte[] activity = FitFiles.activity(1234, START, FitFiles.run(START, 5200f, 1900f, 82, 0.5f, 150),
                FitFiles.of(Sport.CYCLING, START.plusSeconds(4000), 20000f, 3600f, 130));

        assertThat(FitActivityFile.read(activity).sessions()).extracting(FitActivityFile.WatchSession::sport)
                .containsExactly("RUNNING", "CYCLING");
    }

    /**
     * Round 19: every RuntimeException while reading was answered "corrupt" (400), so a defect of our own in the
     * mapping would have told the athlete their watch's file was damaged, and nothing reached the log as a failure.
     * Only the SDK's reading is a corrupt file's symptom; our mapping's failure propagates (a 500, logged).
     */
    @Test
    void a_defect_in_our_own_mapping_is_not_called_a_corrupt_file() {
        byte[] activity = FitFiles.activity(1234, START, FitFiles.run(START, 5200f, 1900f, 82, 0.5f, 150));

        assertThatThrownBy(() -> FitActivityFile.read(activity, (index, fileId, indexInFile, decoded) -> {
            throw new IllegalStateException("a defect of ours");
        })).isInstanceOf(IllegalStateException.class).hasMessage("a defect of ours");
    }

    @Test
    void a_session_without_a_sport_or_a_start_time_is_read_with_those_left_out() throws Exception {
        byte[] activity = FitFiles.activity(1234, START,
                new FitFiles.Session(null, START, 5000f, 1800f, null, null, (short) 140),
                new FitFiles.Session(Sport.RUNNING, null, 5000f, 1800f, null, null, (short) 140));

        FitActivityFile read = FitActivityFile.read(activity);

        assertThat(read.sessions()).extracting(FitActivityFile.WatchSession::sport).containsExactly(null, "RUNNING");
        assertThat(read.sessions()).extracting(FitActivityFile.WatchSession::startedAt).containsExactly(START, null);
        assertThat(read.externalId(read.sessions().get(1))).endsWith("-s1-tnone");
    }

    private static void withMatchingCrc(byte[] file) {
        int crc = 0;
        for (int i = 0; i < file.length - 2; i++) {
            crc = CRC.get16(crc, file[i]);
        }
        file[file.length - 2] = (byte) crc;
        file[file.length - 1] = (byte) (crc >> 8);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = FitActivityFileTest.class.getResourceAsStream("/fit/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
