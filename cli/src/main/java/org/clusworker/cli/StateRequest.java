package org.clusworker.cli;

import org.clusworker.host.time.Durations;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.clusworker.cli.admin.AdminClient;
import org.clusworker.cli.admin.AdminFile;
import org.clusworker.cli.admin.StatusJson;
import java.util.concurrent.Callable;
import org.clusworker.host.ResourceState;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What {@code online} and {@code offline} share: send the request, and optionally wait for the state. */
abstract class StateRequest implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(250);

    private final ResourceState wanted;

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
            description = "Wait until the resource is ${COMMAND-NAME} (exit 1 if it fails or TIMEOUT passes; default 5m).")
    Duration wait;

    StateRequest(ResourceState wanted) {
        this.wanted = wanted;
    }

    @Override
    public Integer call() throws InterruptedException {
        CommandLine cl = spec.commandLine();
        Path dir = target.resolve(top, cl);
        ObjectMapper mapper = top.json();
        AdminClient client = new AdminClient(AdminFile.read(dir, mapper), mapper);
        PrintWriter out = cl.getOut();
        String verb = wanted == ResourceState.ONLINE ? "online" : "offline";
        if (wanted == ResourceState.ONLINE) {
            client.requestOnline(name);
        } else {
            client.requestOffline(name);
        }
        out.println(name + ": " + verb + " requested");
        out.flush();
        if (wait == null || wait.isZero()) {
            return ExitCodes.OK;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        StatusJson s = client.status(name);
        // the client side of the API has nothing to be woken by; it polls, gently
        while (!ResourceState.valueOf(s.state()).equals(wanted)) {
            if (ResourceState.valueOf(s.state()) == ResourceState.FAILED) {
                cl.getErr().println(name + ": Failed" + (s.lastFailure() == null ? "" : ": " + s.lastFailure()));
                return ExitCodes.FAILURE;
            }
            if (System.nanoTime() - deadline > 0) {
                cl.getErr().println(name + ": still " + (ResourceState.valueOf(s.state())).displayName() + " after "
                        + wait.toSeconds() + " s");
                return ExitCodes.FAILURE;
            }
            Thread.sleep(POLL);
            s = client.status(name);
        }
        out.println(name + ": " + wanted.displayName());
        out.flush();
        return ExitCodes.OK;
    }

    /** Picocli converter for {@code --wait=30s}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return org.clusworker.host.time.Durations.parse(value).orElseThrow(() ->
                    new CommandLine.TypeConversionException("'" + value + "' (" + org.clusworker.host.time.Durations.EXPECTED + ")"));
        }
    }
}
