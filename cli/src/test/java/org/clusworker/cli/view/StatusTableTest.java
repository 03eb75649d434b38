package org.clusworker.cli.view;

import org.clusworker.host.time.Durations;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.clusworker.cli.testing.Events;
import org.clusworker.host.ResourceState;
import org.clusworker.host.ResourceStatus;
import org.junit.jupiter.api.Test;

class StatusTableTest {

    private static final Instant NOW = Instant.parse("2025-01-01T10:05:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static final List<ResourceStatus> STATUSES = List.of(
            new ResourceStatus("db", "process", ResourceState.ONLINE, NOW.minusSeconds(125), 0, null, 1,
                    "process pid 7 exited on its own with code 137", null, List.of()),
            new ResourceStatus("cache", "java", ResourceState.ONLINE_PENDING, NOW.minusMillis(1500), 3,
                    "warming 3/5", 0, null, null, List.of("db")),
            new ResourceStatus("web", "ocf", ResourceState.FAILED, NOW.minusSeconds(4000), 0, null, 3,
                    "start: exit 1", NOW.plusSeconds(30), List.of("cache")));

    @Test
    void render_statuses_rowsWithAgeProgressAndNextAttempt() {
        assertThat(StatusTable.render(STATUSES, NOW, 0)).containsExactly(
                "RESOURCE  TYPE     STATE          FOR    RESTARTS  LAST FAILURE",
                "db        process  Online         2m05s  1         process pid 7 exited on its own with code 137",
                "cache     java     OnlinePending  1s     0         -",
                "  └ checkpoint 3: warming 3/5",
                "web       ocf      Failed         1h06m  3         start: exit 1",
                "  └ next attempt in 30s");
    }

    @Test
    void render_narrowTerminal_linesClipped() {
        assertThat(StatusTable.render(STATUSES, NOW, 40)).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(40));
    }

    @Test
    void liveView_refresh_clearsScreenAndShowsTheEventsStatusesAndTransitions() {
        StringWriter screen = new StringWriter();
        LiveView view = new LiveView(new PrintWriter(screen), CLOCK, "clusworker: host 'h'\nsecond line", 120);
        view.reset(STATUSES);
        ResourceStatus pending = Events.status("cache", ResourceState.ONLINE_PENDING, NOW, 0, null);
        view.onEvent(Events.transition(1, pending, ResourceState.OFFLINE, "host started"));
        view.onEvent(Events.progress(2, Events.status("cache", ResourceState.ONLINE_PENDING, NOW, 4, "warming 4/5"), NOW));
        view.refresh();
        assertThat(screen.toString()).startsWith("\033[H\033[2J").contains("clusworker: host 'h'", "second line",
                "cache     test     OnlinePending", "  └ checkpoint 4: warming 4/5", "Recent events:",
                "cache: Offline -> OnlinePending (host started)");
        assertThat(screen.toString()).doesNotContain("warming 3/5");
    }

    @Test
    void plainView_events_aLinePerTransitionAndPerProgressReport() {
        StringWriter log = new StringWriter();
        PlainView view = new PlainView(new PrintWriter(log), CLOCK);
        view.reset(STATUSES);
        view.refresh();
        assertThat(log.toString()).isEmpty();
        ResourceStatus cache = STATUSES.get(1);
        view.onEvent(Events.progress(1, cache, NOW));
        view.onEvent(Events.progress(2, Events.status("cache", ResourceState.ONLINE_PENDING, NOW, 4, null), NOW));
        view.onEvent(Events.transition(3, Events.status("db", ResourceState.FAILED, NOW, 0, null), ResourceState.ONLINE,
                "isAlive returned false"));
        view.onEvent(Events.host(4, "host h shutting down", NOW));
        view.refresh();
        assertThat(log.toString().lines().map(l -> l.substring(24))).containsExactly(
                "cache: OnlinePending, checkpoint 3: warming 3/5",
                "cache: OnlinePending, checkpoint 4",
                "db: Online -> Failed (isAlive returned false)");
    }

    @Test
    void age_formats() {
        assertThat(Durations.age(java.time.Duration.ofMillis(450))).isEqualTo("450ms");
        assertThat(Durations.age(java.time.Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(Durations.age(java.time.Duration.ofHours(50))).isEqualTo("2d2h");
    }
}
