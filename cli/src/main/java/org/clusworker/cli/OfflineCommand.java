package org.clusworker.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.clusworker.host.ResourceState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code clusworker offline NAME}: asks a running host to take a resource offline. */
@Command(name = "offline", mixinStandardHelpOptions = true,
        description = "Asks a running host to take a resource offline.")
final class OfflineCommand implements Callable<Integer> {

    @ParentCommand
    ClusworkerCommand top;

    @Spec
    CommandSpec spec;

    @Mixin
    StateDirOptions target;

    @Parameters(paramLabel = "NAME", description = "The resource.")
    String name;

    @Option(names = "--wait", paramLabel = "TIMEOUT", arity = "0..1", fallbackValue = "5m",
            converter = StateRequest.DurationConverter.class,
            description = "Wait until the resource is Offline (exit 1 if it fails or TIMEOUT passes; default 5m).")
    Duration wait;

    @Override
    public Integer call() throws InterruptedException {
        return StateRequest.send(top, spec.commandLine(), target, name, ResourceState.OFFLINE, wait);
    }
}
