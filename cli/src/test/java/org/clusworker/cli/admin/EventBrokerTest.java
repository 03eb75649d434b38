package org.clusworker.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.clusworker.cli.testing.Events;
import org.clusworker.host.HostEvent;
import org.clusworker.host.ResourceState;
import org.junit.jupiter.api.Test;

/** The SSE encoding, the client's parser, and the broker's log and bounded per-client queues; no network. */
class EventBrokerTest {

    private static final Instant T = Instant.parse("2025-01-01T10:00:00Z");
    private static final Duration NO_WAIT = Duration.ZERO;

    private final ObjectMapper json = AdminJson.mapper();

    private EventBroker broker(int log, int queue) {
        return new EventBroker(json, new EventBroker.Settings(log, queue, Duration.ofSeconds(15), Clock.fixed(T, ZoneOffset.UTC)));
    }

    /** Event {@code n}: a progress report of {@code db} at checkpoint n. */
    private static HostEvent event(long n) {
        return Events.progress(n, Events.status("db", ResourceState.ONLINE_PENDING, T, n, "step " + n), T.plusMillis(n));
    }

    private static void publish(EventBroker broker, long from, long to) {
        for (long n = from; n <= to; n++) {
            broker.onEvent(event(n));
        }
    }

    /** What a subscription would send now, without waiting: parsed back as the client reads it. */
    private static List<SseEvent> drain(EventSubscription s) throws Exception {
        StringBuilder wire = new StringBuilder();
        for (byte[] f = s.next(NO_WAIT); f != null && f != SseFrames.KEEP_ALIVE; f = s.next(NO_WAIT)) {
            wire.append(new String(f, StandardCharsets.UTF_8));
        }
        return parse(wire.toString());
    }

    private static List<SseEvent> parse(String wire) throws IOException {
        SseReader reader = new SseReader(new BufferedReader(new StringReader(wire)));
        List<SseEvent> events = new ArrayList<>();
        for (SseEvent e = reader.next(); e != null; e = reader.next()) {
            events.add(e);
        }
        return events;
    }

    private static List<String> ids(List<SseEvent> events) {
        return events.stream().map(SseEvent::id).toList();
    }

