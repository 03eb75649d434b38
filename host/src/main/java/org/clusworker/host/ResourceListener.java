package org.clusworker.host;

/**
 * Receives every transition of every resource, in order per resource, never under a host lock.
 * A listener that throws is logged and does not disturb the host.
 */
@FunctionalInterface
public interface ResourceListener {
    void onTransition(ResourceEvent event);
}
