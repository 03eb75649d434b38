package org.clusworker.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clusworker.cli.config.ConfigLoader;
import org.clusworker.cli.config.HostConfig;
import org.clusworker.host.ResourceTypes;
import org.clusworker.cli.view.LiveView;
import org.clusworker.cli.view.PlainView;
import org.clusworker.cli.view.StatusView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code clusworker run FILE}: runs a host in the foreground until SIGINT or SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Runs a host in the foreground until SIGINT or SIGTERM.",
            "",
            "Brings every resource of FILE online in dependency order and keeps it there. On a terminal it shows "
                    + "a live status screen (the log then goes to clusworker.log in the state directory); otherwise "
                    + "a log line per transition. SIGINT or SIGTERM: orderly shutdown (everything offline in reverse "
                    + "dependency order), exit 0; exit 3 if a resource ended Failed (each is named, with its cause)."})
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    ClusworkerCommand top;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The host's configuration (YAML).")
    Path file;

    @Mixin
    ViewOptions view;

    @Option(names = "--node", paramLabel = "NAME",
            description = "This node of the file's cluster (overrides cluster.node, so that one file serves every node).")
    String node;

    @Option(names = "--no-drain",
            description = "In a cluster: SIGINT or SIGTERM stops this node's groups here instead of moving them to the other nodes first.")
    boolean noDrain;

    @Override
    public Integer call() throws Exception {
        ResourceTypes types = ResourceTypes.installed();
        ConfigLoader loader = node == null ? top.configLoader(types) : top.configLoader(types).forNode(node);
        boolean live = view.live(top.terminal());
        Path logFile = live ? loader.stateDirectoryOf(file).resolve("clusworker.log") : null;
        if (logFile != null) {
            java.nio.file.Files.createDirectories(logFile.getParent());
        }
        LogSetup.configure(view.verbose, logFile);
        HostConfig config = loader.load(file);
        StatusView v = live
                ? new LiveView(spec.commandLine().getOut(), top.clock(), "clusworker: host '" + config.name() + "' ("
                        + file + ")", top.terminal().width())
                : new PlainView(spec.commandLine().getOut(), top.clock());
        HostSession session = new HostSession(config, types, v, top.clock(), top.json());
        if (noDrain) {
            session.noDrain();
        }
        HostSession.Outcome outcome = session.run(null, null);
        if (outcome == HostSession.Outcome.TIMED_OUT) {
            return ExitCodes.FAILURE;
        }
        return session.endedFailed().isEmpty() ? ExitCodes.OK : ExitCodes.RESOURCES_FAILED;
    }
}
