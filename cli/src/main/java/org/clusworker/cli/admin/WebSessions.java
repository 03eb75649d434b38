package org.clusworker.cli.admin;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The web page's logins: one-time login codes (minted with the API's token, see
 * {@code POST /v1/login-codes}), exchanged once for a session, whose id the browser keeps in an
 * HttpOnly cookie; each session has a CSRF token of its own that the page must send with every POST.
 *
 * <p>A code is random (128 bits), valid for {@link Settings#codeLifetime} and good for one exchange
 * (a second try, even with the same code, fails). A session lives {@link Settings#sessionLifetime}
 * from its login, whatever it does. Both are bounded in number: minting a code or opening a session
 * when {@link Settings#maxCodes} / {@link Settings#maxSessions} are held drops the oldest. Codes and
 * session ids are kept as their SHA-256 only, and looked up by it, so the time a lookup takes says
 * nothing about a secret; the CSRF token is compared in constant time.
 *
 * <p>Thread-safe: one lock, held for bookkeeping only.
 */
public final class WebSessions {

    /**
     * @param codeLifetime    how long a login code may be exchanged
     * @param sessionLifetime how long a session lasts from its login
     * @param maxCodes        how many unused codes are kept (the oldest goes first)
     * @param maxSessions     how many sessions are kept (the oldest goes first)
     */
    public record Settings(Duration codeLifetime, Duration sessionLifetime, int maxCodes, int maxSessions) {

        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(60), Duration.ofHours(12), 16, 16);

        public Settings {
            if (codeLifetime.isNegative() || codeLifetime.isZero() || sessionLifetime.isNegative() || sessionLifetime.isZero()) {
                throw new IllegalArgumentException("lifetimes must be > 0: " + codeLifetime + ", " + sessionLifetime);
            }
            if (maxCodes < 1 || maxSessions < 1) {
                throw new IllegalArgumentException("maxCodes, maxSessions: " + maxCodes + ", " + maxSessions + " (expected: > 0)");
            }
        }
    }

    /** A freshly minted login code. */
    public record LoginCode(String code, Instant expires) {
    }

    /**
     * A session as the web page holds it.
     *
     * @param id      the cookie's value (a secret)
     * @param csrf    the token the page sends in {@code X-CSRF-Token} with every POST
     * @param expires when it ends
     */
    public record Session(String id, String csrf, Instant expires) {

        /** Whether {@code given} (a request's CSRF header, possibly null) is this session's token. */
        public boolean csrfMatches(String given) {
            return given != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                    given.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    /** SHA-256 of a code -> when it expires; oldest first. */
    @GuardedBy("lock")
    private final LinkedHashMap<String, Instant> codes = new LinkedHashMap<>();
    /** SHA-256 of a session id -> the session; oldest first. */
    @GuardedBy("lock")
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>();

    public WebSessions(Settings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Settings settings() {
        return settings;
    }

    /** A new login code, valid for {@link Settings#codeLifetime}, for one exchange. */
    public LoginCode mintCode() {
        String code = random(16);
        Instant expires = clock.instant().plus(settings.codeLifetime());
        lock.lock();
        try {
            purge(clock.instant());
            codes.put(hash(code), expires);
            trim(codes, settings.maxCodes());
        } finally {
            lock.unlock();
        }
        return new LoginCode(code, expires);
    }

    /**
     * Exchanges a login code for a new session: empty if the code is unknown, expired or used already.
     * The code is used up either way.
     */
    public Optional<Session> login(String code) {
        if (code == null || code.isEmpty() || code.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        lock.lock();
        try {
            purge(now);
            Instant expires = codes.remove(hash(code));
            if (expires == null || !now.isBefore(expires)) {
                return Optional.empty();
            }
            Session s = new Session(random(32), random(32), now.plus(settings.sessionLifetime()));
            sessions.put(hash(s.id()), s);
            trim(sessions, settings.maxSessions());
            return Optional.of(s);
        } finally {
            lock.unlock();
        }
    }

    /** The live session with this id (a cookie's value, possibly null), if any. */
    public Optional<Session> session(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        lock.lock();
        try {
            purge(now);
            return Optional.ofNullable(sessions.get(hash(id)));
        } finally {
            lock.unlock();
        }
    }

    /** Ends the session with this id, if any (logout). */
    public void end(String id) {
        if (id == null) {
            return;
        }
        lock.lock();
        try {
            sessions.remove(hash(id));
        } finally {
            lock.unlock();
        }
    }

    /** How many codes and sessions are held (for tests). */
    int[] counts() {
        lock.lock();
        try {
            purge(clock.instant());
            return new int[] {codes.size(), sessions.size()};
        } finally {
            lock.unlock();
        }
    }

    @GuardedBy("lock")
    private void purge(Instant now) {
        codes.values().removeIf(expires -> !now.isBefore(expires));
        sessions.values().removeIf(s -> !now.isBefore(s.expires()));
    }

    private static <V> void trim(LinkedHashMap<String, V> map, int max) {
        Iterator<Map.Entry<String, V>> oldest = map.entrySet().iterator();
        while (map.size() > max && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    private String random(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }
}
