package org.clusworker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import org.clusworker.cli.admin.AdminJson;
import org.clusworker.cli.config.ConfigLoader;
import org.clusworker.host.ResourceTypes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clusworker}: the top command. Holds what every subcommand shares (environment, terminal,
 * clock); subcommands reach it through {@code @ParentCommand}. No static state: tests run it with
 * {@code new CommandLine(new ClusworkerCommand(...)).execute(args)} through {@link Main#commandLine}.
 */
@Command(name = "clusworker",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Keeps processes, OCF resource agents and Java agents online from a YAML configuration, with "
                    + "Windows Failover Clustering's worker threads, pending timeouts, health checks and restarts.",
            "",
            "New here? Run 'clusworker demo'."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done (also after an orderly shutdown on SIGINT or SIGTERM)",
            "1:runtime failure (host cannot start or does not answer, demo did not complete)",
            "2:usage or configuration error"})
public final class ClusworkerCommand implements Callable<Integer> {

    /**
     * The subcommands, by name, in the order the usage lists them. {@link Main#commandLine(ClusworkerCommand, String...)}
     * registers only the one a command line names (picocli reads every registered command's annotations at
     * start-up: a fifth of {@code clusworker status}'s time), and all of them for help, usage and errors.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
        m.put("run", RunCommand.class);
        m.put("demo", DemoCommand.class);
        m.put("status", StatusCommand.class);
        m.put("online", OnlineCommand.class);
        m.put("offline", OfflineCommand.class);
        m.put("open", OpenCommand.class);
        m.put("validate", ValidateCommand.class);
        m.put("example", ExampleCommand.class);
        m.put("zookeeper", ZooKeeperCommand.class);
        m.put("cluster", ClusterCommand.class);
        m.put("help", CommandLine.HelpCommand.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    private final Map<String, String> environment;
    private final Terminal terminal;
    private final Clock clock;

    @Spec
    CommandSpec spec;

    @Option(names = "--stacktrace", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of an error, not just its message.")
    boolean stacktrace;

    public ClusworkerCommand(Map<String, String> environment, Terminal terminal, Clock clock) {
        this.environment = Map.copyOf(environment);
        this.terminal = terminal;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    Map<String, String> environment() {
        return environment;
    }

    Terminal terminal() {
        return terminal;
    }

    Clock clock() {
        return clock;
    }

    ConfigLoader configLoader() {
        return configLoader(ResourceTypes.installed());
    }

    /** A loader that checks resources against {@code types} (share them with the host: OCF meta-data is read once). */
    ConfigLoader configLoader(ResourceTypes types) {
        return new ConfigLoader(types, environment);
    }

    ObjectMapper json() {
        return AdminJson.mapper();
    }
}
