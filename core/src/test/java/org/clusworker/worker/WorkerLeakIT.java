package org.clusworker.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import org.clusworker.resapi.ClusWorker;
import org.clusworker.resapi.ResUtils;
import org.clusworker.resapi.Win32Error;
import org.clusworker.testing.Await;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * 100,000 create/terminate cycles leave no live thread behind and memory flat.
 */
@Tag("leak")
class WorkerLeakIT {

    private static final int CYCLES = 100_000;
    private static final int WARMUP = 10_000;
    /** Heap growth allowed between the warm-up and the end: far below what 90,000 retained workers would take. */
    private static final long ALLOWED_GROWTH = 8L * 1024 * 1024;

    @Test
    void facade_createTerminateCycles_leaveNoThreadAndFlatMemory() {
        ClusWorker worker = new ClusWorker();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int threadsBefore = threads.getThreadCount();
        long heapAfterWarmup = 0;
        for (int i = 0; i < CYCLES; i++) {
            assertThat(ResUtils.clusWorkerCreate(worker, (w, p) -> {
                while (!ResUtils.clusWorkerWaitTerminate(w, ResUtils.INFINITE)) {
                    Thread.onSpinWait();
                }
                return 0;
            }, null)).isEqualTo(Win32Error.ERROR_SUCCESS);
            ResUtils.clusWorkerTerminate(worker);
            if (i == WARMUP) {
                heapAfterWarmup = usedHeapAfterGc();
            }
        }
        assertThat(worker.hThread().isAlive()).isFalse();
        assertThat(threads.getThreadCount()).isLessThanOrEqualTo(threadsBefore);
        assertThat(usedHeapAfterGc() - heapAfterWarmup).isLessThan(ALLOWED_GROWTH);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void javaApi_startTerminateCycles_leaveNoWorkerAndFlatMemory(boolean virtual) {
        WorkerRegistry registry = new WorkerRegistry();
        Worker.Builder builder = Worker.builder("leak").virtual(virtual).registry(registry);
        long heapAfterWarmup = 0;
        Worker last = null;
        for (int i = 0; i < CYCLES; i++) {
            last = builder.start(ctx -> {
                ctx.awaitTermination();
                return 0;
            });
            assertThat(last.terminate(Await.GENEROUS)).isTrue();
            if (i == WARMUP) {
                heapAfterWarmup = usedHeapAfterGc();
            }
        }
        assertThat(registry.live()).isEmpty();
        assertThat(last.join(Await.GENEROUS)).isTrue();
        assertThat(usedHeapAfterGc() - heapAfterWarmup).isLessThan(ALLOWED_GROWTH);
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {       // the lowest of a few full collections: GC timing is not what we measure
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

}
