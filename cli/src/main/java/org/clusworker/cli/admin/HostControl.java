package org.clusworker.cli.admin;

import java.util.List;
import org.clusworker.host.HostEventListener;
import org.clusworker.host.ResourceStatus;
import org.clusworker.host.UnknownResourceException;
import org.clusworker.worker.Registration;

/**
 * What the admin API may see and do of a running host. {@link ResourceHostControl} is the real one;
 * tests use a fake.
 */
public interface HostControl {

    String hostName();

    /** Every resource, in configuration order. Never blocks. */
    List<ResourceStatus> statuses();

    /** @throws UnknownResourceException if there is no such resource */
    ResourceStatus status(String name);

    /** @throws UnknownResourceException if there is no such resource */
    void requestOnline(String name);

    /** @throws UnknownResourceException if there is no such resource */
    void requestOffline(String name);

    /**
     * Adds a listener of every event of the host, numbered from 1 in delivery order (as
     * {@link org.clusworker.host.ResourceHost#addEventListener}); closing the registration removes it.
     */
    Registration addEventListener(HostEventListener listener);
}
