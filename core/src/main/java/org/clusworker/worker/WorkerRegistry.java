package org.clusworker.worker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workers that are alive: started and not yet exited. Use it for leak checks
 * ({@code assertThat(registry.live()).isEmpty()}) and for diagnostics.
 *
 * <p>A worker is added when {@link Worker#start()} is called and removed by its own thread after its
 * routine returns, before its exit is published: once {@link Worker#awaitExit} has returned
 * {@code true}, the worker is no longer listed. Thread-safe; reads never block writers.
 */
public final class WorkerRegistry {

    private static final WorkerRegistry GLOBAL = new WorkerRegistry();

    private final Set<Worker> workers = ConcurrentHashMap.newKeySet();

    /** A registry of its own, e.g. one per host or per test. */
    public WorkerRegistry() {
    }

    /** The registry every worker uses unless its builder names another. */
    public static WorkerRegistry global() {
        return GLOBAL;
    }

    void add(Worker worker) {
        workers.add(worker);
    }

    void remove(Worker worker) {
        workers.remove(worker);
    }

    /** How many workers are alive. */
    public int size() {
        return workers.size();
    }

    /** The live workers, oldest first. */
    public List<Worker> workers() {
        List<Worker> list = new ArrayList<>(workers);
        list.sort(Comparator.comparing((Worker w) -> w.snapshot().age()).reversed());
        return list;
    }

    /** Snapshots of the live workers (name, state, age), oldest first. */
    public List<WorkerSnapshot> live() {
        List<WorkerSnapshot> list = new ArrayList<>();
        for (Worker w : workers) {
            list.add(w.snapshot());
        }
        list.sort(Comparator.comparing(WorkerSnapshot::age).reversed());
        return list;
    }

    @Override
    public String toString() {
        return "WorkerRegistry" + live();
    }
}
