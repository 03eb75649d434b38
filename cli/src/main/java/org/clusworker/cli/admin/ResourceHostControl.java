package org.clusworker.cli.admin;

import java.util.List;
import org.clusworker.host.HostEventListener;
import org.clusworker.host.ResourceHost;
import org.clusworker.host.ResourceStatus;
import org.clusworker.worker.Registration;

/** The admin API's view of a {@link ResourceHost}. */
public record ResourceHostControl(String hostName, ResourceHost host) implements HostControl {

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
