package org.clusworker.host.testing;

import java.time.Duration;
import org.clusworker.host.agent.AgentException;

/** Scripts for {@link TestAgent}'s entry points: the hard cases of the host. */
public final class Scripts {

    private static final Duration FOREVER = Duration.ofDays(365);

    private Scripts() {
    }

    /** Returns at once (online/offline finish without going pending). */
    public static TestAgent.Script quick() {
        return (agent, op) -> null;
    }

    /** Throws an {@link AgentException} with this message. */
    public static TestAgent.Script throwing(String message) {
        return (agent, op) -> {
            throw new AgentException(message);
        };
    }

    /** Answers a health check with {@code answer}. */
    public static TestAgent.Script answering(boolean answer) {
        return (agent, op) -> answer;
    }

    /** A pending online/offline that never reports progress and returns when it is terminated. */
    public static TestAgent.Script neverReports() {
        return (agent, op) -> {
            op.worker().awaitTermination(FOREVER);
            return null;
        };
    }

    /**
     * An online/offline that ignores terminate: it neither polls the flag nor reads the answers of its
     * reports, and keeps waiting (through interrupts, too) until the test opens {@code release}.
     */
    public static TestAgent.Script ignoresTerminate(Gate release) {
        return (agent, op) -> {
            release.awaitUninterruptibly();
            return null;
        };
    }

    /** Any entry point stuck in a non-interruptible call until the test opens {@code release}. */
    public static TestAgent.Script hangs(Gate release) {
        return (agent, op) -> {
            release.awaitUninterruptibly();
            return null;
        };
    }

    /**
     * A cooperative online/offline that waits until the test opens {@code gate} (then returns normally) or
     * until it is terminated (then returns too).
     */
    public static TestAgent.Script waitsFor(Gate gate) {
        return (agent, op) -> {
            gate.awaitInWorker(op.worker());
            return null;
        };
    }
}
