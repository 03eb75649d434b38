package org.clusworker.cli.admin;

import java.util.List;
import org.clusworker.host.HostEventListener;
import org.clusworker.host.ResourceHost;
import org.clusworker.host.ResourceStatus;
import org.clusworker.worker.Registration;

/**
 * The admin API's view of a {@link ResourceHost}.
 *
 * @param clusterView the cluster it is a node of, once it has joined (empty: not a cluster node, or not yet)
 */
public record ResourceHostControl(String hostName, ResourceHost host, java.util.function.Supplier<java.util.Optional<ClusterView>> clusterView)
        implements HostControl {

    /** A host that is no cluster node. */
    public ResourceHostControl(String hostName, ResourceHost host) {
        this(hostName, host, java.util.Optional::empty);
    }

    @Override
    public java.util.Optional<ClusterView> cluster() {
        return clusterView.get();
    }

    @Override
    public List<ResourceStatus> statuses() {
        return host.statuses();
    }

    @Override
    public ResourceStatus status(String name) {
        return host.status(name);
    }

    @Override
    public void requestOnline(String name) {
        host.requestOnline(name);
    }

    @Override
    public void requestOffline(String name) {
        host.requestOffline(name);
    }

    @Override
    public Registration addEventListener(HostEventListener listener) {
        return host.addEventListener(listener);
    }
}
