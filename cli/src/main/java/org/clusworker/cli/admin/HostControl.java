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

    /** The cluster this host is a node of, for the web page and {@code GET /v1/cluster}. */
    interface ClusterView {

        /** The cluster's nodes and groups as JSON values (what {@code cluster status --json} prints). */
        Object status() throws Exception;

        /**
         * Asks for a planned move of {@code group} (to {@code node}, or empty: the best possible node).
         *
         * @throws IllegalArgumentException naming what is wrong, if there is no such group or node, or it cannot take the group
         */
        void move(String group, java.util.Optional<String> node) throws Exception;
    }

    /** The cluster, if this host is a node of one. */
    default java.util.Optional<ClusterView> cluster() {
        return java.util.Optional.empty();
    }
}
