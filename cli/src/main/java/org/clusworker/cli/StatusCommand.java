package org.clusworker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.clusworker.cli.admin.AdminClient;
import org.clusworker.cli.admin.AdminFile;
import org.clusworker.cli.admin.EventJson;
import org.clusworker.cli.admin.EventStream;
import org.clusworker.cli.admin.SseEvent;
import org.clusworker.cli.admin.StatusJson;
import org.clusworker.cli.view.DependencyGraph;
import org.clusworker.cli.view.EventLine;
import org.clusworker.cli.view.StatusTable;
import org.clusworker.host.HostEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code clusworker status [NAME] [--json] [--watch]}: asks a running host how its resources are. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows the resources of a running host.", "",
            "State, time in state, restarts, last failure, and the progress of pending operations. With --watch, "
                    + "then a line per event (transition, progress, failure, retry, host) until the host stops."})
final class StatusCommand implements Callable<Integer> {

    /** How long {@code --watch} waits for an event before it waits again (it waits until the host stops). */
    private static final Duration WATCH_STEP = Duration.ofMinutes(1);

    @ParentCommand
    ClusworkerCommand top;

    @Spec
    CommandSpec spec;

    @Mixin
    StateDirOptions target;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "Only this resource.")
    String name;

    @Option(names = "--json", description = "Print JSON, as the admin API returns it (with --watch: one line per event).")
    boolean json;

    @Option(names = "--graph", arity = "0..1", fallbackValue = "tree", paramLabel = "FORMAT",
            description = {"Print the dependency graph instead of the table: 'tree' (the default, plain text; each resource that "
                    + "nothing depends on at the top, its dependencies beneath it) or 'dot' (Graphviz: "
                    + "clusworker status --graph=dot | dot -Tsvg > graph.svg). With NAME: NAME and what it depends on."})
    String graph;

    @Option(names = {"-w", "--watch"},
            description = "Then print every event as it happens, until the host stops (exit 0).")
    boolean watch;

    @Override
    public Integer call() throws Exception {
        Path dir = target.resolve(top, spec.commandLine());
        ObjectMapper mapper = top.json();
        AdminFile file = AdminFile.read(dir, mapper);
        if (graph != null && !graph.equals("tree") && !graph.equals("dot")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--graph': '" + graph + "' (expected: tree or dot)");
        }
        if (graph != null && (watch || json)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--graph cannot be combined with --watch or --json");
        }
        if (watch) {
            return watch(dir, file, mapper);
        }
        if (graph != null) {
            AdminClient client = new AdminClient(file, mapper);
            if (name != null) {
                client.status(name); // an unknown resource: the same error as 'status NAME'
            }
            return printGraph(client.list());
        }
        AdminClient client = new AdminClient(file, mapper);
        PrintWriter out = spec.commandLine().getOut();
        if (name != null) {
            StatusJson s = client.status(name);
            if (json) {
                out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(s));
            } else {
                StatusTable.render(List.of(s.toStatus()), top.clock().instant(), 0).forEach(out::println);
            }
        } else {
            AdminClient.Listing list = client.list();
            if (json) {
                out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(list));
            } else {
                printTable(dir, list);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * Subscribes, then prints the statuses (not with {@code --json}), then each event of the stream (of
     * NAME and of the host only, if NAME is given) until the host ends it. A resync prints the statuses
     * again ({@code --json}: its line).
     */
    private int watch(Path dir, AdminFile file, ObjectMapper mapper) throws InterruptedException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        AdminClient client = new AdminClient(file, mapper);
        try (EventStream events = EventStream.open(file, OptionalLong.empty(), mapper)) {
            if (name != null) {
                client.status(name); // an unknown resource is a usage error, not an empty watch
            }
            if (!json) {
                printTable(dir, client.list());
                out.flush();
            }
            for (;;) {
                SseEvent e;
                try {
                    e = events.next(WATCH_STEP);
                } catch (TimeoutException quiet) {
                    continue;
                }
                if (e == null) {
                    if (!json) {
                        out.println("host '" + file.host() + "' ended its event stream (it is stopping)");
                        out.flush();
                    }
                    return ExitCodes.OK;
                }
                EventJson ev = mapper.readValue(e.data(), EventJson.class);
                if (name != null && ev.resource() != null && !name.equals(ev.resource())) {
                    continue;
                }
                if (json) {
                    out.println(e.data());
                } else if (ev.isResync()) {
                    out.println("missed events (" + ev.message() + "); the statuses now:");
                    printTable(dir, client.list());
                } else {
                    Optional<HostEvent> known = ev.toHostEvent();
                    out.println(known.map(EventLine::of).orElse(ev.time() + " " + ev.kind() + ": " + ev.message()));
                }
                out.flush();
            }
        }
    }

    /** {@code --graph}: the whole graph, or NAME and what it depends on (transitively). */
    private int printGraph(AdminClient.Listing list) {
        PrintWriter out = spec.commandLine().getOut();
        java.util.Map<String, org.clusworker.host.ResourceStatus> all = new java.util.LinkedHashMap<>();
        list.resources().forEach(s -> all.put(s.name(), s.toStatus()));
        List<org.clusworker.host.ResourceStatus> shown = List.copyOf(all.values());
        if (name != null) {
            java.util.Set<String> wanted = new java.util.HashSet<>();
            java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(name));
            while (!todo.isEmpty()) {
                String n = todo.pop();
                if (wanted.add(n) && all.containsKey(n)) {
                    todo.addAll(all.get(n).dependsOn());
                }
            }
            shown = shown.stream().filter(s -> wanted.contains(s.name())).toList();
        }
        List<String> lines = graph.equals("dot") ? DependencyGraph.dot(list.host(), shown) : DependencyGraph.tree(shown);
        if (graph.equals("tree")) {
            out.println("host '" + list.host() + "': dependencies beneath each resource");
        }
        lines.forEach(out::println);
        out.flush();
        return ExitCodes.OK;
    }

    private void printTable(Path dir, AdminClient.Listing list) {
        PrintWriter out = spec.commandLine().getOut();
        List<StatusJson> shown = list.resources().stream().filter(s -> name == null || name.equals(s.name())).toList();
        if (name == null) {
            out.println("host '" + list.host() + "' (state directory " + dir + ")");
        }
        StatusTable.render(shown.stream().map(StatusJson::toStatus).toList(), top.clock().instant(), 0).forEach(out::println);
    }
}
