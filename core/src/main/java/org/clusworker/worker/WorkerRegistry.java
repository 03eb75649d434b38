package org.clusworker.worker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The workers that are alive: started and not yet exited. Use it for leak checks
 * ({@code assertThat(registry.live()).isEmpty()}) and for diagnostics.
 *
 * <p>A worker is added when {@link Worker#start()} is called and removed by its own thread after its
 * routine returns, before its exit is published: once {@link Worker#awaitExit} has returned
 * {@code true}, the worker is no longer listed. Thread-safe.
 *
 * <p>Implementation notes: adding and removing are on every worker's start and exit, so they must
 * cost next to nothing next to a virtual thread's start (a {@code ConcurrentHashMap} here took a fifth
 * of the CPU of starting and stopping 10,000 virtual workers). The workers are spread by sequence
 * number over shards; each shard is an intrusive doubly-linked list (the links are fields of
 * {@link Worker}) guarded by the shard's monitor: no hashing, no allocation, no shared counter, and
 * two workers contend only if they share a shard. Reads lock one shard at a time, so a listing is
 * consistent per shard, not across shards.
 */
public final class WorkerRegistry {

    private static final int SHARDS =
            Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 8 - 1) << 1;
    private static final WorkerRegistry GLOBAL = new WorkerRegistry();

    private final Shard[] shards = new Shard[SHARDS];

    /** A registry of its own, e.g. one per host or per test. */
    public WorkerRegistry() {
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new Shard();
        }
    }

    /** The registry every worker uses unless its builder names another. */
    public static WorkerRegistry global() {
        return GLOBAL;
    }

    void add(Worker worker) {
        Shard shard = shardOf(worker);
        synchronized (shard) {
            worker.registryNext = shard.head;
            worker.registryPrev = null;
            if (shard.head != null) {
                shard.head.registryPrev = worker;
            }
            shard.head = worker;
            shard.size++;
        }
    }

    void remove(Worker worker) {
        Shard shard = shardOf(worker);
        synchronized (shard) {
            Worker prev = worker.registryPrev;
            Worker next = worker.registryNext;
            if (prev == null && shard.head != worker) {
                return;                                 // not listed
            }
            if (prev == null) {
                shard.head = next;
            } else {
                prev.registryNext = next;
            }
            if (next != null) {
                next.registryPrev = prev;
            }
            worker.registryPrev = null;
            worker.registryNext = null;
            shard.size--;
        }
    }

    private Shard shardOf(Worker worker) {
        return shards[(int) worker.sequence() & (SHARDS - 1)];
    }

    /** How many workers are alive. */
    public int size() {
        int n = 0;
        for (Shard shard : shards) {
            synchronized (shard) {
                n += shard.size;
            }
        }
        return n;
    }

    private List<Worker> all() {
        List<Worker> list = new ArrayList<>();
        for (Shard shard : shards) {
            synchronized (shard) {
                for (Worker w = shard.head; w != null; w = w.registryNext) {
                    list.add(w);
                }
            }
        }
        return list;
    }

    /** The live workers, oldest first. */
    public List<Worker> workers() {
        List<Worker> list = all();
        list.sort(Comparator.comparingLong(Worker::sequence));      // sequence numbers follow creation
        return list;
    }

    /** Snapshots of the live workers (name, state, age), oldest first. */
    public List<WorkerSnapshot> live() {
        return workers().stream().map(Worker::snapshot).toList();
    }

    @Override
    public String toString() {
        return "WorkerRegistry" + live();
    }

    /** One list of workers; its fields and the workers' registry links are guarded by its monitor. */
    private static final class Shard {
        /** Guarded by {@code this}. */
        Worker head;
        /** Guarded by {@code this}. */
        int size;
    }
}
