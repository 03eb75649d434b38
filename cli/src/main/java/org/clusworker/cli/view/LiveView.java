package org.clusworker.cli.view;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.clusworker.host.HostEvent;
import org.clusworker.host.ResourceStatus;

/**
 * A live status screen in the manner of {@code crm_mon}: redrawn in place with ANSI escapes, the
 * resources' table on top, the latest transitions below. Both come from the host's events: the table
 * shows the status each resource's latest event carried (so a pending operation's checkpoint and
 * message are those of its latest progress event), the list below the transitions.
 *
 * <p>Implementation notes: events arrive on the host's event thread; the statuses go to a
 * {@link StatusBoard}, the transitions' lines to a bounded deque guarded by {@code this}; the screen is
 * drawn only on the command's main thread, from copies.
 */
public final class LiveView implements StatusView {

    private static final int EVENTS = 12;
    private static final String CLEAR = "\033[H\033[2J\033[3J";

    private final PrintWriter out;
    private final Clock clock;
    private final String title;
    private final int width;
    @GuardedBy("this")
    private final Deque<String> recent = new ArrayDeque<>();
    private final StatusBoard board = new StatusBoard();

    public LiveView(PrintWriter out, Clock clock, String title, int width) {
        this.out = out;
        this.clock = clock;
        this.title = title;
        this.width = width;
    }

    @Override
    public void onEvent(HostEvent event) {
        board.apply(event);
        if (event.kind() == HostEvent.Kind.TRANSITION) {
            add(EventLine.brief(event.asTransition()));
        }
    }

    @Override
    public void reset(List<ResourceStatus> statuses) {
        board.reset(statuses);
    }

    @Override
    public void message(String line) {
        add(line);
    }

    private synchronized void add(String line) {
        recent.addLast(line);
        while (recent.size() > EVENTS) {
            recent.removeFirst();
        }
    }

    private synchronized List<String> recentCopy() {
        return new ArrayList<>(recent);
    }

    @Override
    public void refresh() {
        draw(board.statuses());
    }

    private void draw(List<ResourceStatus> statuses) {
        StringBuilder b = new StringBuilder(CLEAR);
        String[] titleLines = title.split("\n", 2);
        b.append(clip(titleLines[0])).append("   ").append(java.time.LocalTime.now(clock).withNano(0))
                .append("   (Ctrl-C to stop)\n");
        if (titleLines.length > 1) {
            b.append(clip(titleLines[1])).append('\n');
        }
        b.append('\n');
        StatusTable.render(statuses, clock.instant(), width).forEach(l -> b.append(l).append('\n'));
        b.append("\nRecent events:\n");
        recentCopy().forEach(l -> b.append("  ").append(clip(l)).append('\n'));
        out.print(b);
        out.flush();
    }

    @Override
    public void finish(List<ResourceStatus> statuses) {
        draw(statuses);
    }

    private String clip(String s) {
        return width <= 2 || s.length() <= width - 2 ? s : s.substring(0, width - 3) + "…";
    }
}
