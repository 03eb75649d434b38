package org.clusworker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.clusworker.cli.admin.AdminClient;
import org.clusworker.cli.admin.AdminFile;
import org.clusworker.cli.admin.EventJson;
import org.clusworker.cli.admin.EventStream;
import org.clusworker.cli.admin.SseEvent;
import org.clusworker.cli.admin.StatusJson;
import org.clusworker.host.ResourceState;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What {@code online} and {@code offline} share: send the request, and optionally wait for the state.
 *
 * <p>Waiting is on the host's event stream, in an order that cannot miss the moment: subscribe first,
 * then request, then read the status; every event after it is then on the stream. An event that
 * shows the wanted state (or Failed) is confirmed by reading the status again, because an event
 * queued before the request may arrive after the subscription with a state that no longer holds; a
 * resync (events were dropped) reads the status again too. The deadline is in real time.
 */
abstract class StateRequest implements Callable<Integer> {

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
        AdminFile file = AdminFile.read(dir, mapper);
        AdminClient client = new AdminClient(file, mapper);
        PrintWriter out = cl.getOut();
        String verb = wanted == ResourceState.ONLINE ? "online" : "offline";
        boolean waiting = wait != null && !wait.isZero();
        try (EventStream events = waiting ? EventStream.open(file, OptionalLong.empty(), mapper) : null) {
            if (wanted == ResourceState.ONLINE) {
                client.requestOnline(name);
            } else {
                client.requestOffline(name);
            }
            out.println(name + ": " + verb + " requested");
            out.flush();
            return waiting ? await(client, events, file.host(), mapper) : ExitCodes.OK;
        }
    }

    private int await(AdminClient client, EventStream events, String host, ObjectMapper mapper) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        StatusJson s = client.status(name);
        for (;;) {
            Integer done = verdict(s);
            if (done != null) {
                return done;
            }
            SseEvent e;
            try {
                e = events.next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (TimeoutException timedOut) {
                s = client.status(name); // a last look, at the deadline
                Integer last = verdict(s);
                if (last != null) {
                    return last;
                }
                spec.commandLine().getErr().println(name + ": still " + ResourceState.valueOf(s.state()).displayName()
                        + " after " + wait.toSeconds() + " s");
                return ExitCodes.FAILURE;
            }
            if (e == null) {
                spec.commandLine().getErr().println(name + ": host '" + host + "' ended its event stream (it is stopping) while "
                        + name + " was " + ResourceState.valueOf(s.state()).displayName());
                return ExitCodes.FAILURE;
            }
            if (concerns(e, mapper)) {
                s = client.status(name);
            }
        }
    }

    /** The exit code if the wait is over with this status (and its line printed), else null. */
    private Integer verdict(StatusJson s) {
        ResourceState state = ResourceState.valueOf(s.state());
        if (state == wanted) {
            spec.commandLine().getOut().println(name + ": " + wanted.displayName());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
        if (state == ResourceState.FAILED) {
            spec.commandLine().getErr().println(name + ": Failed" + (s.lastFailure() == null ? "" : ": " + s.lastFailure()));
            return ExitCodes.FAILURE;
        }
        return null;
    }

    /** Whether the event may mean the wait is over: a resync, or this resource in the wanted state or Failed. */
    private boolean concerns(SseEvent e, ObjectMapper mapper) {
        EventJson ev;
        try {
            ev = mapper.readValue(e.data(), EventJson.class);
        } catch (java.io.IOException unreadable) {
            return true; // a newer host's event: look at the status rather than guess
        }
        if (ev.isResync()) {
            return true;
        }
        if (!name.equals(ev.resource()) || ev.status() == null) {
            return false;
        }
        String state = ev.status().state();
        return state.equals(wanted.name()) || state.equals(ResourceState.FAILED.name());
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
