package org.clusworker.agents.ocf;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.clusworker.agents.support.Waiter;
import org.clusworker.host.agent.AgentException;
import org.clusworker.host.agent.Operation;
import org.clusworker.host.agent.ResourceAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one {@code ocf} resource: online is {@code start} then {@code monitor}; offline is
 * {@code stop}; looksAlive is {@code monitor}; isAlive is {@code monitor} at a deeper
 * {@code OCF_CHECK_LEVEL}. Terminate kills every running action's process tree.
 *
 * <p>Implementation notes: the agent keeps no mutable state of its own; {@link OcfRunner} tracks the
 * running actions in a concurrent set, so {@link #terminate()} may run on any thread at any time.
 */
final class OcfAgent implements ResourceAgent {

    private static final Logger LOG = LoggerFactory.getLogger(OcfAgent.class);

    private final String resource;
    private final OcfSettings settings;
    private final AgentMetadata metadata;
    private final OcfRunner runner;
    private final int deepLevel;
    /** Whether the resource's group still holds its lease here ({@link org.clusworker.host.agent.AgentContext#leaseValid()}). */
    private final java.util.function.BooleanSupplier leaseValid;
    /** Whether this agent instance has probed its resource (its first online does). Written by online only (one entry point at a time). */
    private volatile boolean probed;

    OcfAgent(String resource, OcfSettings settings, AgentMetadata metadata, OcfRunner runner, java.util.function.BooleanSupplier leaseValid) {
        this.resource = resource;
        this.leaseValid = leaseValid;
        this.settings = settings;
        this.metadata = metadata;
        this.runner = runner;
        this.deepLevel = settings.checkLevel().orElseGet(() -> metadata.monitorDepths().stream()
                .mapToInt(Integer::intValue).filter(d -> d > 0).max().orElse(10));
    }

    @Override
    public void online(Operation operation) {
        Waiter waiter = Waiter.of(operation);
        if (!probed) {
            // the first online of this host: first what a crashed host left behind, then a probe (Pacemaker's)
            List<String> killed = runner.killLeftBehind();
            if (!killed.isEmpty()) {
                operation.reportProgress("killed what an earlier host left running: " + String.join(", ", killed));
            }
            operation.reportProgress("probe: OCF " + settings.agentName() + " monitor");
            OcfRunner.Result probe = runner.run("monitor", timeout("monitor"), waiter, Map.of());
            probed = true;
            if (!probe.timedOut() && probe.code().meansRunning()) {
                operation.reportProgress("already running (probe: monitor returned " + probe.exitCode() + "): not started again");
                LOG.info("{}: OCF {} is already running (probe); not started again", resource, settings.agentName());
                return;
            }
        }
        Duration startTimeout = timeout("start");
        if (!leaseValid.getAsBoolean()) {
            // asked right before the start, not only when the online began: a JVM paused after the probe may
            // have lost its group meanwhile, and its start would run beside the next owner's
            throw new AgentException("OCF " + settings.agentName() + " start not run: the lease of the resource's group no longer holds on this node");
        }
        operation.reportProgress("OCF " + settings.agentName() + " start (timeout " + startTimeout.toMillis() + " ms)");
        OcfRunner.Result start = runner.run("start", startTimeout, waiter, Map.of());
        if (start.timedOut() || start.code() != OcfExitCode.SUCCESS) {
            throw new AgentException("OCF " + settings.agentName() + " " + start.describe());
        }
        operation.reportProgress("started; OCF " + settings.agentName() + " monitor");
        OcfRunner.Result monitor = runner.run("monitor", timeout("monitor"), waiter, Map.of());
        if (monitor.timedOut() || !monitor.code().meansRunning()) {
            throw new AgentException("OCF " + settings.agentName() + " started, but " + monitor.describe());
        }
        LOG.info("{}: OCF {} started", resource, settings.agentName());
    }

    @Override
    public void offline(Operation operation) {
        Duration stopTimeout = timeout("stop");
        operation.reportProgress("OCF " + settings.agentName() + " stop (timeout " + stopTimeout.toMillis() + " ms)");
        OcfRunner.Result stop = runner.run("stop", stopTimeout, Waiter.of(operation), Map.of());
        // OCF: stopping a stopped resource succeeds; some agents still say "not running"
        if (stop.timedOut() || stop.code() != OcfExitCode.SUCCESS && stop.code() != OcfExitCode.NOT_RUNNING) {
            throw new AgentException("OCF " + settings.agentName() + " " + stop.describe());
        }
        LOG.info("{}: OCF {} stopped", resource, settings.agentName());
    }

    @Override
    public void terminate() {
        runner.killAll();
    }

    @Override
    public boolean looksAlive() {
        return monitor(Map.of());
    }

    @Override
    public boolean isAlive() {
        return monitor(Map.of("OCF_CHECK_LEVEL", Integer.toString(deepLevel)));
    }

    /**
     * {@code true} if the monitor says running; else {@link AgentException} with the monitor's real answer
     * (its exit code and name, its ocf-exit-reason, or its timeout), which the resource's failure then names.
     */
    private boolean monitor(Map<String, String> env) {
        OcfRunner.Result r = runner.run("monitor", timeout("monitor"), Waiter.blocking(), env);
        if (r.timedOut() || !r.code().meansRunning()) {
            String why = "OCF " + settings.agentName() + " " + r.describe();
            LOG.warn("{}: {}", resource, why);
            throw new AgentException(why);
        }
        return true;
    }

    @Override
    public org.clusworker.host.agent.FenceActions fenceActions() {
        Duration stop = timeout("stop");
        return new org.clusworker.host.agent.FenceActions(runner.runningPids(), java.util.Optional.of(
                new org.clusworker.host.agent.FenceActions.StopCommand(java.util.List.of(runner.agentPath().toString(), "stop"),
                        runner.environmentFor(stop), stop)));
    }

    @Override
    public void close() {
        runner.close();
    }

    private Duration timeout(String action) {
        Duration t = settings.timeouts().get(action);
        return t != null ? t : metadata.timeouts().getOrDefault(action, OcfType.DEFAULT_TIMEOUT);
    }
}
