package org.clusworker.cluster.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.clusworker.host.agent.AgentContext;
import org.clusworker.host.agent.Operation;
import org.clusworker.host.agent.ResourceAgent;
import org.clusworker.host.agent.ResourceType;

/**
 * A resource type whose agents only record, in a {@link History} shared by every node of a test,
 * when their resource was online where and with which epoch: the in-process oracle of mutual exclusion.
 */
public final class MemoryType implements ResourceType {

    private final String node;
    private final History history;
    /** While set, the health checks say the resource is dead. */
    public final java.util.concurrent.atomic.AtomicBoolean dead = new java.util.concurrent.atomic.AtomicBoolean();
    /** While set, offline hangs (until the test clears it): a stop that cannot be confirmed. */
    public final java.util.concurrent.atomic.AtomicBoolean hangOffline = new java.util.concurrent.atomic.AtomicBoolean();
    /** The command a watchdog runs to stop the resource when it fences the node; none while null. */
    public volatile org.clusworker.host.agent.FenceActions.StopCommand fenceStop;

    public MemoryType(String node, History history) {
        this.node = node;
        this.history = history;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public ResourceAgent open(AgentContext context) {
        return new ResourceAgent() {
            private volatile boolean up;

            @Override
            public void online(Operation operation) {
                OptionalLong epoch = context.epoch();
                history.started(context.resourceName(), node, epoch.orElse(-1));
                up = true;
            }

            @Override
            public void offline(Operation operation) {
                while (hangOffline.get()) {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                stop();
            }

            @Override
            public void terminate() {
                stop();
            }

            private void stop() {
                if (up) {
                    up = false;
                    history.stopped(context.resourceName(), node);
                }
            }

            @Override
            public org.clusworker.host.agent.FenceActions fenceActions() {
                org.clusworker.host.agent.FenceActions.StopCommand c = fenceStop;
                return c == null ? org.clusworker.host.agent.FenceActions.NONE
                        : new org.clusworker.host.agent.FenceActions(List.of(), java.util.Optional.of(c));
            }

            @Override
            public boolean looksAlive() {
                return up && !dead.get();
            }

            @Override
            public boolean isAlive() {
                return up && !dead.get();
            }

            @Override
            public void close() {
                stop();
            }
        };
    }

    /** Every start and stop of every node, in the order they happened. Thread-safe. */
    public static final class History {

        /** One incarnation of a resource: where, with which epoch, from when to when (nanoTime; {@code Long.MAX_VALUE} while alive). */
        public record Interval(String resource, String node, long epoch, long from, long to) {
        }

        private final List<Interval> intervals = new ArrayList<>();

        synchronized void started(String resource, String node, long epoch) {
            intervals.add(new Interval(resource, node, epoch, System.nanoTime(), Long.MAX_VALUE));
        }

        synchronized void stopped(String resource, String node) {
            for (int i = intervals.size() - 1; i >= 0; i--) {
                Interval v = intervals.get(i);
                if (v.resource().equals(resource) && v.node().equals(node) && v.to() == Long.MAX_VALUE) {
                    intervals.set(i, new Interval(resource, node, v.epoch(), v.from(), System.nanoTime()));
                    return;
                }
            }
        }

        public synchronized List<Interval> intervals() {
            return List.copyOf(intervals);
        }

        /** Where the resource is alive now. */
        public synchronized List<Interval> alive(String resource) {
            return intervals.stream().filter(v -> v.resource().equals(resource) && v.to() == Long.MAX_VALUE).toList();
        }

        /** Pairs of incarnations of one resource on different nodes that overlapped in time; empty if none. */
        public synchronized List<String> overlaps() {
            List<String> found = new ArrayList<>();
            for (int i = 0; i < intervals.size(); i++) {
                for (int j = i + 1; j < intervals.size(); j++) {
                    Interval a = intervals.get(i);
                    Interval b = intervals.get(j);
                    if (a.resource().equals(b.resource()) && !a.node().equals(b.node()) && a.from() < b.to() && b.from() < a.to()) {
                        found.add(a + " overlaps " + b);
                    }
                }
            }
            return found;
        }
    }
}
