package org.clusworker.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.clusworker.testing.Await;
import org.junit.jupiter.api.Test;

class WorkerRegistryTest {

    @Test
    void addAndRemove_acrossEveryShard_keepExactlyTheLiveWorkers() {
        WorkerRegistry registry = new WorkerRegistry();
        Worker.Builder builder = Worker.builder("listed").virtual().registry(registry);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            workers.add(builder.start(ctx -> {
                ctx.awaitTermination();
                return 0;
            }));
        }
        assertThat(registry.size()).isEqualTo(300);
        assertThat(registry.workers()).containsExactlyInAnyOrderElementsOf(workers);

        List<Worker> firstHalf = workers.subList(0, 150);
        assertThat(Worker.terminateAll(firstHalf, Await.GENEROUS).allExited()).isTrue();
        assertThat(registry.size()).isEqualTo(150);
        assertThat(registry.live()).extracting(WorkerSnapshot::name)
                .containsExactlyInAnyOrderElementsOf(workers.subList(150, 300).stream().map(Worker::name).toList());

        assertThat(Worker.terminateAll(workers, Await.GENEROUS).allExited()).isTrue();
        assertThat(registry.size()).isZero();
        assertThat(registry.live()).isEmpty();
    }

    @Test
    void live_listsOldestFirst() {
        WorkerRegistry registry = new WorkerRegistry();
        Worker.Builder builder = Worker.builder("aged").registry(registry);
        Worker older = builder.start(ctx -> {
            ctx.awaitTermination();
            return 0;
        });
        Worker younger = builder.start(ctx -> {
            ctx.awaitTermination();
            return 0;
        });
        assertThat(registry.workers()).containsExactly(older, younger);
        assertThat(Worker.terminateAll(List.of(older, younger), Await.GENEROUS).allExited()).isTrue();
    }
}
