package org.clusworker.cli.view;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import org.clusworker.host.HostEvent;
import org.clusworker.host.ResourceStatus;

/**
 * Plain log lines, one per transition and one per progress report of a pending operation, for a
 * pipe, a file or a service manager; both straight from the host's events. {@link #onEvent} may run on
 * any thread (the PrintWriter locks each line).
 */
public final class PlainView implements StatusView {

    private final PrintWriter out;
    private final Clock clock;

    public PlainView(PrintWriter out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void onEvent(HostEvent event) {
        if (event.kind() == HostEvent.Kind.TRANSITION || event.kind() == HostEvent.Kind.PROGRESS) {
            out.println(EventLine.of(event));
            out.flush();
        }
    }

    /** A log starts from nothing: the transitions say everything. */
    @Override
    public void reset(List<ResourceStatus> statuses) {
    }

    /** Nothing: every line is printed as its event comes. */
    @Override
    public void refresh() {
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
