package org.clusworker.host;

import java.time.Duration;

/**
 * Hears of each agent call's duration, and of each call the host gave up on, for metrics (the events
 * carry neither). JDK-only, so that the host needs no metrics library: the command line translates
 * these into meters. Set with {@link ResourceHost.Builder#callObserver}.
 *
 * <p>Called on the host's own threads, under the resource's lock: an observer must return at once
 * (record a number, never block, never call the host). A throwing observer is logged and ignored.
 */
public interface CallObserver {

    /** Observes nothing (the default). */
    CallObserver NONE = new CallObserver() {
        @Override
        public void callReturned(String resource, String entryPoint, Duration took, boolean ok) {
        }
    };

    /** Why the host terminated an agent call. */
    enum Termination {
        /** A pending online or offline reported no progress within its pending timeout. */
        PENDING_TIMEOUT("pending_timeout"),
        /** A pending online or offline did not finish within its operation ceiling. */
        OPERATION_CEILING("operation_ceiling"),
        /** A call did not return within the deadlock timeout: its worker was abandoned. */
        DEADLOCK("deadlock");

        private final String label;

        Termination(String label) {
            this.label = label;
        }

        /** Lower case with underscores, e.g. {@code pending_timeout} (a metric's label value). */
        public String label() {
            return label;
        }
    }

    /**
     * An agent call returned (or could not start).
     *
     * @param entryPoint {@code open}, {@code online}, {@code offline}, {@code looksAlive}, {@code isAlive},
     *                   {@code terminate} or {@code close}
     * @param took       from the call's start to its return, by the host's clock
     * @param ok         false if it threw (a health check that returned false is ok here)
     */
    void callReturned(String resource, String entryPoint, Duration took, boolean ok);

    /** The host gave up on a call of {@code entryPoint} of {@code resource}, for {@code why}; the resource fails. */
    default void terminated(String resource, String entryPoint, Termination why) {
    }
}
