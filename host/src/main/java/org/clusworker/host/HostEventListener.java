package org.clusworker.host;

/**
 * Receives every {@link HostEvent} of a host, in sequence order, on the host's event thread, never
 * under a host lock. A listener that throws is logged and does not disturb the host or the other
 * listeners. A listener that blocks delays every later event of every listener: hand slow work to a
 * queue of your own.
 */
@FunctionalInterface
public interface HostEventListener {
    void onEvent(HostEvent event);
}
