package io.strideback.intake.fit;

import com.garmin.fit.Decode;
import com.garmin.fit.FileIdMesg;
import com.garmin.fit.FitRuntimeException;
import com.garmin.fit.MesgNum;
import com.garmin.fit.SessionMesg;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A watch's FIT activity file (Garmin FIT SDK, FIT Protocol License; README "Connecting a watch"),
 * read only after its integrity check (header, declared size, CRC), so a truncated or damaged
 * upload is refused whole instead of half-imported.
 *
 * @param fileId   what identifies this file among every file of every watch: the file_id
 *                 message's serial number and time created, or the file's SHA-256 when the
 *                 watch left either out
 * @param sessions the session messages, in the file's order (a multisport file has several)
 */
public record FitActivityFile(String fileId, List<WatchSession> sessions) {

    /** One FIT session message, in FIT units (metres, seconds, strides a minute). */
    public record WatchSession(int index, String sport, String subSport, Instant startedAt, Long startFitTime,
                               Float totalDistanceMetres, Float totalTimerTimeSeconds, Short avgCadence,
                               Float avgFractionalCadence, Short avgHeartRate) {
    }

    /** Why an upload is not a readable FIT activity file (answered as 400). */
    public static final class UnreadableFitFile extends Exception {
        public UnreadableFitFile(String reason) {
            super(reason);
        }
    }

    /** The file's sessions; refused when it is no FIT file, is cut short, fails its CRC, or holds no session. */
    public static FitActivityFile read(byte[] bytes) throws UnreadableFitFile {
        if (bytes == null || bytes.length < 12 || !new Decode().isFileFit(new ByteArrayInputStream(bytes))) {
            throw new UnreadableFitFile("not a FIT file: no valid FIT file header");
        }
        // FIT file header: byte 0 its size (12 or 14), bytes 4-7 the data size (little-endian);
        // then the data and a 2-byte CRC (FIT protocol, "File header").
        int headerSize = bytes[0] & 0xff;
        long dataSize = (bytes[4] & 0xffL) | (bytes[5] & 0xffL) << 8 | (bytes[6] & 0xffL) << 16 | (bytes[7] & 0xffL) << 24;
        if (bytes.length < headerSize + dataSize + 2) {
            throw new UnreadableFitFile("the FIT file is truncated: its header declares " + (headerSize + dataSize + 2)
                    + " bytes, the upload has " + bytes.length);
        }
        if (!new Decode().checkFileIntegrity(new ByteArrayInputStream(bytes))) {
            throw new UnreadableFitFile("the FIT file is corrupt: its CRC does not match its content");
        }
        List<SessionMesg> sessionMesgs = new ArrayList<>();
        FileIdMesg[] fileIdMesg = new FileIdMesg[1];
        try {
            // The read with a definition listener follows chained FIT files (FIT protocol: several files
            // back to back, each with its header and CRC); the two-argument read stops after the first,
            // and the sessions of the others were dropped under a 202 (review r8). Bytes after the last
            // file that are not a FIT file fail here: a corrupt upload, 400.
            new Decode().read(new ByteArrayInputStream(bytes), mesg -> {
                if (mesg.getNum() == MesgNum.FILE_ID && fileIdMesg[0] == null) {
                    fileIdMesg[0] = new FileIdMesg(mesg);
                } else if (mesg.getNum() == MesgNum.SESSION) {
                    sessionMesgs.add(new SessionMesg(mesg));
                }
            }, definition -> {
            });
        } catch (FitRuntimeException e) {
            throw new UnreadableFitFile("the FIT file's messages cannot be decoded");
        }
        if (sessionMesgs.isEmpty()) {
            throw new UnreadableFitFile("the FIT file holds no session message: it is not a recorded activity");
        }
        List<WatchSession> sessions = new ArrayList<>();
        for (int i = 0; i < sessionMesgs.size(); i++) {
            SessionMesg s = sessionMesgs.get(i);
            sessions.add(new WatchSession(i, s.getSport() == null ? null : s.getSport().name(),
                    s.getSubSport() == null ? null : s.getSubSport().name(),
                    s.getStartTime() == null ? null : s.getStartTime().getDate().toInstant(),
                    s.getStartTime() == null ? null : s.getStartTime().getTimestamp(),
                    s.getTotalDistance(), s.getTotalTimerTime(), s.getAvgCadence(), s.getAvgFractionalCadence(),
                    s.getAvgHeartRate()));
        }
        return new FitActivityFile(fileId(fileIdMesg[0], bytes), List.copyOf(sessions));
    }

    /**
     * The id a session of this file has at its provider: the same file uploaded again gives the
     * same ids (so the same event ids, and nothing new published).
     */
    public String externalId(WatchSession session) {
        return fileId + "-s" + session.index() + "-t" + (session.startFitTime() == null ? "none" : session.startFitTime());
    }

    private static String fileId(FileIdMesg fileId, byte[] bytes) {
        if (fileId != null && fileId.getSerialNumber() != null && fileId.getTimeCreated() != null) {
            return "sn" + fileId.getSerialNumber() + "-tc" + fileId.getTimeCreated().getTimestamp();
        }
        try {
            // No serial number or creation time: the file's own bytes identify it.
            return "sha256-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
