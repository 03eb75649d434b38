package org.clusworker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.clusworker.cli.admin.AdminClient;
import org.clusworker.cli.admin.AdminFile;
import org.clusworker.cli.admin.StatusJson;
import org.clusworker.cli.view.StateNames;
import org.clusworker.host.ResourceState;
import picocli.CommandLine;

/** What {@code online} and {@code offline} share: send the request, and optionally wait for the state. */
final class StateRequest {

    private static final Duration POLL = Duration.ofMillis(250);

    private StateRequest() {
    }

    static int send(ClusworkerCommand top, CommandLine cl, StateDirOptions target, String name, ResourceState wanted,
                    Duration wait) throws InterruptedException {
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
                cl.getErr().println(name + ": still " + StateNames.of(ResourceState.valueOf(s.state())) + " after "
                        + wait.toSeconds() + " s");
                return ExitCodes.FAILURE;
            }
            Thread.sleep(POLL);
            s = client.status(name);
        }
        out.println(name + ": " + StateNames.of(wanted));
        out.flush();
        return ExitCodes.OK;
    }

    /** Picocli converter for {@code --wait=30s}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return org.clusworker.agents.support.DurationText.parse(value).orElseThrow(() ->
                    new CommandLine.TypeConversionException("'" + value + "' (" + org.clusworker.agents.support.DurationText.EXPECTED + ")"));
        }
    }
}
