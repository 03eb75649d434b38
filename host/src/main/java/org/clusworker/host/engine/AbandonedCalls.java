package org.clusworker.host.engine;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import org.clusworker.host.AbandonedCall;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's record of the calls it abandoned (see {@link AbandonedCall}). Thread-safe: a list under
 * {@code this}, which no other lock is taken under.
 */
public final class AbandonedCalls {

    @GuardedBy("this")
    private final List<AbandonedCall> calls = new ArrayList<>();

    /** Records a newly abandoned call; returns its index, for {@link #returned}. */
    synchronized int add(AbandonedCall call) {
        calls.add(call);
        return calls.size() - 1;
    }

    /** Records that the call at {@code index} finally returned. */
    synchronized void returned(int index, Instant at) {
        AbandonedCall c = calls.get(index);
        calls.set(index, new AbandonedCall(c.resource(), c.entryPoint(), c.worker(), c.abandonedAt(), c.stack(), at));
    }

    public synchronized List<AbandonedCall> snapshot() {
        return List.copyOf(calls);
    }
}
