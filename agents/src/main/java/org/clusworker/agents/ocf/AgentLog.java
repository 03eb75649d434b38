package org.clusworker.agents.ocf;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * An OCF resource's {@code agent.log}, kept open for appending between actions: opening and closing it
 * for every entry cost more than the write. Before each entry the file at the path is checked to be the
 * one open (same device and inode): one moved away by a log rotation, or removed, is closed and the
 * path opened again, so the entries go where an operator looks. Thread-safe: entries are whole.
 */
final class AgentLog implements AutoCloseable {

    private static final StandardOpenOption[] OPEN = {StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND};

    private final Path file;
    @GuardedBy("this")
    private FileChannel channel;
    /** The identity of the open file ({@link BasicFileAttributes#fileKey()}). */
    @GuardedBy("this")
    private Object key;
    @GuardedBy("this")
    private boolean closed;

    AgentLog(Path file) {
        this.file = file;
    }

    /** Appends {@code entry} (UTF-8). After {@link #close()} the file is opened for this entry alone. */
    synchronized void append(String entry) throws IOException {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(entry);
        if (closed) {
            try (FileChannel once = FileChannel.open(file, OPEN)) {
                writeAll(once, bytes);
            }
            return;
        }
        if (channel == null || !Objects.equals(key, keyOrNull())) {
            reopen();
        }
        writeAll(channel, bytes);
    }

    @GuardedBy("this")
    private void reopen() throws IOException {
        closeChannel();
        channel = FileChannel.open(file, OPEN);
        key = keyOrNull();
    }

    /** The identity of the file at the path now; {@code null} if there is none. */
    private Object keyOrNull() throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    private static void writeAll(FileChannel c, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            c.write(bytes);
        }
    }

    @GuardedBy("this")
    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // an append-only file: nothing is lost by a failed close
            }
            channel = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeChannel();
    }
}
