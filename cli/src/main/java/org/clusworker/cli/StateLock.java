package org.clusworker.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a state directory ({@code host.lock}), so that two hosts never share one. The
 * operating system drops it when the process dies, so a crashed host leaves no stale lock.
 */
final class StateLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IOException if another host holds the directory, or the lock file cannot be opened */
    static StateLock acquire(Path stateDirectory) throws IOException {
        Path file = stateDirectory.resolve("host.lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("another host is running with state directory " + stateDirectory
                    + " (it holds " + file + "); stop it, or give this one another host.stateDirectory");
        }
        return new StateLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
