package org.clusworker.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.clusworker.cluster.embedded.EmbeddedZooKeeper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code clusworker zookeeper}: one embedded ZooKeeper server on loopback, for trying clusters on one machine. */
@Command(name = "zookeeper", mixinStandardHelpOptions = true,
        description = {
            "Runs one ZooKeeper server on 127.0.0.1 until SIGINT or SIGTERM, with its data in DIR.",
            "",
            "For trying clusworker's clusters on one machine and for tests: one server is no ensemble, and when it "
                    + "stops, the cluster stops. Production uses an existing ensemble of 3 or 5 servers."})
final class ZooKeeperCommand implements Callable<Integer> {

    @ParentCommand
    ClusworkerCommand top;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "2181", description = "The client port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = {"-d", "--data-dir"}, paramLabel = "DIR",
            description = "Where the server keeps its data. Default: the state directory of a host named 'zookeeper'.")
    Path dataDirectory;

    @Option(names = "--tick", defaultValue = "500ms",
            description = "ZooKeeper's tickTime: sessions may last 2 to 20 ticks (default: ${DEFAULT-VALUE}, so 1s to 10s).")
    String tick;

    @Override
    public Integer call() throws Exception {
        Duration tickTime = org.clusworker.host.time.Durations.parse(tick).filter(d -> !d.isZero() && !d.isNegative())
                .orElseThrow(() -> new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--tick: '" + tick + "' (" + org.clusworker.host.time.Durations.EXPECTED + ", above 0)"));
        Path dir = dataDirectory != null ? dataDirectory.toAbsolutePath() : top.configLoader().defaultStateDirectory("zookeeper");
        LogSetup.configure(false, null);
        CountDownLatch stop = new CountDownLatch(1);
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(port, dir, tickTime);
             Signals.Handlers handlers = Signals.onInterruptOrTerminate(stop::countDown)) {
            spec.commandLine().getOut().println("clusworker zookeeper: serving on " + zk.connectString() + ", data in " + dir
                    + " (tick " + tick + "). For trying and tests only: production uses an ensemble of 3 or 5 servers.");
            spec.commandLine().getOut().flush();
            stop.await();
            spec.commandLine().getOut().println("clusworker zookeeper: stopping");
        }
        return ExitCodes.OK;
    }
}
