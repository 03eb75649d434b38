package org.clusworker.cli.view;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clusworker.host.HostEvent;
import org.clusworker.host.ResourceStatus;

/**
 * The resources' statuses as the host's events carried them: started from a snapshot, then each
 * resource event replaces its resource's status with the one it carries. Thread-safe: events arrive on
 * the host's event thread, readers are on the view's thread; every method synchronizes on this board.
 */
final class StatusBoard {

    /** In configuration order (the snapshot's). */
    @GuardedBy("this")
    private final Map<String, ResourceStatus> byName = new LinkedHashMap<>();

    /** Starts over from a snapshot (at start, and after a resync). */
    synchronized void reset(List<ResourceStatus> statuses) {
        byName.clear();
        statuses.forEach(s -> byName.put(s.name(), s));
    }

    synchronized void apply(HostEvent e) {
        if (e.status() != null) {
            byName.put(e.status().name(), e.status());
        }
    }

    synchronized List<ResourceStatus> statuses() {
        return new ArrayList<>(byName.values());
    }
}
