package org.clusworker.agents.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Finding and waiting for the real processes the tests start. */
public final class Processes {

    private Processes() {
    }

    /** Processes whose command line contains {@code marker}. */
    public static List<ProcessHandle> withMarker(String marker) {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)).toList();
        }
    }

    public static Optional<Long> readPid(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Long.parseLong(Files.readString(file).strip().split(" ")[0]))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code condition} holds within {@code timeout} (Awaitility, polling every 20 ms). */
    public static boolean eventually(BooleanSupplier condition, Duration timeout) {
        try {
            org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }
}
