package org.clusworker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.clusworker.worker.WorkerRegistry;
import org.junit.jupiter.api.Test;

class PendingOnlineTest {

    @Test
    void run_showsEachPartOfThePatternAndLeavesNoWorker() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);

        // Steps of an hour in part 2: it only finishes because the terminate wakes the routine.
        new PendingOnline(out, Duration.ofMillis(1), Duration.ofHours(1)).run();

        assertThat(text.toString())
                .contains("Online(db) returned ERROR_IO_PENDING at once")
                .contains("db is Online; its worker exited with ERROR_SUCCESS")
                .contains("web is Offline; flag=true; its worker exited with ERROR_OPERATION_ABORTED")
                .contains("ClusWorkerTerminateEx(stubborn, 500 ms) = WAIT_TIMEOUT (258)")
                .contains("is stuck (TERMINATION_REQUESTED)")
                .contains("blockInAnUninterruptibleCall")
                .contains("after its blocking call was released: ERROR_SUCCESS");
        assertThat(WorkerRegistry.global().live()).isEmpty();
    }
}
