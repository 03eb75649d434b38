package org.clusworker.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebSessionsTest {

    /** A clock that moves only when told. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-02T03:04:05Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MutableClock clock = new MutableClock();
    private final WebSessions sessions = new WebSessions(
            new WebSessions.Settings(Duration.ofSeconds(60), Duration.ofHours(1), 3, 2), clock);

    @Test
    void code_logsInOnce_andTheSessionHasItsOwnCsrfToken() {
        WebSessions.LoginCode code = sessions.mintCode();
        assertThat(code.expires()).isEqualTo(clock.instant().plusSeconds(60));
        assertThat(code.code()).hasSizeGreaterThanOrEqualTo(22); // 128 random bits, base64url

        WebSessions.Session s = sessions.login(code.code()).orElseThrow();
        assertThat(s.id()).isNotEqualTo(s.csrf()).isNotEqualTo(code.code());
        assertThat(sessions.session(s.id())).contains(s);
        assertThat(s.csrfMatches(s.csrf())).isTrue();
        assertThat(s.csrfMatches(null)).isFalse();
        assertThat(s.csrfMatches(s.csrf() + "x")).isFalse();
        assertThat(s.csrfMatches(s.id())).isFalse();

        assertThat(sessions.login(code.code())).as("a replayed code").isEmpty();
        assertThat(sessions.counts()).containsExactly(0, 1);
    }

    @Test
    void wrongOrMalformedCodes_areRefused_andLeaveTheRealOneUsable() {
        WebSessions.LoginCode code = sessions.mintCode();
        assertThat(sessions.login("nope")).isEmpty();
        assertThat(sessions.login(null)).isEmpty();
        assertThat(sessions.login("")).isEmpty();
        assertThat(sessions.login("x".repeat(1000))).isEmpty();
        assertThat(sessions.login(code.code() + "a")).isEmpty();
        assertThat(sessions.login(code.code())).isPresent();
    }

    @Test
    void code_expiresAfterItsLifetime() {
        WebSessions.LoginCode late = sessions.mintCode();
        WebSessions.LoginCode inTime = sessions.mintCode();
        clock.advance(Duration.ofSeconds(59));
        assertThat(sessions.login(inTime.code())).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.login(late.code())).as("at 60 s").isEmpty();
        assertThat(sessions.counts()[0]).isZero();
    }

    @Test
    void session_endsAfterItsLifetime_andOnLogout() {
        WebSessions.Session s = sessions.login(sessions.mintCode().code()).orElseThrow();
        assertThat(s.expires()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(59));
        assertThat(sessions.session(s.id())).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(sessions.session(s.id())).isEmpty();

        WebSessions.Session t = sessions.login(sessions.mintCode().code()).orElseThrow();
        sessions.end(t.id());
        assertThat(sessions.session(t.id())).isEmpty();
        assertThat(sessions.session(null)).isEmpty();
        assertThat(sessions.session("")).isEmpty();
    }

    @Test
    void codesAndSessions_areBounded_theOldestGoFirst() {
        WebSessions.LoginCode first = sessions.mintCode();
        WebSessions.LoginCode[] more = {sessions.mintCode(), sessions.mintCode(), sessions.mintCode()};
        assertThat(sessions.counts()[0]).isEqualTo(3);
        assertThat(sessions.login(first.code())).as("dropped for a fourth").isEmpty();

        WebSessions.Session a = sessions.login(more[0].code()).orElseThrow();
        WebSessions.Session b = sessions.login(more[1].code()).orElseThrow();
        WebSessions.Session c = sessions.login(more[2].code()).orElseThrow();
        assertThat(sessions.counts()[1]).isEqualTo(2);
        assertThat(sessions.session(a.id())).isEmpty();
        assertThat(sessions.session(b.id())).isPresent();
        assertThat(sessions.session(c.id())).isPresent();
    }

    @Test
    void secrets_areRandom() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            WebSessions.LoginCode code = sessions.mintCode();
            Optional<WebSessions.Session> s = sessions.login(code.code());
            assertThat(seen.add(code.code())).isTrue();
            assertThat(seen.add(s.orElseThrow().id())).isTrue();
            assertThat(seen.add(s.orElseThrow().csrf())).isTrue();
        }
    }

    @Test
    void settings_mustBePositive() {
        assertThatThrownBy(() -> new WebSessions.Settings(Duration.ZERO, Duration.ofHours(1), 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebSessions.Settings(Duration.ofSeconds(1), Duration.ofHours(1), 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
