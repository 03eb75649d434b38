package org.clusworker.agents.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.clusworker.agents.support.ProcessTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pid and start time of a resource's process, kept in its work directory, so that a host started
 * after a crash of the previous one finds the process it left behind and kills it before it starts a
 * new one. A pid alone could have been reused; pid and start time together cannot.
 */
final class PidFile {

    private static final Logger LOG = LoggerFactory.getLogger(PidFile.class);

    private final Path file;

    PidFile(Path file) {
        this.file = file;
    }

    void write(ProcessHandle process) {
        java.util.OptionalLong started = ProcessTree.startMillis(process);
        String start = started.isPresent() ? Long.toString(started.getAsLong()) : "-";
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, process.pid() + " " + start + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("cannot write pid file {}: {}", file, e.toString());
        }
    }

    /** Kills the process the file names, if it is still alive and started when the file says. */
    void killOrphan(String resource) {
        find().ifPresent(p -> {
            LOG.warn("{}: pid {} was left running by an earlier host; killing it", resource, p.pid());
            ProcessTree.killTree(p);
        });
        delete();
    }

    private Optional<ProcessHandle> find() {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String[] parts = Files.readString(file, StandardCharsets.UTF_8).strip().split(" ");
            if (parts.length != 2 || parts[1].equals("-")) {
                return Optional.empty();
            }
            long pid = Long.parseLong(parts[0]);
            long start = Long.parseLong(parts[1]);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> ProcessTree.startMillis(p).orElse(Long.MIN_VALUE) == start);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable pid file {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete pid file {}: {}", file, e.toString());
        }
    }
}
