package org.clusworker.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code clusworker demo --cluster}: a failover cluster on this machine, as separate processes. An
 * embedded ZooKeeper server and three {@code clusworker run} nodes share one configuration; one group,
 * whose process appends {@code node epoch time} to a history file. The demo kills the owner's JVM with
 * SIGKILL, watches the group come online on another node with a higher epoch, moves it once more as
 * planned, ends every node with SIGTERM, and checks in the history that no two nodes ever ran the
 * group at once.
 */
public final class ClusterDemo {

    /** How long any one step may take before the demo gives up. */
    static final Duration STEP = Duration.ofSeconds(60);

    private final PrintWriter out;
    private final Path dir;
    private final long began = System.nanoTime();
    private final List<Process> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The nodes' processes by name; the demo's thread only (the shutdown hook reads {@link #processes}). */
    private final Map<String, Process> nodes = new LinkedHashMap<>();

    public ClusterDemo(PrintWriter out, Path dir) {
        this.out = out;
        this.dir = dir;
    }

    /** One line of the group's history: which node wrote it, under which epoch, when (epoch nanos). */
    record Line(String node, long epoch, long nanos) {
    }

    /** Thrown when a step does not happen within {@link #STEP}; the message says which. */
    public static final class DemoFailed extends Exception {
        DemoFailed(String message) {
            super(message);
        }
    }

    /** Runs the demo; every process it started is gone when it returns. */
    public void run() throws DemoFailed, IOException, InterruptedException {
        // the demo stopped by a signal: its nodes get SIGTERM too (they stop their group and exit)
        Thread onSignal = new Thread(() -> processes.forEach(Process::destroy), "clusworker-demo-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            steps();
        } finally {
            for (Process p : processes) {
                p.destroyForcibly();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    private void steps() throws DemoFailed, IOException, InterruptedException {
        int port = freePort();
        say("starting an embedded ZooKeeper server on 127.0.0.1:" + port + " (for trying only: production uses an ensemble of 3 or 5)");
        Process zk = start("zookeeper", "zookeeper", "--port", Integer.toString(port), "-d", dir.resolve("zk").toString(), "--tick", "200ms");
        awaitLog("zookeeper", zk, "serving on");
        Path config = dir.resolve("cluster.yaml");
        Files.writeString(config, configuration(dir, port), StandardCharsets.UTF_8);
        say("starting nodes a, b and c: 'clusworker run " + config.getFileName() + " --node NAME', one process each");
        for (String n : List.of("a", "b", "c")) {
            nodes.put(n, start(n, "run", config.toString(), "--node", n, "--view", "plain"));
        }
        Line first = awaitNewer(0, "the group 'web' to come online");
        say("group web is online on node " + first.node() + " with epoch " + first.epoch());

        say("kill -9 of node " + first.node() + "'s JVM (its watchdog stops the group's process and frees the group)");
        long lastBefore = first.nanos();
        nodes.remove(first.node()).destroyForcibly().waitFor(STEP.toSeconds(), TimeUnit.SECONDS);
        Line second = awaitNewer(first.epoch(), "another node to take the group over");
        lastBefore = lastOf(first.epoch()).map(Line::nanos).orElse(lastBefore);
        say("group web is online on node " + second.node() + " with epoch " + second.epoch() + ", "
                + Math.max(0, (second.nanos() - lastBefore) / 1_000_000) + " ms after the last line of node " + first.node());

        String target = nodes.keySet().stream().filter(n -> !n.equals(second.node())).findFirst().orElseThrow();
        say("planned move: clusworker cluster move web --to " + target + " --wait");
        int moved = runToEnd("move", "cluster", "move", "web", "--to", target, "--wait", "--config", config.toString());
        if (moved != 0) {
            throw new DemoFailed("'cluster move web --to " + target + "' exited with " + moved + "; see " + dir.resolve("move.log"));
        }
        Line third = awaitNewer(second.epoch(), "the group to come online on node " + target);
        say("group web is online on node " + third.node() + " with epoch " + third.epoch() + " (stopped on " + second.node()
                + " first, then started)");

        say("SIGTERM to every node: an orderly end");
        for (Process p : nodes.values()) {
            p.destroy();
        }
        for (Map.Entry<String, Process> e : nodes.entrySet()) {
            if (!e.getValue().waitFor(STEP.toSeconds(), TimeUnit.SECONDS)) {
                throw new DemoFailed("node " + e.getKey() + " did not exit within " + STEP.toSeconds() + " s of SIGTERM");
            }
            int code = e.getValue().exitValue();
            say("node " + e.getKey() + " exited with " + code);
            if (code != 0) {
                throw new DemoFailed("node " + e.getKey() + " exited with " + code + " after SIGTERM, not 0; see " + dir.resolve(e.getKey() + ".log"));
            }
        }
        zk.destroy();
        zk.waitFor(STEP.toSeconds(), TimeUnit.SECONDS);
        List<Line> history = history();
        String overlap = overlap(history);
        if (overlap != null) {
            throw new DemoFailed("two nodes ran the group at once: " + overlap);
        }
        say("checked " + history.size() + " history lines: no line of an older epoch after a newer one began");
    }

    /** The demo's cluster: three nodes with the test profile's short timings, one group of one process. */
    public static String configuration(Path dir, int port) {
        return """
                # clusworker demo --cluster: three nodes on one machine, one group
                host:
                  name: demo-cluster
                  stateDirectory: %1$s/state
                cluster:
                  name: demo
                  nodes: [a, b, c]
                  zookeeper: {connect: "127.0.0.1:%2$d/clusworker/demo", sessionTimeout: 3s}
                  lease: {probeInterval: 200ms, pauseAllowance: 300ms, takeoverDelay: 200ms}
                groups:
                  - name: web
                    resources: [writer]
                    stopBudget: 2s
                resources:
                  - name: writer
                    type: process
                    parameters:
                      command: [sh, -c, 'while true; do echo "$CLUSWORKER_NODE $CLUSWORKER_EPOCH $(date +%%s%%N)" >> %1$s/history; sleep 0.05; done']
                """.formatted(dir, port);
    }

    /** The first pair of lines where an older epoch follows the first line of a newer one, or null. */
    static String overlap(List<Line> history) {
        long newest = Long.MIN_VALUE;
        Line newestLine = null;
        for (Line l : history) {
            if (l.epoch() < newest) {
                return l + " after " + newestLine;
            }
            if (l.epoch() > newest) {
                newest = l.epoch();
                newestLine = l;
            }
        }
        return null;
    }

    private Line awaitNewer(long epoch, String what) throws DemoFailed, InterruptedException {
        Optional<Line> l = awaitLine(h -> h.epoch() > epoch, what);
        return l.orElseThrow();
    }

    private Optional<Line> awaitLine(Predicate<Line> wanted, String what) throws DemoFailed, InterruptedException {
        long until = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < until) {
            Optional<Line> found = history().stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found;
            }
            Thread.sleep(50);
        }
        throw new DemoFailed("waited " + STEP.toSeconds() + " s for " + what + "; the logs are in " + dir);
    }

    private Optional<Line> lastOf(long epoch) {
        List<Line> h = history();
        for (int i = h.size() - 1; i >= 0; i--) {
            if (h.get(i).epoch() == epoch) {
                return Optional.of(h.get(i));
            }
        }
        return Optional.empty();
    }

    /** The history so far; a line being written (incomplete) is left out. */
    List<Line> history() {
        Path file = dir.resolve("history");
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<Line> lines = new ArrayList<>();
            for (String s : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] w = s.strip().split("\\s+");
                if (w.length == 3 && w[1].matches("\\d+") && w[2].matches("\\d+")) {
                    lines.add(new Line(w[0], Long.parseLong(w[1]), Long.parseLong(w[2])));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitLog(String name, Process p, String text) throws DemoFailed, InterruptedException, IOException {
        Path log = dir.resolve(name + ".log");
        long until = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < until) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new DemoFailed(name + " exited with " + p.exitValue() + "; see " + log);
            }
            Thread.sleep(50);
        }
        throw new DemoFailed("waited " + STEP.toSeconds() + " s for " + name + " to say '" + text + "'; see " + log);
    }

    private int runToEnd(String name, String... args) throws IOException, InterruptedException, DemoFailed {
        Process p = start(name, args);
        if (!p.waitFor(STEP.toSeconds(), TimeUnit.SECONDS)) {
            throw new DemoFailed("'" + String.join(" ", args) + "' did not end within " + STEP.toSeconds() + " s; see " + dir.resolve(name + ".log"));
        }
        return p.exitValue();
    }

    /** Starts {@code clusworker ARGS} with this JVM's java and class path; its output goes to NAME.log. */
    private Process start(String name, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                org.clusworker.agents.support.ProcessTree.NATIVE_ACCESS, "-cp", System.getProperty("java.class.path"), "org.clusworker.cli.Main"));
        cmd.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        processes.add(p);
        return p;
    }

    private void say(String message) {
        out.printf("%5.1f s  %s%n", (System.nanoTime() - began) / 1e9, message);
        out.flush();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
