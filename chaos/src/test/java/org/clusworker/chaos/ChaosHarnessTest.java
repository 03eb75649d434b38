package org.clusworker.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's fault plan and its refusals, without starting a cluster. */
class ChaosHarnessTest {

    private static final int SECONDS = 60;

    private static List<ChaosHarness.Action> plan(ChaosHarness h, Path dir, long seed, Map<String, Integer> injected) {
        List<ChaosHarness.Proc> zk = new ArrayList<>();
        List<ChaosHarness.Proc> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            zk.add(h.new Proc("zk" + i, List.of("true"), dir.resolve("zk.log")));
            nodes.add(h.new Proc("node" + i, List.of("true"), dir.resolve("node.log")));
        }
        return h.plan(new Random(seed), SECONDS, 20, dir, zk, nodes, new TcpProxy[3][3], injected);
    }

    @Test
    void plan_isTheSeedsAlone_twentyFaults_eachHealedWithinThePeriod_noTargetUnderTwoFaultsAtOnce(@TempDir Path dir) {
        ChaosHarness h = new ChaosHarness(Path.of("clusworker.jar"), dir, 27000);
        for (long seed = 1; seed <= 200; seed++) {
            Map<String, Integer> injected = new TreeMap<>();
            List<ChaosHarness.Action> a = plan(h, dir, seed, injected);
            List<String> markers = a.stream().map(ChaosHarness.Action::marker).toList();
            assertThat(markers).as("seed %d replays", seed).isEqualTo(plan(h, dir, seed, new TreeMap<>()).stream().map(ChaosHarness.Action::marker).toList());
            assertThat(markers.stream().filter(m -> m.startsWith("fault ")).count()).as("seed %d", seed).isEqualTo(20);
            assertThat(injected.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
            assertThat(a).allSatisfy(x -> assertThat(x.atMs()).isBetween(0L, SECONDS * 1000L));
            assertThat(a).isSortedAccordingTo(java.util.Comparator.comparingLong(ChaosHarness.Action::atMs));
            // every fault that needs healing is healed, after it began; a target under a fault gets no second one
            Map<Integer, Long> began = new HashMap<>();
            Map<String, Integer> underFault = new HashMap<>();
            for (ChaosHarness.Action x : a) {
                String[] w = x.marker().split(" ");
                if (w[0].equals("fault")) {
                    began.put(x.id(), x.atMs());
                    boolean healed = a.stream().anyMatch(y -> y.id() == x.id() && y.marker().startsWith("heal "));
                    boolean needsHeal = !List.of("move", "resource-fail").contains(x.kind());
                    assertThat(healed).as("seed %d: %s healed", seed, x.marker()).isEqualTo(needsHeal);
                    if (needsHeal) {
                        String target = x.kind().startsWith("zk-") ? "zk" : w[3];     // one ZooKeeper server at a time
                        assertThat(underFault.putIfAbsent(target, x.id())).as("seed %d: %s while %s is under fault %s", seed, x.marker(), target,
                                underFault.get(target)).isNull();
                    }
                } else if (w[0].equals("heal")) {
                    assertThat(x.atMs()).isGreaterThanOrEqualTo(began.get(x.id()));
                    underFault.values().remove(x.id());
                }
            }
            assertThat(underFault).as("seed %d: every fault healed", seed).isEmpty();
        }
    }

    @Test
    void plan_overManySeeds_drawsEveryKind(@TempDir Path dir) {
        ChaosHarness h = new ChaosHarness(Path.of("clusworker.jar"), dir, 27000);
        Map<String, Integer> injected = new TreeMap<>();
        for (long seed = 1; seed <= 50; seed++) {
            plan(h, dir, seed, injected);
        }
        // a clock-rate fault needs libfaketime (Debian's faketime, which .ci/run installs); without it one becomes a move
        List<String> drawable = ChaosHarness.KINDS.stream().filter(k -> ChaosHarness.LIBFAKETIME != null || !k.equals("clock-rate")).toList();
        assertThat(injected.keySet()).containsExactlyInAnyOrderElementsOf(drawable);
    }

    @Test
    void takenPorts_namesAPortSomethingListensOn(@TempDir Path dir) throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = s.getLocalPort();
            // a harness whose ZooKeeper server 1 would listen on that port
            ChaosHarness h = new ChaosHarness(Path.of("clusworker.jar"), dir, port - 1);
            assertThat(h.takenPorts()).contains(port);
        }
    }

    @Test
    void leftovers_namesAProcessOfAnEarlierRunStillAlive(@TempDir Path dir) throws Exception {
        ChaosHarness h = new ChaosHarness(Path.of("clusworker.jar"), dir, 27000);
        assertThat(h.leftovers()).isEmpty();
        Process p = new ProcessBuilder("sh", "-c", "sleep 60", dir.resolve("run-1/writer.py").toString()).start();
        try {
            assertThat(h.leftovers()).anySatisfy(l -> assertThat(l).startsWith(p.pid() + " "));
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void options_defaultsAndValues_andEveryBadOneNamed(@TempDir Path dir) throws Exception {
        String jar = java.nio.file.Files.createFile(dir.resolve("clusworker.jar")).toString();
        ChaosHarness.Options d = ChaosHarness.Options.parse(new String[] {"--jar", jar}, () -> 42);
        assertThat(d).isEqualTo(new ChaosHarness.Options(Path.of(jar), Path.of("/tmp/clusworker-chaos"), 1, 42, 60, 20, 30, 27000));
        ChaosHarness.Options o = ChaosHarness.Options.parse(new String[] {"--jar", jar, "--runs", "3", "--seed", "-7", "--minutes", "1.5",
                "--faults", "0", "--quiet", "10", "--port-base", "29000", "--work", dir.toString()}, () -> 42);
        assertThat(o).isEqualTo(new ChaosHarness.Options(Path.of(jar), dir, 3, -7, 90, 0, 10, 29000));

        Map<List<String>, String> bad = new java.util.LinkedHashMap<>();
        bad.put(List.of("--runs", "abc"), "--runs: 'abc' is not a whole number");
        bad.put(List.of("--runs", "0"), "--runs 0: must be from 1 to");
        bad.put(List.of("--minutes", "-1"), "--minutes -1: must be from 1/60");
        bad.put(List.of("--minutes", "x"), "--minutes: 'x' is not a number");
        bad.put(List.of("--seconds", "0"), "--seconds 0: must be from 1");
        bad.put(List.of("--minutes", "1", "--seconds", "60"), "--minutes and --seconds");
        bad.put(List.of("--faults", "-2"), "--faults -2: must be from 0");
        bad.put(List.of("--quiet", "0"), "--quiet 0: must be from 1");
        bad.put(List.of("--port-base", "80"), "--port-base 80: must be from 1024 to 65295");
        bad.put(List.of("--bogus", "1"), "unknown option --bogus");
        bad.put(List.of("runs", "1"), "expected an option, got 'runs'");
        bad.put(List.of("--seed"), "--seed needs a value");
        bad.put(List.of("--runs", "1", "--runs", "2"), "--runs given twice");
        for (var e : bad.entrySet()) {
            List<String> args = new ArrayList<>(List.of("--jar", jar));
            args.addAll(e.getKey());
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                    .isThrownBy(() -> ChaosHarness.Options.parse(args.toArray(String[]::new), () -> 42))
                    .as("%s", e.getKey()).withMessageContaining(e.getValue());
        }
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> ChaosHarness.Options.parse(new String[] {"--runs", "1"}, () -> 42)).withMessageContaining("--jar PATH");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> ChaosHarness.Options.parse(new String[] {"--jar", dir.resolve("none.jar").toString()}, () -> 42))
                .withMessageContaining("none.jar: no such file");
    }
}
