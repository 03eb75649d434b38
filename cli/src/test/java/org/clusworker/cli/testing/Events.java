package org.clusworker.cli.testing;

import java.time.Instant;
import java.util.List;
import org.clusworker.host.HostEvent;
import org.clusworker.host.ResourceState;
import org.clusworker.host.ResourceStatus;

/** Host events made by hand, for tests of what consumes them. */
public final class Events {

    private Events() {
    }

    /** A status of a resource of type {@code test} with no dependencies. */
    public static ResourceStatus status(String name, ResourceState state, Instant since, long checkpoint, String progress) {
        return new ResourceStatus(name, "test", state, since, checkpoint, progress, 0, null, null, List.of());
    }

    public static HostEvent transition(long sequence, ResourceStatus after, ResourceState from, String cause) {
        return new HostEvent(sequence, HostEvent.Kind.TRANSITION, after.since(), after.name(), from, after.state(), cause, after);
    }

    public static HostEvent progress(long sequence, ResourceStatus after, Instant time) {
        return new HostEvent(sequence, HostEvent.Kind.PROGRESS, time, after.name(), after.state(), after.state(),
                after.progress() == null ? "checkpoint " + after.checkpoint() : after.progress(), after);
    }

    public static HostEvent host(long sequence, String message, Instant time) {
        return new HostEvent(sequence, HostEvent.Kind.HOST, time, null, null, null, message, null);
    }
}
