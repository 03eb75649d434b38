package org.clusworker.host.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.clusworker.host.ResourceEvent;
import org.clusworker.host.ResourceListener;
import org.clusworker.host.ResourceState;

/**
 * Records every event, in delivery order, and lets a test wait for one (real time, bounded by
 * {@link Patience#PATIENCE}) and assert a resource's whole state history.
 */
public final class RecordingListener implements ResourceListener {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** @GuardedBy("lock") */
    private final List<ResourceEvent> events = new ArrayList<>();

    @Override
    public void onTransition(ResourceEvent event) {
        lock.lock();
        try {
            events.add(event);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Every event so far, in delivery order. */
    public List<ResourceEvent> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** The events of one resource, in order. */
    public List<ResourceEvent> events(String resource) {
        return events().stream().filter(e -> e.resource().equals(resource)).toList();
    }

    /** The states the resource went through: the first event's {@code from}, then every {@code to}. */
    public List<ResourceState> states(String resource) {
        List<ResourceEvent> list = events(resource);
        List<ResourceState> states = new ArrayList<>();
        if (!list.isEmpty()) {
            states.add(list.get(0).from());
        }
        for (ResourceEvent e : list) {
            states.add(e.to());
        }
        return states;
    }

    /**
     * Waits until the resource's latest delivered event leads to {@code state}; returns that event.
     * Events arrive on the host's event thread, later than the agent calls they cause: when the resource
     * has been in {@code state} before and its next events may still be on their way, use
     * {@link #awaitEntered} with the count instead.
     */
    public ResourceEvent awaitState(String resource, ResourceState state) {
        return await("the latest event of " + resource + " to lead to " + state, () -> {
            List<ResourceEvent> list = events(resource);
            ResourceEvent last = list.isEmpty() ? null : list.get(list.size() - 1);
            return last != null && last.to() == state ? last : null;
        });
    }

    /** Waits until the resource has entered {@code state} {@code n} times in all; returns the n-th such event. */
    public ResourceEvent awaitEntered(String resource, ResourceState state, int n) {
        return await(resource + " to enter " + state + " " + n + " times", () -> {
            List<ResourceEvent> list = events(resource).stream().filter(e -> e.to() == state).toList();
            return list.size() >= n ? list.get(n - 1) : null;
        });
    }

    /** Waits until some event matches. */
    public ResourceEvent awaitEvent(String what, Predicate<ResourceEvent> matcher) {
        return await(what, () -> events().stream().filter(matcher).findFirst().orElse(null));
    }

    private ResourceEvent await(String what, java.util.function.Supplier<ResourceEvent> probe) {
        return Patience.await(lock, changed, probe, () -> what + " within " + Patience.PATIENCE + ", but the events were:"
                + System.lineSeparator() + String.join(System.lineSeparator(), events.stream().map(Object::toString).toList()));
    }

    /**
     * Checks that no event was lost or reordered: each resource's events chain (every {@code from} is the
     * previous {@code to}), start at {@code Unknown}, and end at the state given for it.
     */
    public void assertChains(Map<String, ResourceState> finalStates) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, ResourceState> f : finalStates.entrySet()) {
            ResourceState at = ResourceState.UNKNOWN;
            for (ResourceEvent e : events(f.getKey())) {
                if (e.from() != at) {
                    problems.add(f.getKey() + ": event " + e + " does not start where the previous ended (" + at + ")");
                }
                at = e.to();
            }
            if (at != f.getValue()) {
                problems.add(f.getKey() + ": events end at " + at + ", but the status is " + f.getValue());
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " broken event chains:" + System.lineSeparator()
                    + String.join(System.lineSeparator(), problems.subList(0, Math.min(20, problems.size()))));
        }
    }
}
