package org.clusworker.agents.ocf;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.clusworker.agents.support.ProcessTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCF actions of one resource that are running, recorded in its work directory while they run, so
 * that a host started after a crash of the previous one finds the actions it left behind (a half-done
 * {@code start}, say) and kills their process groups before it touches the resource. A pid alone could
 * have been reused; pid and start time together cannot.
 *
 * <p>The records are lines of {@value #SLOT} bytes in {@code actions/running}, {@code "PID START ACTION"}
 * padded with spaces; a line of spaces is a free slot. An action takes the first free slot (not one that
 * holds an earlier host's record) and blanks it when it ends: two positional writes to a file kept open,
 * where a file per action cost a create and an unlink (a fifth of the host's CPU per action). Records of
 * the older layout, a file {@code actions/ACTION-PID} each, are still read.
 *
 * <p>Thread-safe. Every {@code ActionRecords} of one work directory in this JVM (an agent opened again
 * while a call of the one before still runs) shares one {@link Slots}: its lock guards the slots in use
 * and the file (a write of 64 bytes; a {@code RandomAccessFile}, not a {@code FileChannel}, whose
 * interrupted writer would close it for everyone).
 */
final class ActionRecords implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ActionRecords.class);
    /** The length of a record, its newline included. */
    static final int SLOT = 64;
    /** What {@link #record} returns when the action could not be recorded. */
    static final int NONE = -1;
    private static final byte[] BLANK = blank();
    /** The open record files of this JVM, by path. */
    @GuardedBy("OPEN")
    private static final Map<Path, Slots> OPEN = new HashMap<>();

    private final Path directory;
    private final Path file;
    /** This instance's share of the file, taken at its first record; null before and once closed. */
    @GuardedBy("this")
    private Slots slots;
    @GuardedBy("this")
    private boolean closed;

    ActionRecords(Path workDirectory) {
        this.directory = workDirectory.resolve("actions");
        this.file = directory.resolve("running").toAbsolutePath().normalize();
    }

    /**
     * The slots of one record file, and the file, open while some {@code ActionRecords} uses it. The
     * records found in the file when it is opened are another host's (one that crashed): their slots are
     * not taken until {@link #killLeftBehind} has dealt with them.
     */
    private static final class Slots {
        /** The slots of the actions this JVM runs. */
        @GuardedBy("this")
        final BitSet used = new BitSet();
        /** The slots of the records an earlier host left. */
        @GuardedBy("this")
        final BitSet foreign = new BitSet();
        @GuardedBy("this")
        RandomAccessFile out;
        /** Whether the last user let go of it: a record racing that close is not made (and opens nothing). */
        @GuardedBy("this")
        boolean closed;
        /** How many {@code ActionRecords} share it. */
        @GuardedBy("OPEN")
        int users;

        @GuardedBy("this")
        private RandomAccessFile open(Path file) throws IOException {
            if (out == null) {
                if (closed) {
                    throw new IOException("closed");
                }
                Files.createDirectories(file.getParent());
                out = new RandomAccessFile(file.toFile(), "rw");
                List<String> lines = slots(file);
                for (int slot = 0; slot < lines.size(); slot++) {
                    if (!lines.get(slot).isBlank()) {
                        foreign.set(slot);
                    }
                }
            }
            return out;
        }

        synchronized int take(Path file, byte[] line) throws IOException {
            RandomAccessFile f = open(file);
            int slot = used.nextClearBit(0);
            while (foreign.get(slot)) {
                slot = used.nextClearBit(slot + 1);
            }
            f.seek((long) slot * SLOT);
            f.write(line);
            used.set(slot);
            return slot;
        }

        synchronized void free(int slot) throws IOException {
            try {
                if (out != null) {
                    out.seek((long) slot * SLOT);
                    out.write(BLANK);
                }
            } finally {
                used.clear(slot);
            }
        }

        /** Kills what the foreign records name and blanks them. */
        synchronized void killForeign(Path file, String resource, List<String> killed) throws IOException {
            RandomAccessFile f = open(file);
            List<String> lines = slots(file);
            for (int slot = foreign.nextSetBit(0); slot >= 0 && slot < lines.size(); slot = foreign.nextSetBit(slot + 1)) {
                killIfRunning(resource, lines.get(slot), killed);
                f.seek((long) slot * SLOT);
                f.write(BLANK);
            }
            foreign.clear();
        }

        synchronized void closeFile() throws IOException {
            closed = true;
            if (out != null) {
                out.close();
                out = null;
            }
        }
    }

    /**
     * Records a running action. Failing to record is logged, not fatal.
     *
     * @return its slot, for {@link #remove}, or {@link #NONE}
     */
    int record(ProcessHandle process, String action) {
        byte[] line = line(process, action);
        Slots s = slots();
        if (s == null) {
            return NONE;      // closed: the host is shutting the agent down
        }
        try {
            return s.take(file, line);
        } catch (IOException e) {
            LOG.warn("cannot record the running OCF action {} in {}: {}", action, file, e.toString());
            return NONE;
        }
    }

    /** Forgets the record of an action that ended. */
    void remove(int slot) {
        Slots s;
        synchronized (this) {
            s = slots;
        }
        if (slot == NONE || s == null) {
            return;
        }
        try {
            s.free(slot);
        } catch (IOException e) {
            LOG.warn("cannot blank the record {} of {}: {}", slot, file, e.toString());
        }
    }

    private synchronized Slots slots() {
        if (slots == null && !closed) {
            synchronized (OPEN) {
                slots = OPEN.computeIfAbsent(file, f -> new Slots());
                slots.users++;
            }
        }
        return slots;
    }

    /** Lets go of the file (closed when no other instance uses it); the records it holds stay. */
    @Override
    public synchronized void close() {
        closed = true;
        if (slots == null) {
            return;
        }
        synchronized (OPEN) {
            if (--slots.users == 0) {
                OPEN.remove(file);
                try {
                    slots.closeFile();
                } catch (IOException e) {
                    LOG.debug("cannot close {}", file, e);
                }
            }
        }
        slots = null;
    }

    /**
     * Kills the process group of every action an earlier host recorded that still runs (same pid, same
     * start time), and forgets those records; the records of the actions this JVM runs stay.
     *
     * @return what was killed, one {@code "start (pid 123)"} each
     */
    List<String> killLeftBehind(String resource) {
        List<String> killed = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return killed;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path f : files) {
                if (f.toAbsolutePath().normalize().equals(file)) {
                    Slots s = slots();
                    if (s != null) {
                        s.killForeign(file, resource, killed);
                    }
                } else {
                    killIfRunning(resource, Files.readString(f, StandardCharsets.UTF_8), killed);
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot read {}: {}", resource, directory, e.toString());
        }
        return killed;
    }

    private static void killIfRunning(String resource, String record, List<String> killed) {
        String[] parts = record.strip().split(" +");
        if (parts.length < 2) {
            return;
        }
        String action = parts.length > 2 ? parts[2] : "action";
        find(parts[0], parts[1]).ifPresent(p -> {
            LOG.warn("{}: OCF {} (pid {}) was left running by an earlier host; killing its process group", resource, action, p.pid());
            ProcessTree.killTree(p);
            killed.add(action + " (pid " + p.pid() + ")");
        });
    }

    private static Optional<ProcessHandle> find(String pidText, String startText) {
        try {
            if (startText.equals("-")) {
                return Optional.empty();
            }
            long start = Long.parseLong(startText);
            return ProcessHandle.of(Long.parseLong(pidText)).filter(ProcessTree::running)
                    .filter(p -> ProcessTree.startMillis(p).orElse(Long.MIN_VALUE) == start);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The file's records by slot, {@value #SLOT} bytes each, however damaged (a byte is a character). */
    private static List<String> slots(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        List<String> slots = new ArrayList<>(all.length / SLOT + 1);
        for (int at = 0; at < all.length; at += SLOT) {
            slots.add(new String(all, at, Math.min(SLOT, all.length - at), StandardCharsets.ISO_8859_1));
        }
        return slots;
    }

    /** {@code "PID START ACTION"}, padded with spaces to {@value #SLOT} bytes, the last a newline. */
    private static byte[] line(ProcessHandle process, String action) {
        OptionalLong start = ProcessTree.startMillis(process);
        String text = process.pid() + " " + (start.isPresent() ? Long.toString(start.getAsLong()) : "-") + " "
                + action;
        byte[] line = BLANK.clone();
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, line, 0, Math.min(bytes.length, SLOT - 1));
        return line;
    }

    private static byte[] blank() {
        byte[] b = new byte[SLOT];
        Arrays.fill(b, (byte) ' ');
        b[SLOT - 1] = '\n';
        return b;
    }
}
