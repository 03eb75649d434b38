package org.clusworker.host.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusworker.host.HostEvent;
import org.clusworker.worker.WorkerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link EventLock}: events posted under it are queued in order and delivered once it is released. */
class EventLockTest {

    private final Activity activity = new Activity();
    private final EventDispatcher dispatcher = new EventDispatcher("t", activity);
    private final LinkedBlockingQueue<HostEvent> delivered = new LinkedBlockingQueue<>();
    private final EventLock lock = new EventLock(dispatcher);

    @BeforeEach
    void start() {
        dispatcher.addListener(delivered::add);
        dispatcher.start(new WorkerRegistry());
    }

    @AfterEach
    void stop() {
        assertThat(dispatcher.stop(Duration.ofSeconds(30))).isTrue();
    }

    private static HostEvent event(String message) {
        return HostEvent.ofHost(message, Instant.EPOCH);
    }

    private void passLock() {
        lock.lock();
        lock.unlock();
    }

    @Test
    void anEventPostedUnderTheLock_isDeliveredOnceTheOutermostHoldIsReleased() throws Exception {
        lock.lock();
        lock.lock();
        lock.post(event("one"), this::passLock);
        lock.post(event("two"), this::passLock);
        lock.unlock();
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        assertThat(delivered.poll(100, TimeUnit.MILLISECONDS)).as("nothing is delivered while the lock is held").isNull();
        lock.unlock();
        assertThat(delivered.poll(30, TimeUnit.SECONDS)).extracting(HostEvent::message).isEqualTo("one");
        assertThat(delivered.poll(30, TimeUnit.SECONDS)).extracting(HostEvent::message).isEqualTo("two");
        assertThat(activity.awaitQuiescence(Duration.ofSeconds(30))).as("the deliveries are counted done").isTrue();
    }

    @Test
    void aPostWithoutTheLock_isRefused_andQueuesNothing() throws Exception {
        assertThatThrownBy(() -> lock.post(event("stray"), this::passLock)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("under its resource's lock");
        dispatcher.post(event("after"));
        assertThat(delivered.poll(30, TimeUnit.SECONDS)).extracting(HostEvent::message).isEqualTo("after");
        assertThat(delivered.poll(100, TimeUnit.MILLISECONDS)).isNull();
    }

    /** Many threads posting under the lock and releasing it: every event is delivered, each thread's in its order. */
    @Test
    void postsFromManyThreads_areAllDelivered_inEachThreadsOrder() throws Exception {
        int threads = 4;
        int each = 2_000;
        AtomicInteger failures = new AtomicInteger();
        Thread[] started = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            started[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    lock.lock();
                    try {
                        lock.post(event(id + ":" + i), this::passLock);
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    } finally {
                        lock.unlock();
                    }
                }
            });
        }
        for (Thread t : started) {
            t.join();
        }
        int[] next = new int[threads];
        for (int n = 0; n < threads * each; n++) {
            HostEvent e = delivered.poll(30, TimeUnit.SECONDS);
            assertThat(e).as("event %d of %d", n, threads * each).isNotNull();
            String[] parts = e.message().split(":");
            int id = Integer.parseInt(parts[0]);
            assertThat(Integer.parseInt(parts[1])).isEqualTo(next[id]++);
        }
        assertThat(failures).hasValue(0);
        assertThat(delivered.poll(100, TimeUnit.MILLISECONDS)).isNull();
    }
}
