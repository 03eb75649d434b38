package org.clusworker.cli.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.clusworker.host.HostEvent;
import org.clusworker.host.HostEventListener;
import com.google.errorprone.annotations.concurrent.GuardedBy;

/**
 * The host's events for the clients of {@code GET /v1/events}: a log of the latest events, to resume
 * from, and one bounded queue per client.
 *
 * <p>Every event is written as its SSE frame once ({@link SseFrames}), appended to the log (the last
 * {@link Settings#logCapacity} events) and handed to every subscription. A client that resumes after
 * event {@code N} gets every later event still in the log, then the live ones; if the log no longer
 * reaches back to {@code N + 1} (or {@code N} is beyond the last event: another run of the host), it
 * gets a resync first instead, then the live ones. A client that falls more than
 * {@link Settings#queueCapacity} events behind loses its queue for one resync (see
 * {@link EventSubscription}).
 *
 * <h2>Implementation notes</h2>
 * <p><b>Concurrency.</b> {@link #onEvent} runs on the host's event thread, {@link #subscribe} and the
 * end of a subscription on the API's request threads. One lock, {@link #lock}, guards the log and the
 * subscriptions, held for bookkeeping only: the frame is encoded before taking it, and handing a frame
 * to a subscription is a constant-time step under that subscription's own lock (lock order: broker,
 * then subscription; a subscription never takes the broker's lock while holding its own). So the
 * event thread never waits for a client, however slow: the writing happens on the client's request
 * thread. Subscribing and appending are atomic with respect to each other: a subscription gets every
 * event after its replay (or its resync), none twice, none lost.
 *
 * <p><b>Memory.</b> At most {@code logCapacity} frames in the log, and per client at most
 * {@code queueCapacity} queued frames plus its replay (references to frames of the log): bounded
 * whatever the clients do.
 *
 * <p><b>Termination.</b> {@link #close()} ends every subscription once it has sent what it holds;
 * later events and subscriptions are ignored (a late subscription ends at once).
 */
public final class EventBroker implements HostEventListener {

    /**
     * @param logCapacity   how many of the latest events are kept to resume from
     * @param queueCapacity how many events one client may fall behind before it gets a resync instead
     * @param keepAlive     how often a stream with nothing to send sends a keep-alive comment
     * @param clock         the time of a resync event
     */
    public record Settings(int logCapacity, int queueCapacity, Duration keepAlive, Clock clock) {

        public static final Settings DEFAULTS = new Settings(4096, 1024, Duration.ofSeconds(15), Clock.systemUTC());

        public Settings {
            if (logCapacity < 1) {
                throw new IllegalArgumentException("logCapacity: " + logCapacity + " (expected: > 0)");
            }
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity: " + queueCapacity + " (expected: > 0)");
            }
            if (keepAlive.isNegative() || keepAlive.isZero()) {
                throw new IllegalArgumentException("keepAlive: " + keepAlive + " (expected: > 0)");
            }
            Objects.requireNonNull(clock, "clock");
        }
    }

    /** One event as it goes on the wire. */
    record Frame(long sequence, byte[] bytes) {
    }

    private final SseFrames frames;
    private final Settings settings;
    private final ReentrantLock lock = new ReentrantLock();
    /** The latest events, oldest first: a ring of {@code logCapacity}; contiguous numbers. */
    @GuardedBy("lock")
    private final Frame[] log;
    @GuardedBy("lock")
    private int head;
    @GuardedBy("lock")
    private int size;
    /** The number of the last event received, 0 before the first. */
    @GuardedBy("lock")
    private long last;
    @GuardedBy("lock")
    private final Set<EventSubscription> subscriptions = new LinkedHashSet<>();
    @GuardedBy("lock")
    private boolean closed;

    public EventBroker(ObjectMapper json, Settings settings) {
        this.frames = new SseFrames(json);
        this.settings = settings;
        this.log = new Frame[settings.logCapacity()];
    }

    Settings settings() {
        return settings;
    }

    /** Appends the event to the log and hands it to every subscription. Never waits for a client. */
    @Override
    public void onEvent(HostEvent event) {
        Frame frame = new Frame(event.sequence(), frames.event(event));
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (size > 0 && event.sequence() != last + 1) {
                size = 0; // not contiguous (the host numbers them so; never expected): resume from here on only
            }
            log[(head + size) % log.length] = frame;
            if (size < log.length) {
                size++;
            } else {
                head = (head + 1) % log.length;
            }
            last = event.sequence();
            for (EventSubscription s : subscriptions) {
                s.offer(frame);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A new subscription: the events after {@code lastEventId} that the log still holds, or a resync if it
     * holds too few (or the id is beyond the last event), then every later event; with no id, the later
     * events only. The caller must {@link EventSubscription#close()} it.
     */
    EventSubscription subscribe(OptionalLong lastEventId) {
        lock.lock();
        try {
            EventSubscription s;
            if (lastEventId.isEmpty()) {
                s = new EventSubscription(this, settings.queueCapacity(), List.of(), null);
            } else {
                long n = lastEventId.getAsLong();
                long first = size == 0 ? last + 1 : log[head].sequence();
                if (n > last) {
                    s = new EventSubscription(this, settings.queueCapacity(), List.of(), new EventSubscription.Resync(last,
                            "event " + n + " is not one of this host's (its last is " + last + "; restarted?)"));
                } else if (n >= first - 1) {
                    List<Frame> replay = new ArrayList<>((int) (last - n));
                    for (int i = (int) (n + 1 - first); i < size; i++) {
                        replay.add(log[(head + i) % log.length]);
                    }
                    s = new EventSubscription(this, settings.queueCapacity(), replay, null);
                } else {
                    s = new EventSubscription(this, settings.queueCapacity(), List.of(), new EventSubscription.Resync(last,
                            "events " + (n + 1) + " to " + (first - 1) + " are no longer held (only the last "
                                    + settings.logCapacity() + " are)"));
                }
            }
            if (closed) {
                s.end();
            } else {
                subscriptions.add(s);
            }
            return s;
        } finally {
            lock.unlock();
        }
    }

    /** The resync frame of a subscription (on its own thread). */
    byte[] frame(EventSubscription.Resync r) {
        return frames.resync(r.id(), settings.clock().instant(), r.reason() + "; re-read GET /v1/resources");
    }

    void remove(EventSubscription s) {
        lock.lock();
        try {
            subscriptions.remove(s);
        } finally {
            lock.unlock();
        }
    }

    /** How many clients are subscribed now. */
    int subscribers() {
        return subscriptions().size();
    }

    /** The subscriptions now (for tests and diagnostics). */
    List<EventSubscription> subscriptions() {
        lock.lock();
        try {
            return List.copyOf(subscriptions);
        } finally {
            lock.unlock();
        }
    }

    /** The number of the last event received, 0 before the first. */
    long lastSequence() {
        lock.lock();
        try {
            return last;
        } finally {
            lock.unlock();
        }
    }

    /** Ends every subscription after what it holds; ignores later events. Idempotent. */
    public void close() {
        List<EventSubscription> ending;
        lock.lock();
        try {
            closed = true;
            ending = List.copyOf(subscriptions);
        } finally {
            lock.unlock();
        }
        ending.forEach(EventSubscription::end);
    }
}
