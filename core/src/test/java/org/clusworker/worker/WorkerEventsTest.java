package org.clusworker.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.clusworker.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerEventsTest {

    @Test
    void jfr_recordsCreatedTerminateRequestedExitedAndTimedOut(@TempDir Path dir) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        String polite;
        String stubborn;
        try (Recording recording = new Recording()) {
            for (String name : List.of("WorkerCreated", "WorkerTerminateRequested", "WorkerExited", "WorkerTerminateTimedOut")) {
                recording.enable("org.clusworker." + name).withThreshold(Duration.ZERO);
            }
            recording.start();
            Worker a = Worker.builder("jfr-polite").start(ctx -> {
                ctx.awaitTermination();
                return 3;
            });
            Worker b = Worker.builder("jfr-stubborn").start(ctx -> {
                release.await();
                return 0;
            });
            polite = a.name();
            stubborn = b.name();
            Await.blocked(b.thread());
            assertThat(a.terminate(Await.GENEROUS)).isTrue();
            assertThat(b.terminate(Duration.ofMillis(10))).isFalse();
            release.countDown();
            assertThat(b.awaitExit(Await.GENEROUS)).isTrue();
            recording.stop();
            Path file = dir.resolve("workers.jfr");
            recording.dump(file);

            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            assertThat(events).filteredOn(e -> e.getEventType().getName().equals("org.clusworker.WorkerCreated"))
                    .extracting(e -> e.getString("worker")).contains(polite, stubborn);
            assertThat(events).filteredOn(e -> e.getEventType().getName().equals("org.clusworker.WorkerTerminateRequested"))
                    .extracting(e -> e.getString("worker")).contains(polite, stubborn);
            assertThat(events).filteredOn(e -> e.getEventType().getName().equals("org.clusworker.WorkerExited")
                    && e.getString("worker").equals(polite))
                    .singleElement().satisfies(e -> assertThat(e.getInt("exitCode")).isEqualTo(3));
            assertThat(events).filteredOn(e -> e.getEventType().getName().equals("org.clusworker.WorkerTerminateTimedOut"))
                    .singleElement().satisfies(e -> {
                        assertThat(e.getString("worker")).isEqualTo(stubborn);
                        assertThat(e.getString("stack")).contains("CountDownLatch.await");
                    });
            Files.deleteIfExists(file);
        }
    }
}
