package org.clusworker.cli.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.clusworker.host.HostEvent;
import org.clusworker.host.HostEventListener;
import org.clusworker.host.ResourceState;
import org.clusworker.host.ResourceStatus;
import org.clusworker.host.UnknownResourceException;
import org.clusworker.worker.Registration;

/** A host of two resources that records the requests it gets, and delivers the events a test publishes. */
public final class FakeHostControl implements HostControl {

    public final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, ResourceStatus> resources = new ConcurrentHashMap<>();
    private final List<HostEventListener> listeners = new CopyOnWriteArrayList<>();

    public FakeHostControl() {
        Instant t = Instant.parse("2025-01-01T10:00:00Z");
        resources.put("db", new ResourceStatus("db", "process", ResourceState.ONLINE, t, 0, null, 1, "exited", null, List.of()));
        resources.put("web", new ResourceStatus("web", "ocf", ResourceState.ONLINE_PENDING, t, 3, "warming", 0, null, null,
                List.of("db")));
    }

    @Override
    public String hostName() {
        return "fake";
    }

    @Override
    public List<ResourceStatus> statuses() {
        return List.of(resources.get("db"), resources.get("web"));
    }

    @Override
    public ResourceStatus status(String name) {
        ResourceStatus s = resources.get(name);
        if (s == null) {
            throw new UnknownResourceException(name);
        }
        return s;
    }

    @Override
    public void requestOnline(String name) {
        status(name);
        requests.add("online " + name);
    }

    @Override
    public void requestOffline(String name) {
        status(name);
        requests.add("offline " + name);
    }

    @Override
    public Registration addEventListener(HostEventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Delivers an event to every listener, on the caller's thread (as the host's event thread would). */
    public void publish(HostEvent event) {
        listeners.forEach(l -> l.onEvent(event));
    }
}
