package org.clusworker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.clusworker.cli.config.HostConfig;
import org.clusworker.host.ResourceTypes;
import org.clusworker.cli.demo.ClusterDemo;
import org.clusworker.cli.demo.DemoSetup;
import org.clusworker.cli.view.LiveView;
import org.clusworker.cli.view.PlainView;
import org.clusworker.cli.view.StatusView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code clusworker demo}: the whole system at work, with nothing to configure or install. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Shows the whole system at work in a few seconds; needs nothing but a JDK.",
            "",
            "Runs a small built-in host and shuts it down: 'database' online at once, 'cache' pending with "
                    + "progress reports, 'web' a real process online once its URL answers, 'jobs' crashing once and "
                    + "restarted. Exit 0 once all of it has been seen.",
            "",
            "With --cluster: a failover cluster on this machine in a few seconds: an embedded ZooKeeper, three "
                    + "nodes as separate processes, one group, a kill -9 of its owner, the group online elsewhere with a "
                    + "higher epoch, a planned move, an orderly end. Exit 0 once all of it has been seen."})
final class DemoCommand implements Callable<Integer> {

    static final Duration LIMIT = Duration.ofMinutes(2);

    @ParentCommand
    ClusworkerCommand top;

    @Spec
    CommandSpec spec;

    @Mixin
    ViewOptions view;

    @Option(names = "--print-config", description = "Print the demo's configuration and exit.")
    boolean printConfig;

    @Option(names = "--keep-state", description = "Keep the demo's state directory (logs) instead of deleting it.")
    boolean keepState;

    @Option(names = "--cluster", description = "Show a failover cluster of three nodes on this machine instead.")
    boolean cluster;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("clusworker-demo-");
        if (cluster) {
            return clusterDemo(out, dir);
        }
        String yaml = DemoSetup.configuration(dir);
        if (printConfig) {
            deleteTree(dir);
            out.print(yaml);
            out.flush();
            return ExitCodes.OK;
        }
        boolean live = view.live(top.terminal());
        LogSetup.configure(view.verbose, live ? dir.resolve("clusworker.log") : null);
        Path file = dir.resolve("demo.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        ResourceTypes types = ResourceTypes.installed();
        HostConfig config = top.configLoader(types).parse(yaml, file);
        String hint = "from another terminal: clusworker status --state-dir " + dir;
        StatusView v = live ? new LiveView(out, top.clock(), "clusworker demo\n" + hint, top.terminal().width())
                : new PlainView(out, top.clock());
        v.message("clusworker demo: 4 resources; " + hint);
        HostSession.Outcome outcome;
        try {
            DemoSetup.Goal goal = new DemoSetup.Goal();
            outcome = new HostSession(config, types, v, top.clock(), top.json()).run(goal::reached, LIMIT);
        } finally {
            if (!keepState) {
                deleteTree(dir);
            }
        }
        switch (outcome) {
            case GOAL_REACHED -> out.println("""

                    Demo complete. You saw: dependencies honoured (database first, web after cache), a pending
                    online reporting progress (cache), a real process kept online behind a readiness check (web),
                    a failure detected and restarted by the restart policy (jobs), and an orderly shutdown in
                    reverse dependency order. Next: docs/USER-GUIDE.md, then 'clusworker run YOUR.yaml'.""");
            case SIGNALLED -> out.println("Demo stopped early.");
            case TIMED_OUT -> spec.commandLine().getErr().println("clusworker: the demo did not complete within "
                    + LIMIT.toSeconds() + " s; run it with --keep-state and look at the logs in the state directory");
            default -> throw new IllegalStateException("outcome " + outcome);
        }
        if (keepState) {
            out.println("State directory kept: " + dir);
        }
        out.flush();
        return outcome == HostSession.Outcome.TIMED_OUT ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    private int clusterDemo(PrintWriter out, Path dir) throws IOException, InterruptedException {
        if (printConfig) {
            out.print(ClusterDemo.configuration(dir, 2181));
            out.flush();
            deleteTree(dir);
            return ExitCodes.OK;
        }
        out.println("clusworker demo --cluster: logs in " + dir);
        try {
            new ClusterDemo(out, dir).run();
        } catch (ClusterDemo.DemoFailed e) {
            spec.commandLine().getErr().println("clusworker: the cluster demo failed: " + e.getMessage());
            spec.commandLine().getErr().println("State directory kept: " + dir);
            return ExitCodes.FAILURE;
        }
        out.println("""

                Demo complete. You saw: a group owned by one node at a time, a crashed owner's group online on
                another node with a higher epoch (its fencing token), a planned move, and an orderly end. Next:
                the Cluster chapter of docs/USER-GUIDE.md.""");
        if (keepState) {
            out.println("State directory kept: " + dir);
        } else {
            deleteTree(dir);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            dir.toFile().deleteOnExit();
        }
    }
}
