package org.clusworker.agents.ocf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clusworker.agents.support.ProcessTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCF actions of one resource that are running, recorded in its work directory
 * ({@code actions/<action>-<pid>}: pid, start time, action) while they run, so that a host started
 * after a crash of the previous one finds the actions it left behind (a half-done {@code start}, say)
 * and kills their process groups before it touches the resource. A pid alone could have been reused;
 * pid and start time together cannot. Thread-safe: each action has a file of its own.
 */
final class ActionRecords {

    private static final Logger LOG = LoggerFactory.getLogger(ActionRecords.class);

    private final Path directory;

    ActionRecords(Path workDirectory) {
        this.directory = workDirectory.resolve("actions");
    }

    /** Records a running action; returns its record, for {@link #remove}. Failing to record is logged, not fatal. */
    Path record(ProcessHandle process, String action) {
        Path file = directory.resolve(action + "-" + process.pid());
        String start = process.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("-");
        String line = process.pid() + " " + start + " " + action + "\n";
        try {
            try {
                Files.writeString(file, line, StandardCharsets.UTF_8);
            } catch (java.nio.file.NoSuchFileException first) {
                Files.createDirectories(directory);      // the first record (or the directory was removed since)
                Files.writeString(file, line, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            LOG.warn("cannot record the running OCF action {} in {}: {}", action, file, e.toString());
        }
        return file;
    }

    void remove(Path record) {
        try {
            Files.deleteIfExists(record);
        } catch (IOException e) {
            LOG.warn("cannot delete the record {}: {}", record, e.toString());
        }
    }

    /**
     * Kills the process group of every recorded action that still runs (same pid, same start time),
     * and forgets every record.
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
                find(f).ifPresent(p -> {
                    String action = f.getFileName().toString().replaceFirst("-\\d+$", "");
                    LOG.warn("{}: OCF {} (pid {}) was left running by an earlier host; killing its process group", resource, action, p.pid());
                    ProcessTree.killTree(p);
                    killed.add(action + " (pid " + p.pid() + ")");
                });
                remove(f);
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot read {}: {}", resource, directory, e.toString());
        }
        return killed;
    }

    private static Optional<ProcessHandle> find(Path record) {
        try {
            String[] parts = Files.readString(record, StandardCharsets.UTF_8).strip().split(" ");
            if (parts.length < 2 || parts[1].equals("-")) {
                return Optional.empty();
            }
            long pid = Long.parseLong(parts[0]);
            long start = Long.parseLong(parts[1]);
            return ProcessHandle.of(pid).filter(ProcessTree::running)
                    .filter(p -> p.info().startInstant().map(i -> i.toEpochMilli() == start).orElse(false));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
