package org.clusworker.cli.demo;

import java.time.Duration;
import org.clusworker.host.time.Durations;
import org.clusworker.host.agent.AgentContext;
import org.clusworker.host.agent.AgentException;
import org.clusworker.host.agent.ExitState;
import org.clusworker.host.agent.Operation;
import org.clusworker.host.agent.ResourceAgent;

/**
 * The demo's slow starter: online is pending for {@code steps} x {@code stepTime}, reporting progress
 * after each step (each report restarts the pending timeout), and stops the moment it is terminated.
 */
public final class WarmingCache implements ResourceAgent {

    private final int steps;
    private final Duration stepTime;
    /** Written by online/offline/terminate; read by the health checks. */
    private volatile boolean warm;

    public WarmingCache(AgentContext context) {
        this.steps = Integer.parseInt(context.properties().getOrDefault("steps", "5"));
        this.stepTime = Durations.parse(context.properties().getOrDefault("stepTime", "700ms"))
                .orElseThrow(() -> new AgentException("stepTime: " + context.properties().get("stepTime")
                        + " (" + Durations.EXPECTED + ")"));
    }

    @Override
    public void online(Operation operation) {
        for (int i = 1; i <= steps; i++) {
            try {
                if (operation.worker().awaitTermination(stepTime)) {
                    throw new AgentException("warming stopped at step " + i + ": terminated");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException("warming interrupted at step " + i, e);
            }
            if (operation.reportProgress(i, "warming cache: " + i + "/" + steps + " segments loaded") == ExitState.TERMINATE) {
                throw new AgentException("warming stopped at step " + i + ": terminated");
            }
        }
        warm = true;
    }

    @Override
    public void offline(Operation operation) {
        operation.reportProgress("flushing the cache");
        warm = false;
    }

    @Override
    public void terminate() {
        warm = false;
    }

    @Override
    public boolean looksAlive() {
        return warm;
    }

    @Override
    public boolean isAlive() {
        return warm;
    }

    @Override
    public void close() {
        warm = false;
    }
}
