package org.clusworker.host;

import org.clusworker.host.engine.Transition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusworker.host.ResourceState.FAILED;
import static org.clusworker.host.ResourceState.OFFLINE;
import static org.clusworker.host.ResourceState.ONLINE;
import static org.clusworker.host.ResourceState.ONLINE_PENDING;
import static org.clusworker.host.ResourceState.UNKNOWN;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.clusworker.host.agent.AgentException;
import org.clusworker.host.agent.ExitState;
import org.clusworker.host.testing.HostFixture;
import org.clusworker.host.testing.TestAgent;
import org.junit.jupiter.api.Test;

/**
 * Bounded stress (2 cores, a few seconds of real time on a fake clock): 200 resources in a random
 * dependency graph, agents that fail at random from every entry point, random requests and failure
 * signals from a second thread while the clock runs, then shutdown. Every invariant is checked:
 * no entry-point overlap (nor call after close), no lost or reordered event, only transitions of the
 * table, online only while dependencies are Online, offline only once dependents are down, every
 * resource down and every agent closed after close, no worker left, no call abandoned.
 */
class StressTest {

    private static final int RESOURCES = 200;
    private static final int SECONDS = 240;         // of fake time
    private static final long SEED = 20240611L;

    @Test
    void twoHundredResources_randomFailuresAndRequests_everyInvariantHolds() throws InterruptedException {
        SplittableRandom random = new SplittableRandom(SEED);
        HostFixture f = new HostFixture();
        ResourcePolicy policy = new ResourcePolicy(Duration.ofSeconds(180), null, Duration.ofSeconds(300),
                Duration.ofSeconds(5), Duration.ofSeconds(30), RestartAction.RESTART, 3, Duration.ofMinutes(15),
                Duration.ofMillis(500), Duration.ofMinutes(2), null);
        ResourcePolicy backedOff = new ResourcePolicy(Duration.ofSeconds(180), null, Duration.ofSeconds(300),
                Duration.ofSeconds(5), Duration.ofSeconds(30), RestartAction.RESTART_THEN_FAILOVER, 3, Duration.ofMinutes(15),
                Duration.ofMillis(500), Duration.ofMinutes(2), new ResourcePolicy.Backoff(2, Duration.ofSeconds(20), 0.5, Duration.ofMinutes(1)));
        Map<String, List<String>> deps = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < RESOURCES; i++) {
            String name = String.format("r%03d", i);
            List<String> d = new ArrayList<>();
            int n = i == 0 ? 0 : random.nextInt(3);
            for (int k = 0; k < n; k++) {
                String dep = names.get(random.nextInt(names.size()));
                if (!d.contains(dep)) {
                    d.add(dep);
                }
            }
            names.add(name);
            deps.put(name, d);
            script(f.agent(name), random.split());
            f.resource(name, i % 5 == 0 ? backedOff : policy, d.toArray(String[]::new));
        }
        f.builder().name("stress").random(random.split());
        ResourceHost host = f.start();

