package org.clusworker.host.agent;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to stop a resource when its host can no longer do it (the host JVM died or froze): what a
 * cluster node's watchdog, a separate process, kills or runs so that nothing of the resource keeps
 * running while another node starts it.
 *
 * @param processes the pids of the resource's processes; each is killed with its descendants and, when it
 *                  leads one, its whole process group (so a double-forked descendant is found too)
 * @param stop      a command that stops the resource (an OCF agent's {@code stop}), run after the kills
 */
public record FenceActions(List<Long> processes, Optional<StopCommand> stop) {

    /** Nothing to do: the resource lives in the host's JVM only (a Java agent). */
    public static final FenceActions NONE = new FenceActions(List.of(), Optional.empty());

    public FenceActions {
        processes = List.copyOf(processes);
        Objects.requireNonNull(stop, "stop");
    }

    /** A command that stops a resource, with its environment and a time limit. */
    public record StopCommand(List<String> command, Map<String, String> environment, Duration timeout) {
        public StopCommand {
            command = List.copyOf(command);
            environment = Map.copyOf(environment);
            Objects.requireNonNull(timeout, "timeout");
        }
    }
}
