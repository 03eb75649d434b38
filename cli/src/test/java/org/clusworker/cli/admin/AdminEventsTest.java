package org.clusworker.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.clusworker.cli.ExitCodes;
import org.clusworker.cli.testing.ChattyType;
import org.clusworker.cli.testing.Cli;
import org.clusworker.cli.testing.HostProcess.Poll;
import org.clusworker.host.ResourceHost;
import org.clusworker.host.ResourcePolicy;
import org.clusworker.host.ResourceSpec;
import org.clusworker.host.ResourceState;
import org.clusworker.host.ResourceTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/events} of the real AdminServer, fed by a real ResourceHost, in this JVM. */
class AdminEventsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final EventBroker.Settings QUICK =
            new EventBroker.Settings(4096, 1024, Duration.ofMillis(100), Clock.systemUTC());

    @TempDir
    Path dir;

    private final ObjectMapper json = AdminJson.mapper();
    private ResourceHost host;
    private AdminServer server;

    /** Builds the host and starts the API, which listens from the host's first event; the host is not started. */
    private void build(EventBroker.Settings settings, ResourceSpec... resources) throws IOException {
        ResourceHost.Builder b = ResourceHost.builder().name("events-test").stateDirectory(dir.resolve("state"))
                .types(new ResourceTypes().register(new ChattyType())).shutdownTimeout(Duration.ofSeconds(30));
        for (ResourceSpec r : resources) {
            b.resource(r);
        }
        host = b.build();
        server = AdminServer.start(InetAddress.getLoopbackAddress(), 0, new ResourceHostControl("events-test", host), json, settings);
    }

    private static ResourceSpec chatty(String name, int progressReports, int messageBytes) {
        return new ResourceSpec(name, ChattyType.NAME, Map.of("progress", Integer.toString(progressReports),
                "messageBytes", Integer.toString(messageBytes)), List.of(), ResourcePolicy.DEFAULTS);
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private EventJson data(SseEvent e) {
        try {
            return json.readValue(e.data(), EventJson.class);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private Predicate<SseEvent> entered(String resource, ResourceState state) {
        return e -> e.event().equals("transition") && resource.equals(data(e).resource()) && state.name().equals(data(e).to());
    }

    private static void assertConsecutive(List<SseEvent> events, long first) {
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).id()).as("event #" + i).isEqualTo(Long.toString(first + i));
        }
    }

    private void awaitQuiescence() {
        assertThat(host.awaitQuiescence(PATIENCE)).as("host quiescent").isTrue();
    }

    @Test
    void events_transition_onTheStreamInSseFormatWithIdsIncreasingByOne() throws Exception {
        // no keep-alive within the socket's read timeout: the headers must come at once (the client is subscribed then)
        build(new EventBroker.Settings(4096, 1024, Duration.ofMinutes(10), Clock.systemUTC()), chatty("db", 2, 0));
        try (RawStream stream = RawStream.to(server).header("Last-Event-ID: 0").connect()) {
            assertThat(stream.statusLine).startsWith("HTTP/1.1 200");
            assertThat(stream.headers).anySatisfy(h -> assertThat(h).isEqualToIgnoringCase("Content-Type: text/event-stream"));
            host.start();
            List<SseEvent> events = new ArrayList<>(stream.readUntil(entered("db", ResourceState.ONLINE)));
            awaitQuiescence();
            host.requestOffline("db");
            events.addAll(stream.readUntil(entered("db", ResourceState.OFFLINE)));

            assertConsecutive(events, 1);
            assertThat(events.getFirst().event()).isEqualTo("host");
            assertThat(events).extracting(SseEvent::event).containsSubsequence("transition", "progress", "progress", "transition");
            for (SseEvent e : events) {
                EventJson d = data(e);
                assertThat(d.kind()).isEqualTo(e.event());
                assertThat(Long.toString(d.id())).isEqualTo(e.id());
                assertThat(d.time()).isNotNull();
                if (d.resource() != null) {
                    assertThat(d.status().state()).isEqualTo(d.to());
                }
            }
            List<EventJson> offline = events.subList(events.size() - 2, events.size()).stream().map(this::data).toList();
            assertThat(offline).extracting(EventJson::from, EventJson::to, EventJson::message).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("ONLINE", "OFFLINE_PENDING", "offline requested"),
                    org.assertj.core.groups.Tuple.tuple("OFFLINE_PENDING", "OFFLINE", offline.get(1).message()));
            awaitQuiescence();
            assertThat(offline.get(1).status()).isEqualTo(StatusJson.of(host.status("db")));
        }
    }

    @Test
    void resume_lastEventId_replaysExactlyTheMissedEvents() throws Exception {
        build(QUICK, chatty("db", 3, 0));
        try (RawStream all = RawStream.to(server).connect()) {
            long k;
            try (RawStream early = RawStream.to(server).connect()) {
                host.start();
                List<SseEvent> before = early.readUntil(entered("db", ResourceState.ONLINE));
                k = Long.parseLong(before.getLast().id());
            }
            awaitQuiescence();
            host.requestOffline("db");
            awaitQuiescence();
            host.requestOnline("db");
            List<SseEvent> seen = all.readUntil(e -> entered("db", ResourceState.ONLINE).test(e) && Long.parseLong(e.id()) > k);
            long last = Long.parseLong(seen.getLast().id());
            List<SseEvent> missed = seen.stream().filter(e -> Long.parseLong(e.id()) > k).toList();
            assertThat(missed).hasSize((int) (last - k)).extracting(SseEvent::event).contains("progress", "transition");

            try (RawStream byHeader = RawStream.to(server).header("Last-Event-ID: " + k).connect();
                 RawStream byQuery = RawStream.to(server).target("/v1/events?lastEventId=" + k).connect();
                 RawStream headerWins = RawStream.to(server).target("/v1/events?lastEventId=1").header("Last-Event-ID: " + k).connect();
                 EventStream cli = EventStream.open(new AdminFile(server.url(), server.token(), "events-test", 1), OptionalLong.of(k), json)) {
                assertThat(byHeader.readUntil(e -> e.id().equals(Long.toString(last)))).isEqualTo(missed);
                assertThat(byQuery.readUntil(e -> e.id().equals(Long.toString(last)))).isEqualTo(missed);
                assertThat(headerWins.readUntil(e -> e.id().equals(Long.toString(last)))).isEqualTo(missed);
                List<SseEvent> viaClient = new ArrayList<>();
                while (viaClient.size() < missed.size()) {
                    viaClient.add(cli.next(PATIENCE));
                }
                assertThat(viaClient).isEqualTo(missed);
            }
        }
    }

    @Test
    void resume_idOlderThanTheLog_resyncFirstThenLiveEvents() throws Exception {
        build(new EventBroker.Settings(8, 1024, Duration.ofMillis(100), Clock.systemUTC()), chatty("db", 20, 0));
        host.start();
        Poll.until(() -> host.status("db").state() == ResourceState.ONLINE, PATIENCE);
        awaitQuiescence();
        long last = server.events().lastSequence();
        assertThat(last).isGreaterThan(20);
        try (RawStream stream = RawStream.to(server).header("Last-Event-ID: 1").connect()) {
            SseEvent resync = stream.next();
            assertThat(resync.event()).isEqualTo("resync");
            assertThat(resync.id()).isEqualTo(Long.toString(last));
            assertThat(data(resync).message()).contains("events 2 to " + (last - 8) + " are no longer held", "re-read GET /v1/resources");
            host.requestOffline("db");
            SseEvent next = stream.next();
            assertThat(next.id()).isEqualTo(Long.toString(last + 1));
            assertThat(data(next).to()).isEqualTo("OFFLINE_PENDING");
        }
    }

    @Test
    void slowClient_neverReads_getsResyncWhileTheHostAndOtherClientsGoOn() throws Exception {
        int capacity = 64;
        build(new EventBroker.Settings(4096, capacity, Duration.ofSeconds(15), Clock.systemUTC()), chatty("bulk", 3000, 2000));
        try (RawStream slow = RawStream.to(server).receiveBuffer(4096).connect();
             RawStream fast = RawStream.to(server).connect()) {
            host.start();
            Poll.until(() -> host.status("bulk").state() == ResourceState.ONLINE, PATIENCE);
            awaitQuiescence(); // every event delivered: the event thread did not wait for the slow client
            long last = server.events().lastSequence();
            assertThat(last).isGreaterThan(3000);
            // the other client goes on to the end (on a busy machine it may fall behind too: a resync, then on)
            fast.readUntil(e -> Long.parseLong(e.id()) >= last);

            List<EventSubscription> subscriptions = server.events().subscriptions();
            assertThat(subscriptions).hasSize(2).allSatisfy(s -> assertThat(s.queued()).isLessThanOrEqualTo(capacity));
            assertThat(subscriptions).anySatisfy(s -> assertThat(s.overflows()).isPositive());

            List<SseEvent> late = slow.readUntil(e -> e.id().equals(Long.toString(last)));
            List<SseEvent> afterResync = late.subList(late.stream().map(SseEvent::event).toList().lastIndexOf("resync"), late.size());
            assertThat(afterResync.getFirst().event()).isEqualTo("resync");
            assertThat(afterResync.subList(1, afterResync.size())).noneMatch(e -> e.event().equals("resync"));
            assertConsecutive(afterResync, Long.parseLong(afterResync.getFirst().id()));
        }
    }

    @Test
    void stream_nothingToSend_keepAliveComment() throws Exception {
        build(QUICK, chatty("db", 0, 0));
        try (RawStream stream = RawStream.to(server).connect()) {
            assertThat(stream.line()).isEqualTo(": keep-alive");
            assertThat(stream.line()).isEmpty();
        }
    }

    @Test
    void request_noTokenWrongHostWrongMethodOrBadId_refusedAndNotSubscribed() throws Exception {
        build(QUICK, chatty("db", 0, 0));
        try (RawStream r = RawStream.to(server).token(null).connect()) {
            assertThat(r.statusLine).startsWith("HTTP/1.1 401");
            assertThat(r.rest()).contains("missing or wrong token");
        }
        try (RawStream r = RawStream.to(server).token("wrong").connect()) {
            assertThat(r.statusLine).startsWith("HTTP/1.1 401");
        }
        try (RawStream r = RawStream.to(server).host("rebound.example:" + server.port()).connect()) {
            assertThat(r.statusLine).startsWith("HTTP/1.1 403");
            assertThat(r.rest()).contains("does not name this API");
        }
        try (RawStream r = RawStream.to(server).method("POST").connect()) {
            assertThat(r.statusLine).startsWith("HTTP/1.1 405");
        }
        for (String bad : new String[] {"/v1/events?lastEventId=x", "/v1/events?since=3", "/v1/events?lastEventId=-1"}) {
            try (RawStream r = RawStream.to(server).target(bad).connect()) {
                assertThat(r.statusLine).as(bad).startsWith("HTTP/1.1 400");
            }
        }
        try (RawStream r = RawStream.to(server).header("Last-Event-ID: 12abc").connect()) {
            assertThat(r.statusLine).startsWith("HTTP/1.1 400");
        }
        assertThat(server.events().subscribers()).isZero();
    }

    @Test
    void clients_connectAndDisconnectManyTimes_leaveNoSubscriptionOrThread() throws Exception {
        build(QUICK, chatty("db", 5, 0));
        host.start();
        AdminFile file = new AdminFile(server.url(), server.token(), "events-test", 1);
        for (int i = 0; i < 150; i++) {
            RawStream.to(server).connect().close();
            EventStream.open(file, OptionalLong.of(0), json).close();
            if (i % 30 == 0) {
                host.requestOffline("db");
                host.requestOnline("db");
            }
        }
        assertThat(Poll.until(() -> server.events().subscribers() == 0, PATIENCE))
                .as("subscriptions left: " + server.events().subscribers()).isTrue();
        assertThat(Poll.until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("clusworker-events")), PATIENCE)).as("client reader threads left").isTrue();
    }

    @Test
    void close_whileTheReaderWaitsForTheNextEvent_returnsAtOnce() throws Exception {
        build(new EventBroker.Settings(4096, 1024, Duration.ofMinutes(10), Clock.systemUTC()), chatty("db", 0, 0));
        EventStream stream = EventStream.open(new AdminFile(server.url(), server.token(), "events-test", 1), OptionalLong.empty(), json);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(stream::close);
        closing.get(PATIENCE.toSeconds(), TimeUnit.SECONDS); // not after the next keep-alive, ten minutes away
        assertThat(Poll.until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("clusworker-events")), PATIENCE)).as("the reader thread ended").isTrue();
    }

    @Test
    void stream_hostStops_sendsTheShutdownThenEnds() throws Exception {
        build(QUICK, chatty("db", 0, 0));
        host.start();
        Poll.until(() -> host.status("db").state() == ResourceState.ONLINE, PATIENCE);
        try (EventStream stream = EventStream.open(new AdminFile(server.url(), server.token(), "events-test", 1),
                OptionalLong.empty(), json)) {
            host.close();
            server.close();
            List<EventJson> rest = new ArrayList<>();
            for (SseEvent e = stream.next(PATIENCE); e != null; e = stream.next(PATIENCE)) {
                rest.add(data(e));
            }
            assertThat(rest).extracting(EventJson::kind).startsWith("host");
            assertThat(rest.getFirst().message()).isEqualTo("host events-test shutting down");
            assertThat(rest.getLast().to()).isEqualTo("OFFLINE");
            assertThat(stream.next(Duration.ZERO)).isNull();
        }
    }

    @Test
    void statusWatchJson_printsEachEventAsALineUntilTheHostStops() throws Exception {
        build(QUICK, chatty("db", 1, 0));
        host.start();
        Poll.until(() -> host.status("db").state() == ResourceState.ONLINE, PATIENCE);
        awaitQuiescence();
        new AdminFile(server.url(), server.token(), "events-test", 1).write(dir, json);
        CompletableFuture<Cli.Result> watch = CompletableFuture.supplyAsync(
                () -> Cli.run("status", "--watch", "--json", "--state-dir", dir.toString()));
        assertThat(Poll.until(() -> server.events().subscribers() == 1, PATIENCE)).as("watch subscribed").isTrue();
        Cli.Result offline = Cli.run("offline", "db", "--wait=60s", "--state-dir", dir.toString());
        assertThat(offline.exitCode()).as(offline.toString()).isEqualTo(ExitCodes.OK);
        assertThat(offline.out()).contains("db: offline requested", "db: Offline");
        host.close();
        server.close();
        Cli.Result r = watch.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        List<EventJson> lines = r.out().lines().map(l -> {
            try {
                return json.readValue(l, EventJson.class);
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }).toList();
        assertThat(lines).extracting(EventJson::to).containsSubsequence("OFFLINE_PENDING", "OFFLINE");
        assertThat(lines).extracting(EventJson::message).contains("offline requested", "host events-test shutting down");
    }
}
