package org.clusworker.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How the commands that talk to a running host find it: by its state directory, where the host keeps
 * {@code admin.json} (its admin API's address and token). A mixin.
 */
final class StateDirOptions {

    static final String ENV = "CLUSWORKER_STATE_DIR";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The running host's configuration file (its host.stateDirectory is used).")
    Path config;

    @Option(names = {"-d", "--state-dir"}, paramLabel = "DIR",
            description = "The running host's state directory. Default: $" + ENV
                    + ", else the default state directory of a host named 'clusworker'.")
    Path stateDirectory;

    Path resolve(ClusworkerCommand top, CommandLine cl) {
        if (config != null && stateDirectory != null) {
            throw new CommandLine.ParameterException(cl, "give --config or --state-dir, not both");
        }
        if (stateDirectory != null) {
            return stateDirectory.toAbsolutePath();
        }
        if (config != null) {
            return top.configLoader().stateDirectoryOf(config);
        }
        String env = top.environment().get(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return top.configLoader().defaultStateDirectory("clusworker");
    }
}
