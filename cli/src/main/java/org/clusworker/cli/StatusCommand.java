package org.clusworker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.clusworker.cli.admin.AdminClient;
import org.clusworker.cli.admin.AdminFile;
import org.clusworker.cli.admin.StatusJson;
import org.clusworker.cli.view.StatusTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code clusworker status [NAME] [--json]}: asks a running host how its resources are. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows the resources of a running host.", "",
            "State, time in state, restarts, last failure, and the progress of pending operations."})
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    ClusworkerCommand top;

    @Spec
    CommandSpec spec;

    @Mixin
    StateDirOptions target;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "Only this resource.")
    String name;

    @Option(names = "--json", description = "Print JSON, as the admin API returns it.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path dir = target.resolve(top, spec.commandLine());
        ObjectMapper mapper = top.json();
        AdminClient client = new AdminClient(AdminFile.read(dir, mapper), mapper);
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
                out.println("host '" + list.host() + "' (state directory " + dir + ")");
                StatusTable.render(list.resources().stream().map(StatusJson::toStatus).toList(),
                        top.clock().instant(), 0).forEach(out::println);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
