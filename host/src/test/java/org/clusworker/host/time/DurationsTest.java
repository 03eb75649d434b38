package org.clusworker.host.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parse_singleUnits_readAsWritten() {
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).contains(Duration.ofSeconds(30));
        assertThat(Durations.parse("15m")).contains(Duration.ofMinutes(15));
        assertThat(Durations.parse("1h")).contains(Duration.ofHours(1));
        assertThat(Durations.parse("2d")).contains(Duration.ofDays(2));
        assertThat(Durations.parse(" 0 ")).contains(Duration.ZERO);
    }

    @Test
    void parse_compound_sumsTheParts() {
        assertThat(Durations.parse("1m30s")).contains(Duration.ofSeconds(90));
        assertThat(Durations.parse("1h1ms")).contains(Duration.ofHours(1).plusMillis(1));
    }

    @Test
    void parse_malformed_isEmpty() {
        for (String bad : new String[] {"", "5", "5 s", "s", "-5s", "1.5s", "5sec", "PT5S", "10x", "5s5", "99999999999999999999s"}) {
            assertThat(Durations.parse(bad)).as(bad).isEmpty();
        }
        assertThat(Durations.parse(null)).isEmpty();
    }

    @Test
    void format_roundTrips() {
        for (String s : new String[] {"500ms", "30s", "15m", "1h", "1m30s", "2d"}) {
            assertThat(Durations.format(Durations.parse(s).orElseThrow())).isEqualTo(s);
        }
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0");
    }
}
