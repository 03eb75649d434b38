package org.clusworker.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.clusworker.host.time.Durations;
import org.clusworker.host.agent.AgentContext;
import org.clusworker.host.agent.AgentException;
import org.clusworker.host.agent.Operation;
import org.clusworker.host.agent.ResourceAgent;
import org.clusworker.worker.Worker;

/**
 * The demo's unlucky job runner: the first time it is online it "crashes" after {@code crashAfter}
 * (it tells the host with {@link AgentContext#signalFailure}); the host finds it dead, fails it, and
 * restarts it by its restart policy; from then on it runs fine. Whether it has crashed is kept in a
 * file in its work directory, so it holds however the host reopens the agent.
 *
 * <p>The crash timer is a clusworker {@link Worker}: offline and terminate end it at once.
 */
public final class FlakyWorker implements ResourceAgent {

    private final AgentContext context;
    private final Duration crashAfter;
    private final Path crashedMarker;
    /** Written by online/offline/terminate and the crash timer; read by the health checks. */
    private volatile boolean healthy;
    /** The crash timer of the current online, or null. Written by online/offline/terminate. */
    private volatile Worker timer;

    public FlakyWorker(AgentContext context) {
        this.context = context;
        this.crashAfter = Durations.parse(context.properties().getOrDefault("crashAfter", "3s"))
                .orElseThrow(() -> new AgentException("crashAfter: " + context.properties().get("crashAfter")
                        + " (" + Durations.EXPECTED + ")"));
        this.crashedMarker = context.workDirectory().resolve("crashed-once");
    }

    @Override
    public void online(Operation operation) {
        healthy = true;
        if (!Files.exists(crashedMarker)) {
            timer = Worker.builder(context.resourceName() + "-crash-timer").virtual().start(ctx -> {
                if (!ctx.awaitTermination(crashAfter)) {
                    crash();
                }
                return 0;
            });
        }
    }

    private void crash() {
        try {
            Files.createDirectories(crashedMarker.getParent());
            Files.writeString(crashedMarker, "crashed\n");
        } catch (IOException e) {
            throw new AgentException("cannot write " + crashedMarker, e);
        }
        healthy = false;
        context.signalFailure("simulated crash: lost its connection to the queue");
    }

    @Override
    public void offline(Operation operation) {
        stopTimer();
        healthy = false;
    }

    @Override
    public void terminate() {
        stopTimer();
        healthy = false;
    }

    private void stopTimer() {
        Worker t = timer;
        if (t != null) {
            t.requestTermination();
        }
    }

    @Override
    public boolean looksAlive() {
        return healthy;
    }

    @Override
    public boolean isAlive() {
        return healthy;
    }

    @Override
    public void close() {
        stopTimer();
    }
}
