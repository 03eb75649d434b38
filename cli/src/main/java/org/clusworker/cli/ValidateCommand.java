package org.clusworker.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clusworker.cli.config.HostConfig;
import org.clusworker.host.ResourceSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code clusworker validate FILE}: checks a configuration, listing every problem. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {
            "Checks a configuration file and lists every problem.",
            "",
            "Checks FILE without running anything but the OCF agents' meta-data and validate-all actions: unknown "
                    + "keys, wrong types, bad durations, unknown types, invalid parameters, dependency cycles. Lists "
                    + "every problem with file, line and field, and exits 2 if there is any."})
final class ValidateCommand implements Callable<Integer> {

    @ParentCommand
    ClusworkerCommand top;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The configuration to check (YAML).")
    Path file;

    @Option(names = "--node", paramLabel = "NAME",
            description = "In a cluster: check FILE as this node's (overrides cluster.node), as 'run --node' would read it.")
    String node;

    @Override
    public Integer call() {
        HostConfig config = (node == null ? top.configLoader() : top.configLoader().forNode(node)).load(file);
        PrintWriter out = spec.commandLine().getOut();
        out.println(file + ": OK: host '" + config.name() + "', " + config.resources().size() + " resource(s)"
                + (config.resources().isEmpty() ? "" : ": " + String.join(", ",
                        config.resources().stream().map(ResourceSpec::name).toList()))
                + config.cluster().map(c -> "; node " + c.node() + " of cluster " + c.name() + " (" + c.nodes().size() + " nodes, "
                        + c.groups().size() + " group(s), config digest " + c.digest() + ")").orElse(""));
        out.flush();
        return ExitCodes.OK;
    }
}
