package org.clusworker.host;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An agent entry point that did not return within its resource's {@code deadlockTimeout}: the host
 * failed the resource, left the call's thread where it is (nothing kills a thread) and counts it here.
 *
 * @param resource    the resource
 * @param entryPoint  {@code "online"}, {@code "isAlive"}, ...
 * @param worker      the name of the worker (and thread) that is stuck
 * @param abandonedAt when the host gave up waiting, by its clock
 * @param stack       where the thread was stuck at that moment
 * @param returnedAt  when the call finally returned; {@code null} while it is still stuck
 */
public record AbandonedCall(String resource, String entryPoint, String worker, Instant abandonedAt,
                            List<StackTraceElement> stack, Instant returnedAt) {

    public AbandonedCall {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(entryPoint, "entryPoint");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(abandonedAt, "abandonedAt");
        stack = List.copyOf(stack);
    }

    /** Whether the call has not returned yet. */
    public boolean stillStuck() {
        return returnedAt == null;
    }
}
