package org.clusworker.cli.view;

import org.clusworker.host.time.Durations;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.clusworker.host.ResourceEvent;
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
    void liveView_refresh_clearsScreenAndShowsRecentEvents() {
        StringWriter screen = new StringWriter();
        LiveView view = new LiveView(new PrintWriter(screen), CLOCK, "clusworker: host 'h'\nsecond line", 120);
        view.onEvent(new ResourceEvent("cache", ResourceState.OFFLINE, ResourceState.ONLINE_PENDING, "host started", NOW));
        view.refresh(STATUSES);
        assertThat(screen.toString()).startsWith("\033[H\033[2J").contains("clusworker: host 'h'", "second line",
                "cache     java     OnlinePending", "Recent events:", "cache: Offline -> OnlinePending (host started)");
    }

    @Test
    void plainView_progress_printedOncePerCheckpoint() {
        StringWriter log = new StringWriter();
        PlainView view = new PlainView(new PrintWriter(log), CLOCK);
        view.refresh(STATUSES);
        view.refresh(STATUSES);
        assertThat(log.toString().lines().filter(l -> l.contains("checkpoint 3: warming 3/5")).count()).isEqualTo(1);
        view.onEvent(new ResourceEvent("db", ResourceState.ONLINE, ResourceState.FAILED, "isAlive returned false", NOW));
        assertThat(log.toString()).contains("db: Online -> Failed (isAlive returned false)");
    }

    @Test
    void age_formats() {
        assertThat(Durations.age(java.time.Duration.ofMillis(450))).isEqualTo("450ms");
        assertThat(Durations.age(java.time.Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(Durations.age(java.time.Duration.ofHours(50))).isEqualTo("2d2h");
    }
}
