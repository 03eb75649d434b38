package org.clusworker.host;

/**
 * Moves a resource's group to another machine when it keeps failing: the extension point of
 * {@link RestartAction#RESTART_THEN_FAILOVER}. On one machine there is nowhere to go, so the default,
 * {@link #NONE}, does nothing; the multi-machine layer plugs in here.
 *
 * <p>Called once each time the resource passes its restart threshold, on the host's event thread,
 * never under a host lock; it must not block for long. The resource stays Failed and is tried again
 * after its {@code retryPeriodOnFailure}, unless the handler takes it offline. A handler that throws is
 * logged and does not disturb the host.
 */
@FunctionalInterface
public interface FailoverHandler {

    /** Does nothing: the single-machine default. */
    FailoverHandler NONE = (resource, reason) -> { };

    /**
     * @param resource the resource that passed its restart threshold
     * @param reason   its last failure
     */
    void failover(String resource, String reason);
}
