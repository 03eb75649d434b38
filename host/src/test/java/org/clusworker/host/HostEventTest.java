package org.clusworker.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.clusworker.host.testing.HostFixture;
import org.clusworker.host.testing.Scripts;
import org.junit.jupiter.api.Test;

class HostEventTest {

    @Test
    void events_transitionsProgressFailureAndRetry_numberedInDeliveryOrder() {
        try (HostFixture f = new HostFixture()) {
            List<HostEvent> events = new CopyOnWriteArrayList<>();
            f.agent("db").onOnline((agent, op) -> {
                op.reportProgress("loading");
                op.reportProgress(7, "warming");
                return null;
            }).onIsAlive(Scripts.answering(false));
            f.resource("db");
            f.builder().eventListener(events::add);
            f.start();
            f.events.awaitState("db", ResourceState.ONLINE);
            f.settle();
            f.advance(Duration.ofSeconds(60));
            f.events.awaitState("db", ResourceState.FAILED);
            f.settle();

            List<Long> numbers = events.stream().map(HostEvent::sequence).toList();
            assertThat(numbers).isSorted().doesNotHaveDuplicates();
            assertThat(numbers.getLast() - numbers.getFirst() + 1).isEqualTo(numbers.size());
            assertThat(events).filteredOn(e -> e.kind() == HostEvent.Kind.PROGRESS)
                    .extracting(HostEvent::message).containsExactly("loading", "warming");
            assertThat(events).filteredOn(e -> e.kind() == HostEvent.Kind.PROGRESS)
                    .allSatisfy(e -> assertThat(e.status().state()).isEqualTo(ResourceState.ONLINE_PENDING))
                    .extracting(e -> e.status().checkpoint()).containsExactly(1L, 7L);
            List<HostEvent.Kind> fromFailure = events.stream().dropWhile(e -> e.to() != ResourceState.FAILED)
                    .map(HostEvent::kind).toList();
            assertThat(fromFailure).startsWith(HostEvent.Kind.TRANSITION, HostEvent.Kind.FAILURE, HostEvent.Kind.RETRY);
            HostEvent retry = events.stream().filter(e -> e.kind() == HostEvent.Kind.RETRY).findFirst().orElseThrow();
            assertThat(retry.message()).contains("restart after failure 1 of 3").contains("next attempt at");
            assertThat(retry.status().nextAttempt()).isNotNull();
        }
    }

    @Test
    void events_fromTheStart_beginWithTheHostEventNumberedOne() {
        try (HostFixture f = new HostFixture()) {
            List<HostEvent> events = new CopyOnWriteArrayList<>();
            f.resource("db");
            f.builder().eventListener(events::add);
            f.start();
            f.events.awaitState("db", ResourceState.ONLINE);
            f.settle();
            assertThat(events.getFirst().kind()).isEqualTo(HostEvent.Kind.HOST);
            assertThat(events).extracting(HostEvent::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
            assertThat(events).filteredOn(e -> e.kind() == HostEvent.Kind.TRANSITION)
                    .extracting(HostEvent::to).containsExactly(ResourceState.OFFLINE, ResourceState.ONLINE_PENDING, ResourceState.ONLINE);
        }
    }
}