        // a second thread: requests and failure signals while the clock runs
        Semaphore turns = new Semaphore(0);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> requesterFailure = new AtomicReference<>();
        AtomicInteger requests = new AtomicInteger();
        SplittableRandom requesterRandom = random.split();
        Thread requester = Thread.ofPlatform().name("stress-requester").start(() -> {
            try {
                while (!stop.get()) {
                    if (!turns.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    String name = names.get(requesterRandom.nextInt(names.size()));
                    int what = requesterRandom.nextInt(10);
                    if (what < 4) {
                        host.requestOffline(name);
                    } else if (what < 8) {
                        host.requestOnline(name);
                    } else {
                        TestAgent a = f.agent(name);
                        if (a.context() != null) {
                            a.context().signalFailure("stress");
                        }
                    }
                    requests.incrementAndGet();
                }
            } catch (Throwable t) {
                requesterFailure.set(t);
            }
        });
        for (int second = 0; second < SECONDS; second++) {
            turns.release(3);
            f.clock.advance(Duration.ofSeconds(1));     // all timers of this second at once: calls run in parallel
            f.settle();                                 // no call spans more than a second of fake time
        }
        stop.set(true);
        requester.join();
        assertThat(requesterFailure.get()).isNull();
        f.settle();

        f.close();

        // every resource down, every agent closed, nothing left running
        List<ResourceStatus> statuses = host.statuses();
        assertThat(statuses).extracting(ResourceStatus::state).allMatch(s -> s == OFFLINE || s == FAILED);
        assertThat(f.type.agents().values()).allMatch(TestAgent::isClosed);
        assertThat(host.workers()).isEmpty();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("clusworker-stress-") && t.isAlive());
        assertThat(host.abandonedCalls()).isEmpty();
        // no entry-point overlap, no call after close, close once
        assertThat(f.violations()).isEmpty();
        // no lost event: chains are unbroken, end at the status, and count every transition
        Map<String, ResourceState> finals = new HashMap<>();
        for (ResourceStatus s : statuses) {
            finals.put(s.name(), s.state());
            assertThat((long) f.events.events(s.name()).size()).as("events of %s", s.name()).isEqualTo(host.transitions(s.name()));
        }
        f.events.assertChains(finals);
        // only transitions of the table; dependency order, replayed in the global event order
        replay(f.events.events(), deps);

        // the run did exercise the host
        List<ResourceEvent> all = f.events.events();
        assertThat(all.stream().filter(e -> e.to() == FAILED).count()).isGreaterThan(50);
        assertThat(all.stream().filter(e -> e.to() == ResourceState.OFFLINE_PENDING).count()).isGreaterThan(50);
        assertThat(requests.get()).isGreaterThan(SECONDS);
    }

    /** Random behaviour, driven by the agent's own random (its non-terminate calls never overlap). */
    private static void script(TestAgent agent, SplittableRandom random) {
        agent.onOnline((a, op) -> {
            int roll = random.nextInt(100);
            if (roll < 8) {
                throw new AgentException("random online failure");
            }
            if (roll < 30) {        // slow, with progress: requests can meet it pending
                for (int i = 0; i < 3; i++) {
                    if (op.worker().awaitTermination(Duration.ofMillis(1)) || op.reportProgress("step") == ExitState.TERMINATE) {
                        return null;
                    }
                }
            }
            return null;
        }).onOffline((a, op) -> {
            if (random.nextInt(100) < 5) {
                throw new AgentException("random offline failure");
            }
            return null;
        }).onLooksAlive((a, op) -> random.nextInt(100) >= 3)
          .onIsAlive((a, op) -> {
              int roll = random.nextInt(100);
              if (roll < 2) {
                  throw new AgentException("random isAlive failure");
              }
              return roll >= 40;
          });
    }

    private static void replay(List<ResourceEvent> events, Map<String, List<String>> deps) {
        Map<String, List<String>> dependents = new HashMap<>();
        deps.forEach((r, ds) -> ds.forEach(d -> dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(r)));
        Map<String, ResourceState> state = new HashMap<>();
        deps.keySet().forEach(r -> state.put(r, UNKNOWN));
        List<String> problems = new ArrayList<>();
        for (ResourceEvent e : events) {
            if (!Transition.allowed(e.from(), e.to())) {
                problems.add("not in the table: " + e);
            }
            if (e.to() == ONLINE_PENDING) {
                for (String d : deps.get(e.resource())) {
                    // a dependency may fail at any time (asynchronously); it may not be anything else
                    if (!EnumSet.of(ONLINE, FAILED).contains(state.get(d))) {
                        problems.add(e.resource() + " went online while its dependency " + d + " was " + state.get(d) + ": " + e);
                    }
                }
            }
            if (e.from() == ONLINE && e.to() == ResourceState.OFFLINE_PENDING) {
                for (String x : dependents.getOrDefault(e.resource(), List.of())) {
                    if (!EnumSet.of(OFFLINE, FAILED, UNKNOWN).contains(state.get(x))) {
                        problems.add(e.resource() + " went offline while its dependent " + x + " was " + state.get(x) + ": " + e);
                    }
                }
            }
            state.put(e.resource(), e.to());
        }
        assertThat(problems).isEmpty();
    }
}
