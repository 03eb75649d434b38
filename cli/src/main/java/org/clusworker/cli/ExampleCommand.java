package org.clusworker.cli;

import java.util.concurrent.Callable;
import org.clusworker.examples.PendingOnline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code clusworker example}: the worker on its own, in the Windows SDK's "pending Online" pattern. */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = {
            "Shows the worker on its own, in the Windows SDK's \"pending Online\" pattern.",
            "",
            "An Online started in a worker that reports progress and completes; a terminate arriving mid-way "
                    + "and honoured at once; a bounded terminate of a worker that ignores the flag, with its "
                    + "stuck stack printed."})
final class ExampleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PendingOnline.run(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
