package io.strideback.intake.support;

import com.garmin.fit.DateTime;
import com.garmin.fit.File;
import com.garmin.fit.FileEncoder;
import com.garmin.fit.FileIdMesg;
import com.garmin.fit.Manufacturer;
import com.garmin.fit.RecordMesg;
import com.garmin.fit.SessionMesg;
import com.garmin.fit.Sport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;

/**
 * FIT activity files as a watch writes them, encoded here with Garmin's FIT SDK (its FileEncoder
 * and message classes): a file_id message, optional per-second record messages, and the sessions.
 */
public final class FitFiles {

    /** One FIT session message; null leaves a field out, as a watch without that sensor does. */
    public record Session(Sport sport, Instant start, Float metres, Float timerSeconds, Short cadence,
                          Float fractionalCadence, Short heartRate) {
    }

    private FitFiles() {
    }

    public static Session run(Instant start, float metres, float timerSeconds, int strideCadence,
                              float fractionalCadence, int heartRate) {
        return new Session(Sport.RUNNING, start, metres, timerSeconds, (short) strideCadence, fractionalCadence,
                (short) heartRate);
    }

    public static Session of(Sport sport, Instant start, float metres, float timerSeconds, int heartRate) {
        return new Session(sport, start, metres, timerSeconds, null, null, (short) heartRate);
    }

    /** An activity file of the watch with {@code serialNumber}, created at {@code created}. */
    public static byte[] activity(long serialNumber, Instant created, Session... sessions) {
        return activity(serialNumber, created, 0, sessions);
    }

    /** The same, with {@code records} per-second record messages before the sessions (to make it large). */
    public static byte[] activity(long serialNumber, Instant created, int records, Session... sessions) {
        try {
            Path path = Files.createTempFile("activity", ".fit");
            try {
                FileEncoder encoder = new FileEncoder(path.toFile());
                FileIdMesg fileId = new FileIdMesg();
                fileId.setType(File.ACTIVITY);
                fileId.setManufacturer(Manufacturer.GARMIN);
                fileId.setProduct(1);
                fileId.setSerialNumber(serialNumber);
                fileId.setTimeCreated(fitTime(created));
                encoder.write(fileId);
                for (int i = 0; i < records; i++) {
                    RecordMesg record = new RecordMesg();
                    record.setTimestamp(fitTime(created.plusSeconds(i)));
                    record.setHeartRate((short) 140);
                    record.setDistance(i * 3f);
                    record.setCadence((short) 82);
                    encoder.write(record);
                }
                for (int i = 0; i < sessions.length; i++) {
                    Session s = sessions[i];
                    SessionMesg session = new SessionMesg();
                    session.setMessageIndex(i);
                    if (s.sport() != null) { // a watch may leave the sport out
                        session.setSport(s.sport());
                    }
                    if (s.start() != null) { // ... or the start time
                        session.setStartTime(fitTime(s.start()));
                        session.setTimestamp(fitTime(s.start().plusSeconds(s.timerSeconds() == null ? 0
                                : s.timerSeconds().longValue())));
                    }
                    session.setTotalDistance(s.metres());
                    session.setTotalTimerTime(s.timerSeconds());
                    session.setTotalElapsedTime(s.timerSeconds());
                    session.setAvgCadence(s.cadence());
                    session.setAvgFractionalCadence(s.fractionalCadence());
                    session.setAvgHeartRate(s.heartRate());
                    encoder.write(session);
                }
                encoder.close();
                return Files.readAllBytes(path);
            } finally {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A FIT file holding a file_id message and nothing else: no recorded activity. */
    public static byte[] withoutSessions(long serialNumber, Instant created) {
        return activity(serialNumber, created);
    }

    private static DateTime fitTime(Instant instant) {
        return new DateTime(Date.from(instant));
    }
}
