package io.strideback.intake.fit;

import com.garmin.fit.DateTime;
import com.garmin.fit.Decode;
import com.garmin.fit.FileIdMesg;
import com.garmin.fit.MesgNum;
import com.garmin.fit.SessionMesg;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A watch's FIT activity file (Garmin FIT SDK, FIT Protocol License; README "Connecting a watch"),
 * read only after its integrity check (header, declared size, CRC), so a truncated or damaged
 * upload is refused whole instead of half-imported.
 *
 * @param fileId   what identifies this file among every file of every watch: the file_id
 *                 message's serial number and time created, or the file's SHA-256 when the
 *                 watch left either out (of the first file when files are chained; each session
 *                 carries its own file's)
 * @param sessions the session messages, in the file's order (a multisport file has several)
 */
public record FitActivityFile(String fileId, List<WatchSession> sessions) {

    private static final String CORRUPT_MESSAGES = "the FIT file is corrupt: its messages cannot be decoded";

    /**
     * One FIT session message, in FIT units (metres, seconds, strides a minute): its place in the
     * upload ({@code index}, what a refusal names), and the file it came from with its place there
     * (what identifies it, whether the file is uploaded alone or chained with others).
     */
    public record WatchSession(int index, String fileId, int indexInFile, String sport, String subSport, Instant startedAt, Long startFitTime,
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
        return read(bytes, FitActivityFile::watchSession);
    }

    /** {@link #read(byte[])} with the mapping of each decoded session given (the tests give a failing one). */
    static FitActivityFile read(byte[] bytes, SessionMapping mapping) throws UnreadableFitFile {
        if (bytes == null || bytes.length < 12 || !new Decode().isFileFit(new ByteArrayInputStream(bytes))) {
            throw new UnreadableFitFile("not a FIT file: no valid FIT file header");
        }
        // FIT's chained files (FIT protocol: several files back to back, each with its header and CRC;
        // review r8: before, only the first file's sessions were taken and the others dropped under a 202).
        // Each file is read on its own so that its sessions carry its own identity (review r15: with the
        // first file's serial and the upload-wide place, a watch file uploaded once chained and once alone
        // gave its run two ids, and the same run was logged twice).
        List<WatchSession> sessions = new ArrayList<>();
        String firstFileId = null;
        int offset = 0;
        while (offset < bytes.length) {
            byte[] one = oneFile(bytes, offset);
            String fileId = readOne(one, sessions, mapping);
            firstFileId = firstFileId == null ? fileId : firstFileId;
            offset += one.length;
        }
        if (sessions.isEmpty()) {
            throw new UnreadableFitFile("the FIT file holds no session message: it is not a recorded activity");
        }
        return new FitActivityFile(firstFileId, List.copyOf(sessions));
    }

    /** The FIT file that starts at {@code offset}, checked whole: header, declared size and CRC. */
    private static byte[] oneFile(byte[] bytes, int offset) throws UnreadableFitFile {
        int left = bytes.length - offset;
        if (offset > 0 && (left < 12 || !new Decode().isFileFit(new ByteArrayInputStream(bytes, offset, left)))) {
            // Bytes after the last file that are not a FIT file: a corrupt upload, 400.
            throw new UnreadableFitFile("the FIT file's messages cannot be decoded: the " + left
                    + " bytes after byte " + offset + " are not a FIT file");
        }
        // FIT file header: byte 0 its size (12 or 14), bytes 4-7 the data size (little-endian);
        // then the data and a 2-byte CRC (FIT protocol, "File header").
        int headerSize = bytes[offset] & 0xff;
        long dataSize = (bytes[offset + 4] & 0xffL) | (bytes[offset + 5] & 0xffL) << 8
                | (bytes[offset + 6] & 0xffL) << 16 | (bytes[offset + 7] & 0xffL) << 24;
        if (left < headerSize + dataSize + 2) {
            throw new UnreadableFitFile("the FIT file is truncated: its header declares " + (headerSize + dataSize + 2)
                    + " bytes, the upload has " + left + (offset == 0 ? "" : " from byte " + offset));
        }
        byte[] one = Arrays.copyOfRange(bytes, offset, offset + headerSize + (int) dataSize + 2);
        boolean intact;
        try {
            intact = new Decode().checkFileIntegrity(new ByteArrayInputStream(one));
        } catch (RuntimeException e) {
            // Round 18: under a matching CRC, damaged messages make Garmin's decoder throw more than its
            // FitRuntimeException (ClassCastException, ArrayIndexOutOfBoundsException, NullPointerException):
            // still a corrupt file, 400, never 500 (FitActivityFileTest).
            throw new UnreadableFitFile(CORRUPT_MESSAGES);
        }
        if (!intact) {
            throw new UnreadableFitFile("the FIT file is corrupt: its CRC does not match its content");
        }
        return one;
    }

    /** Adds the sessions of one (unchained) FIT file to {@code sessions}; answers the file's id. */
    private static String readOne(byte[] one, List<WatchSession> sessions, SessionMapping mapping)
            throws UnreadableFitFile {
        Decoded decoded = decode(one);
        // Round 19: what follows is our own mapping, outside the decoder's catch. A defect here is ours: it fails the
        // request (500, in the log) instead of calling the athlete's file corrupt.
        String fileId = fileId(decoded.serialNumber(), decoded.timeCreated(), one);
        for (int i = 0; i < decoded.sessions().size(); i++) {
            sessions.add(mapping.session(sessions.size(), fileId, i, decoded.sessions().get(i)));
        }
        return fileId;
    }

    /**
     * What Garmin's SDK reads from one file: its decode call and the typed getters of its messages, which throw on
     * damaged definitions (a field of another base type: ClassCastException) as the decoder does on damaged
     * messages (FitRuntimeException, ArrayIndexOutOfBoundsException, NullPointerException; see oneFile). Only these
     * calls are a corrupt file's symptoms: each is answered "corrupt" (400).
     */
    private static Decoded decode(byte[] one) throws UnreadableFitFile {
        try {
            List<SessionMesg> sessionMesgs = new ArrayList<>();
            FileIdMesg[] fileIdMesg = new FileIdMesg[1];
            new Decode().read(new ByteArrayInputStream(one), mesg -> {
                if (mesg.getNum() == MesgNum.FILE_ID && fileIdMesg[0] == null) {
                    fileIdMesg[0] = new FileIdMesg(mesg);
                } else if (mesg.getNum() == MesgNum.SESSION) {
                    sessionMesgs.add(new SessionMesg(mesg));
                }
            }, definition -> {
            });
            List<DecodedSession> read = new ArrayList<>();
            for (SessionMesg s : sessionMesgs) {
                DateTime start = s.getStartTime();
                read.add(new DecodedSession(s.getSport() == null ? null : s.getSport().name(),
                        s.getSubSport() == null ? null : s.getSubSport().name(),
                        start == null ? null : start.getDate(), start == null ? null : start.getTimestamp(),
                        s.getTotalDistance(), s.getTotalTimerTime(), s.getAvgCadence(), s.getAvgFractionalCadence(),
                        s.getAvgHeartRate()));
            }
            FileIdMesg id = fileIdMesg[0];
            DateTime created = id == null ? null : id.getTimeCreated();
            return new Decoded(id == null ? null : id.getSerialNumber(), created == null ? null : created.getTimestamp(),
                    read);
        } catch (RuntimeException e) {
            throw new UnreadableFitFile(CORRUPT_MESSAGES);
        }
    }

    /** One file as the SDK read it: the file_id's serial number and creation time (FIT time), and its sessions. */
    private record Decoded(Long serialNumber, Long timeCreated, List<DecodedSession> sessions) {
    }

    /** One session message's fields as the SDK read them, in FIT units; null where the watch left a field out. */
    record DecodedSession(String sport, String subSport, java.util.Date startTime, Long startFitTime,
                          Float totalDistanceMetres, Float totalTimerTimeSeconds, Short avgCadence,
                          Float avgFractionalCadence, Short avgHeartRate) {
    }

    /** Turns a decoded session into a {@link WatchSession}: our code, not the SDK's (a seam for the tests). */
    @FunctionalInterface
    interface SessionMapping {
        WatchSession session(int index, String fileId, int indexInFile, DecodedSession decoded);
    }

    private static WatchSession watchSession(int index, String fileId, int indexInFile, DecodedSession s) {
        return new WatchSession(index, fileId, indexInFile, s.sport(), s.subSport(),
                s.startTime() == null ? null : s.startTime().toInstant(), s.startFitTime(), s.totalDistanceMetres(),
                s.totalTimerTimeSeconds(), s.avgCadence(), s.avgFractionalCadence(), s.avgHeartRate());
    }

    /**
     * The id a session of this file has at its provider: the same file uploaded again gives the
     * same ids (so the same event ids, and nothing new published).
     */
    public String externalId(WatchSession session) {
        return session.fileId() + "-s" + session.indexInFile() + "-t" + (session.startFitTime() == null ? "none" : session.startFitTime());
    }

    private static String fileId(Long serialNumber, Long timeCreated, byte[] bytes) {
        if (serialNumber != null && timeCreated != null) {
            return "sn" + serialNumber + "-tc" + timeCreated;
        }
        try {
            // No serial number or creation time: the file's own bytes identify it.
            return "sha256-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
