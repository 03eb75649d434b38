package org.clusworker.worker;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Worker#terminateAll} and {@link Worker#awaitAll} found at their deadline: for each worker,
 * whether it exited and, if not, where its thread is stuck.
 *
 * @param outcomes one per worker, in the order given
 */
public record TerminationReport(List<Outcome> outcomes) {

    public TerminationReport {
        outcomes = List.copyOf(outcomes);
    }

    /** Whether every worker exited in time. */
    public boolean allExited() {
        return outcomes.stream().allMatch(Outcome::exited);
    }

    /** The workers still running at the deadline. */
    public List<Outcome> stuck() {
        return outcomes.stream().filter(o -> !o.exited()).toList();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TerminationReport: ")
                .append(outcomes.size() - stuck().size()).append(" of ").append(outcomes.size()).append(" exited");
        for (Outcome o : stuck()) {
            sb.append(System.lineSeparator()).append(o);
        }
        return sb.toString();
    }

    /**
     * One worker's outcome.
     *
     * @param name  the worker's name
     * @param state its state at the deadline
     * @param exit  how it ended; {@code null} if it was still running
     * @param stack where its thread was at the deadline; empty if it exited
     */
    public record Outcome(String name, WorkerState state, WorkerExit exit, List<StackTraceElement> stack) {

        public Outcome {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(state, "state");
            stack = List.copyOf(stack);
        }

        /** Whether the worker exited by the deadline. */
        public boolean exited() {
            return exit != null;
        }

        @Override
        public String toString() {
            if (exited()) {
                return name + " exited: " + exit;
            }
            StringBuilder sb = new StringBuilder(name).append(" is stuck (").append(state).append(')');
            for (StackTraceElement e : stack) {
                sb.append(System.lineSeparator()).append("\tat ").append(e);
            }
            return sb.toString();
        }
    }
}
