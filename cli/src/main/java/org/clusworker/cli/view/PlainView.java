package org.clusworker.cli.view;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clusworker.host.ResourceEvent;
import org.clusworker.host.ResourceStatus;

/**
 * Plain log lines, one per transition and one per new progress report, for a pipe, a file or a
 * service manager. {@link #onEvent} may run on any thread (the PrintWriter locks each line);
 * {@link #refresh} keeps its bookkeeping confined to the session's main thread.
 */
public final class PlainView implements StatusView {

    private final PrintWriter out;
    private final Clock clock;
    /** Last checkpoint printed per pending operation (resource@since). Confined to the main thread. */
    private final Map<String, Long> lastCheckpoint = new HashMap<>();

    public PlainView(PrintWriter out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void onEvent(ResourceEvent event) {
        out.println(EventLine.of(event));
        out.flush();
    }

    /**
     * Prints the progress reports of pending operations that are new since the last refresh (a plain
     * log has no screen to redraw; transitions are printed as they happen). Reports that come and go
     * between two refreshes are not shown; the transitions always are.
     */
    @Override
    public void refresh(List<ResourceStatus> statuses) {
        for (ResourceStatus s : statuses) {
            if (s.state().isPending() && s.checkpoint() > 0 && s.progress() != null) {
                String key = s.name() + "@" + s.since();
                Long last = lastCheckpoint.put(key, s.checkpoint());
                if (last == null || last != s.checkpoint()) {
                    out.println(EventLine.time(clock.instant()) + " " + s.name() + ": " + s.state().displayName()
                            + ", checkpoint " + s.checkpoint() + ": " + s.progress());
                }
            }
        }
        lastCheckpoint.keySet().removeIf(k -> statuses.stream().noneMatch(s -> k.equals(s.name() + "@" + s.since())));
        out.flush();
    }

    @Override
    public void message(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public void finish(List<ResourceStatus> statuses) {
        StatusTable.render(statuses, clock.instant(), 0).forEach(out::println);
        out.flush();
    }
}