    private static List<String> range(long from, long to) {
        List<String> ids = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            ids.add(Long.toString(n));
        }
        return ids;
    }

    @Test
    void frame_event_idKindAndOneLineOfJsonThatReadsBack() throws Exception {
        HostEvent e = Events.transition(7, Events.status("db", ResourceState.FAILED, T, 0, null), ResourceState.ONLINE,
                "deadlock: isAlive did not return\n\tat Agent.isAlive(Agent.java:12)");
        String frame = new String(new SseFrames(json).event(e), StandardCharsets.UTF_8);

        assertThat(frame).startsWith("id: 7\nevent: transition\ndata: {\"id\":7,\"kind\":\"transition\",\"time\":\"2025-01-01T10:00:00Z\","
                + "\"resource\":\"db\",\"from\":\"ONLINE\",\"to\":\"FAILED\",\"message\":\"deadlock: isAlive did not return\\n\\tat ")
                .endsWith("}\n\n");
        assertThat(frame.lines()).hasSize(4).last().isEqualTo("");
        EventJson data = json.readValue(frame.lines().toList().get(2).substring("data: ".length()), EventJson.class);
        assertThat(data).isEqualTo(EventJson.of(e));
        assertThat(data.status()).isEqualTo(StatusJson.of(e.status()));
        assertThat(data.toHostEvent()).contains(e);
    }

    @Test
    void frame_hostEventAndResync_nullResourceFields() throws Exception {
        SseFrames frames = new SseFrames(json);
        String host = new String(frames.event(Events.host(1, "host h started with 2 resources", T)), StandardCharsets.UTF_8);
        assertThat(host).isEqualTo("id: 1\nevent: host\ndata: {\"id\":1,\"kind\":\"host\",\"time\":\"2025-01-01T10:00:00Z\","
                + "\"resource\":null,\"from\":null,\"to\":null,\"message\":\"host h started with 2 resources\",\"status\":null}\n\n");
        String resync = new String(frames.resync(9, T, "why"), StandardCharsets.UTF_8);
        assertThat(resync).startsWith("id: 9\nevent: resync\ndata: {\"id\":9,\"kind\":\"resync\",");
        assertThat(json.readValue(parse(resync).getFirst().data(), EventJson.class).isResync()).isTrue();
        assertThat(new String(SseFrames.KEEP_ALIVE, StandardCharsets.UTF_8)).isEqualTo(": keep-alive\n\n");
    }

    @Test
    void reader_specLineEndingsCommentsAndMultiLineData() throws IOException {
        List<SseEvent> events = parse(": keep-alive\n\nid: 1\r\nevent: a\r\ndata: x\r\n\r\n"
                + "data:y\rdata: z\r\rretry: 5\nevent: b\n\nid: 2\ndata\n\n" + "id: 3\ndata: cut off");
        assertThat(events).containsExactly(new SseEvent("1", "a", "x"), new SseEvent("1", "message", "y\nz"),
                new SseEvent("2", "message", ""));
    }

    @Test
    void subscribe_noId_onlyLaterEvents() throws Exception {
        EventBroker broker = broker(16, 8);
        publish(broker, 1, 3);
        EventSubscription s = broker.subscribe(OptionalLong.empty());
        assertThat(drain(s)).isEmpty();
        publish(broker, 4, 5);
        assertThat(ids(drain(s))).containsExactly("4", "5");
    }

    @Test
    void subscribe_afterN_replaysExactlyTheLaterEventsThenTheLiveOnes() throws Exception {
        EventBroker broker = broker(16, 8);
        publish(broker, 1, 20); // the log holds 5..20
        for (long n : new long[] {4, 11, 20}) {
            EventSubscription s = broker.subscribe(OptionalLong.of(n));
            assertThat(ids(drain(s))).as("after " + n).containsExactlyElementsOf(range(n + 1, 20));
            s.close();
        }
        EventSubscription s = broker.subscribe(OptionalLong.of(18));
        publish(broker, 21, 22);
        List<SseEvent> events = drain(s);
        assertThat(ids(events)).containsExactly("19", "20", "21", "22");
        assertThat(events).allSatisfy(e -> assertThat(e.event()).isEqualTo("progress"));
    }

    @Test
    void subscribe_idOlderThanTheLog_resyncFirstThenLiveEvents() throws Exception {
        EventBroker broker = broker(16, 8);
        publish(broker, 1, 20);
        EventSubscription s = broker.subscribe(OptionalLong.of(3));
        publish(broker, 21, 21);
        List<SseEvent> events = drain(s);
        assertThat(events).extracting(SseEvent::event).containsExactly("resync", "progress");
        assertThat(ids(events)).containsExactly("20", "21");
        assertThat(json.readValue(events.getFirst().data(), EventJson.class).message())
                .contains("events 4 to 4 are no longer held", "re-read GET /v1/resources");
    }

    @Test
    void subscribe_idBeyondTheLastEvent_resync() throws Exception {
        EventBroker broker = broker(16, 8);
        publish(broker, 1, 5);
        List<SseEvent> events = drain(broker.subscribe(OptionalLong.of(900)));
        assertThat(events).extracting(SseEvent::event).containsExactly("resync");
        assertThat(ids(events)).containsExactly("5");
        assertThat(ids(drain(broker.subscribe(OptionalLong.of(5))))).isEmpty();
    }

    @Test
    void slowSubscriber_queueFull_droppedForOneResyncThenLiveEvents() throws Exception {
        EventBroker broker = broker(64, 4);
        EventSubscription slow = broker.subscribe(OptionalLong.empty());
        EventSubscription fast = broker.subscribe(OptionalLong.empty());
        List<SseEvent> seenByFast = new ArrayList<>();
        for (long n = 1; n <= 10; n++) {
            broker.onEvent(event(n));
            assertThat(slow.queued()).isLessThanOrEqualTo(4);
            seenByFast.addAll(drain(fast));
        }
        assertThat(ids(seenByFast)).containsExactlyElementsOf(range(1, 10));
        assertThat(slow.overflows()).isEqualTo(2); // at 5 and at 10
        publish(broker, 11, 12);
        List<SseEvent> events = drain(slow);
        assertThat(events).extracting(SseEvent::event).containsExactly("resync", "progress", "progress");
        assertThat(ids(events)).containsExactly("10", "11", "12");
        assertThat(json.readValue(events.getFirst().data(), EventJson.class).message()).contains("fell more than 4 events behind");
    }

    @Test
    void slowSubscriber_overflowDuringReplay_replayDroppedToo() throws Exception {
        EventBroker broker = broker(64, 2);
        publish(broker, 1, 30);
        EventSubscription s = broker.subscribe(OptionalLong.of(0));
        publish(broker, 31, 33);
        assertThat(ids(drain(s))).containsExactly("33");
    }

    @Test
    void onEvent_subscribersThatNeverRead_neverWaitsAndStaysBounded() {
        EventBroker broker = broker(128, 16);
        List<EventSubscription> idle = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            idle.add(broker.subscribe(OptionalLong.empty()));
        }
        publish(broker, 1, 50_000);
        assertThat(idle).allSatisfy(s -> assertThat(s.queued()).isLessThanOrEqualTo(16));
        assertThat(broker.lastSequence()).isEqualTo(50_000);
    }

    @Test
    void next_nothingToSend_keepAliveAfterTheInterval() throws Exception {
        EventSubscription s = broker(4, 4).subscribe(OptionalLong.empty());
        assertThat(s.next(Duration.ofMillis(20))).isSameAs(SseFrames.KEEP_ALIVE);
        assertThat(s.hasNext()).isFalse();
    }

    @Test
    void close_broker_subscriptionsSendWhatTheyHoldThenEnd() throws Exception {
        EventBroker broker = broker(16, 8);
        EventSubscription s = broker.subscribe(OptionalLong.empty());
        publish(broker, 1, 2);
        broker.close();
        publish(broker, 3, 3);
        assertThat(new String(s.next(NO_WAIT), StandardCharsets.UTF_8)).startsWith("id: 1\n");
        assertThat(new String(s.next(NO_WAIT), StandardCharsets.UTF_8)).startsWith("id: 2\n");
        assertThat(s.next(Duration.ofSeconds(5))).isNull();
        assertThat(broker.subscribe(OptionalLong.empty()).next(Duration.ofSeconds(5))).isNull();
    }

    @Test
    void close_subscription_leavesTheBroker() {
        EventBroker broker = broker(16, 8);
        EventSubscription a = broker.subscribe(OptionalLong.empty());
        EventSubscription b = broker.subscribe(OptionalLong.of(0));
        assertThat(broker.subscribers()).isEqualTo(2);
        a.close();
        b.close();
        b.close();
        assertThat(broker.subscribers()).isZero();
        publish(broker, 1, 3);
        assertThat(a.queued()).isZero();
    }
}
